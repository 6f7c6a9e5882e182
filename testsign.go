package mynaconnect

import (
	"embed"
	"io/fs"
)

// The test-sign demo site served by host/testbed/demoserver: the page's files only,
// not its README.
//
//go:embed testdata/testsign/*.html testdata/testsign/*.js testdata/testsign/*.css
var testSign embed.FS

// TestSignSite is the test-sign page ("test - sign"), rooted at
// testdata/testsign: index.html, app.js (the login), eth.js (the Ethereum
// section), style.css, frame.html, frame.js.
// host/testbed/demoserver serves it; it is plain files with no build step, so the
// page a browser test loads is the page in the repository.
func TestSignSite() fs.FS {
	sub, err := fs.Sub(testSign, "testdata/testsign")
	if err != nil {
		// fs.Sub fails only for an invalid path, and this one is a constant.
		panic("mynaconnect: " + err.Error())
	}
	return sub
}
