module github.com/mynaconnect/mynaconnect

go 1.26.0

require (
	github.com/ebfe/scard v0.0.0-20241214075232-7af069cabc25 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
