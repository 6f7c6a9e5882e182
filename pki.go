// Package mynaconnect holds repository-level fixtures: files under testdata/
// that packages in several folders share, embedded so that they do not
// depend on the working directory a test or binary runs in.
package mynaconnect

import (
	"embed"
	"io/fs"
)

// The J-LIS-shaped test PKI made by host/testbed/testpki/cmd/mynaconnect-testpki.
//
//go:embed testdata/pki
var testPKI embed.FS

// TestPKI is the committed test PKI, rooted at testdata/pki (file names as in
// host/testbed/testpki: "auth-cert.der", "auth-key.pem", ...). Load it with
// testpki.Load, or use testpki.Default.
func TestPKI() fs.FS {
	sub, err := fs.Sub(testPKI, "testdata/pki")
	if err != nil {
		// fs.Sub fails only for an invalid path, and this one is a constant.
		panic("mynaconnect: " + err.Error())
	}
	return sub
}
