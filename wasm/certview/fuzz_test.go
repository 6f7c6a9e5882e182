package certview

import (
	"crypto/x509"
	"errors"
	"io/fs"
	"testing"

	mynaconnect "github.com/mynaconnect/mynaconnect"
)

// FuzzParse: no input panics; every error is one of the named ones; and
// when crypto/x509 also accepts the input, both read the same values.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"auth-cert.der", "auth-ca.der", "sign-cert.der"} {
		der, err := fs.ReadFile(mynaconnect.TestPKI(), name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(der)
	}
	f.Add([]byte{0x30, 0x00})
	f.Fuzz(func(t *testing.T, der []byte) {
		c, err := Parse(der)
		if err != nil {
			if c != nil || !(errors.Is(err, ErrEmpty) || errors.Is(err, ErrTooLarge) ||
				errors.Is(err, ErrTrailingData) || errors.Is(err, ErrMalformed)) {
				t.Fatalf("Parse = %v, %v: want nil and a named error", c, err)
			}
			return
		}
		if c.NotBefore.In(0) != c.NotBefore || c.NotAfter.In(0) != c.NotAfter || c.NotAfter.In(9*3600).Unix() != c.NotAfter.Unix() {
			t.Fatalf("inconsistent certificate %+v", c)
		}
		x, err := x509.ParseCertificate(der)
		if err != nil {
			return
		}
		if c.NotBefore.Unix() != x.NotBefore.Unix() || c.NotAfter.Unix() != x.NotAfter.Unix() {
			t.Fatalf("validity %v-%v, crypto/x509 says %v-%v", c.NotBefore, c.NotAfter, x.NotBefore, x.NotAfter)
		}
	})
}
