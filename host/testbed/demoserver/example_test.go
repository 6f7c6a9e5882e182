package demoserver_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

// Two test-sign sites, as the demo runs them: one on 127.0.0.1 and one on
// localhost, two origins on one machine, each on a free port.
func ExampleStart() {
	pki, err := testpki.Default()
	if err != nil {
		log.Fatal(err)
	}
	cfg := demoserver.Config{TrustAnchors: []*x509.Certificate{pki.AuthCA.Cert}}
	ctx, stop := context.WithCancel(context.Background())
	defer stop() // stops both servers

	a, err := demoserver.Start(ctx, "127.0.0.1:0", cfg)
	if err != nil {
		log.Fatal(err)
	}
	b, err := demoserver.Start(ctx, "localhost:0", cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(a.Origin(), "http://127.0.0.1:"), strings.HasPrefix(b.Origin(), "http://localhost:"))

	// What the page does first: ask its own server for a challenge.
	res, err := http.Post(a.Origin()+"/api/challenge", "application/json", strings.NewReader("{}"))
	if err != nil {
		log.Fatal(err)
	}
	res.Body.Close()
	fmt.Println(res.Status)
	// Output:
	// true true
	// 200 OK
}
