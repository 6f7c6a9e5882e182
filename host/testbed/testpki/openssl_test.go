package testpki

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/citest"
)

// opensslPath finds openssl, an independent parser for the committed
// certificates. Without it the test skips on a workstation but fails in CI,
// where a missing tool means the environment is wrong, not the code.
func opensslPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		citest.Unavailable(t, "openssl not found: %v", err)
	}
	return path
}

// pkiDir is the committed set on disk, read the way a person running
// openssl by hand would read it.
const pkiDir = "../../../testdata/pki"

func TestCommittedCertificatesParseWithOpenSSL(t *testing.T) {
	openssl := opensslPath(t)
	for _, c := range []struct {
		file string
		want []string // phrases in `openssl x509 -text`
	}{
		{FileAuthCA, []string{"CA:TRUE", "Certificate Sign, CRL Sign", "OU=MynaConnect TEST CA 2026"}},
		{FileSignCA, []string{"CA:TRUE", "OU=JPKI for digital signature"}},
		{FileAuthCert, []string{
			"Subject: C=JP, CN=",
			"Digital Signature",
			"TLS Web Client Authentication",
			"Policy: 1.2.392.200149.8.5.1.3.30",
			"OCSP - URI:http://ocspauthnorm.jpki.go.jp",
			"DirName:C=JP, O=JPKI, OU=JPKI for user authentication, OU=CRL Distribution Points, OU=Hokkaido, CN=Sapporo-shi-Minami-ku CRLDP",
		}},
		{FileSignCert, []string{
			"Digital Signature, Non Repudiation",
			"Policy: 1.2.392.200149.8.5.1.1.10",
			"X509v3 Subject Alternative Name",
			"L=Sapporo-shi-Minami-ku",
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			cmd := exec.Command(openssl, "x509", "-inform", "DER", "-text", "-noout",
				"-nameopt", "sep_comma_plus_space,utf8,dump_nostr",
				"-in", filepath.Join(pkiDir, c.file))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("openssl x509 failed: %v\n%s", err, out)
			}
			// Older openssl versions print "C = JP"; compare without spaces
			// around "=".
			text := strings.ReplaceAll(string(out), " = ", "=")
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("openssl output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestCommittedChainsVerifyWithOpenSSL(t *testing.T) {
	openssl := opensslPath(t)
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	// A fixed time inside every validity period, so the test does not
	// depend on the day it runs.
	at := fmt.Sprint(p.AuthCertificate().NotBefore.AddDate(0, 1, 0).Unix())
	for _, c := range []struct{ ca, cert string }{
		{FileAuthCAPEM, FileAuthCertPEM},
		{FileSignCAPEM, FileSignCertPEM},
	} {
		t.Run(c.cert, func(t *testing.T) {
			cmd := exec.Command(openssl, "verify", "-attime", at, "-x509_strict",
				"-CAfile", filepath.Join(pkiDir, c.ca), filepath.Join(pkiDir, c.cert))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("openssl verify failed: %v\n%s", err, out)
			}
		})
	}
}
