package authtoken

import (
	"crypto/x509"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

func TestIssuerNameKeepsEachOU(t *testing.T) {
	p, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	const want = "OU=MynaConnect TEST CA 2026,OU=Japan Agency for Local Authority Information Systems,OU=JPKI for user authentication,O=JPKI,C=JP"
	cert, err := x509.ParseCertificate(p.AuthCert)
	if err != nil {
		t.Fatal(err)
	}
	if got := IssuerName(cert); got != want {
		t.Errorf("IssuerName = %q, want %q", got, want)
	}
}
