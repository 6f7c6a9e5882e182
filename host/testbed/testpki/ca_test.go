package testpki

import (
	"crypto/x509"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestIssueAuthHonoursTheOptions(t *testing.T) {
	authCA, _, key := testSetup(t)
	// An expired certificate: the reason tests issue their own.
	from := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	o := AuthCertOptions{
		NotBefore:    from,
		NotAfter:     from.AddDate(5, 0, 0),
		SerialNumber: big.NewInt(424242),
		CommonName:   "ABCDEFGHIJ0123456789XYZ",
	}
	der, err := authCA.IssueAuth(&key.PublicKey, o)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	checkAuthProfile(t, cert)
	if !cert.NotBefore.Equal(o.NotBefore) || !cert.NotAfter.Equal(o.NotAfter) {
		t.Errorf("valid %v to %v, want %v to %v", cert.NotBefore, cert.NotAfter, o.NotBefore, o.NotAfter)
	}
	if cert.SerialNumber.Cmp(o.SerialNumber) != 0 || cert.Subject.CommonName != o.CommonName {
		t.Errorf("serial %v CN %q, want %v %q", cert.SerialNumber, cert.Subject.CommonName, o.SerialNumber, o.CommonName)
	}
	// A zero Holder means the default one's municipality.
	if p, m, _ := MunicipalityFromCRLDP(cert); p != "Hokkaido" || m != "Sapporo-shi-Minami-ku" {
		t.Errorf("municipality %q %q, want the default holder's", p, m)
	}
	if err := cert.CheckSignatureFrom(authCA.Cert); err != nil {
		t.Error(err)
	}
}

func TestAnImpostorCAWithTheSameNameDoesNotVerify(t *testing.T) {
	authCA, _, key := testSetup(t)
	impostor, err := NewCA(AuthCA, "unit", authCA.Cert.NotBefore, authCA.Cert.NotAfter)
	if err != nil {
		t.Fatal(err)
	}
	if string(impostor.Cert.RawSubject) != string(authCA.Cert.RawSubject) {
		t.Fatal("same kind and generation should give the same name")
	}
	der, err := impostor.IssueAuth(&key.PublicKey, validity())
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.CheckSignatureFrom(authCA.Cert); err == nil {
		t.Error("a certificate from the impostor verifies under the real test CA")
	}
}

func TestIssueRefusesMismatchedOrIncompleteRequests(t *testing.T) {
	authCA, signCA, key := testSetup(t)
	backwards := validity()
	backwards.NotBefore, backwards.NotAfter = backwards.NotAfter, backwards.NotBefore
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"auth from the sign CA", func() error { _, err := signCA.IssueAuth(&key.PublicKey, validity()); return err }, "want AuthCA"},
		{"sign from the auth CA", func() error { _, err := authCA.IssueSign(&key.PublicKey, validity()); return err }, "want SignCA"},
		{"no key", func() error { _, err := authCA.IssueAuth(nil, validity()); return err }, "no public key"},
		{"no dates", func() error { _, err := authCA.IssueAuth(&key.PublicKey, AuthCertOptions{}); return err }, "NotBefore"},
		{"dates backwards", func() error { _, err := authCA.IssueAuth(&key.PublicKey, backwards); return err }, "NotBefore"},
		{"CA of unknown kind", func() error { _, err := NewCA(Kind(7), "x", time.Now(), time.Now().Add(time.Hour)); return err }, "unknown kind"},
		{"CA dates backwards", func() error { _, err := NewCA(AuthCA, "x", time.Now(), time.Now().Add(-time.Hour)); return err }, "notBefore"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.err(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error mentioning %q", err, c.want)
			}
		})
	}
}
