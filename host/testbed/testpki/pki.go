package testpki

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"time"
)

// PKI is a complete card's worth of certificates: both roots, both holder
// keys and both holder certificates (DER), for Holder.
type PKI struct {
	AuthCA, SignCA     *CA
	AuthKey, SignKey   *rsa.PrivateKey
	AuthCert, SignCert []byte
	Holder             Holder
}

// Validity periods of Generate, shaped like J-LIS's: roots valid for about
// 20 years, holder certificates for 5 (they are renewed with the card's
// keys). Periods end one second before the anniversary, as the real ones do
// at 23:59:59 JST.
const (
	caYearsBefore = 3  // a root generation older than the card
	caYears       = 20 // root lifetime
	holderYears   = 5  // holder certificate lifetime
)

// Generate makes a fresh set for DefaultHolder: holder certificates valid
// from now for 5 years, roots from 3 years before now for 20 years. With now
// = 2026-04-01T00:00:00+09:00 that is the committed set's validity: holder
// 2026-04-01 to 2031-03-31, roots 2023-04-01 to 2043-03-31 (JST).
func Generate(now time.Time) (*PKI, error) {
	now = now.Truncate(time.Second) // certificates have second precision
	generation := fmt.Sprint(now.Year())
	caFrom := now.AddDate(-caYearsBefore, 0, 0)
	caTo := caFrom.AddDate(caYears, 0, 0).Add(-time.Second)
	p := &PKI{Holder: DefaultHolder()}
	var err error
	if p.AuthCA, err = NewCA(AuthCA, generation, caFrom, caTo); err != nil {
		return nil, err
	}
	if p.SignCA, err = NewCA(SignCA, generation, caFrom, caTo); err != nil {
		return nil, err
	}
	if p.AuthKey, err = rsa.GenerateKey(rand.Reader, KeyBits); err != nil {
		return nil, fmt.Errorf("testpki: generating auth key: %w", err)
	}
	if p.SignKey, err = rsa.GenerateKey(rand.Reader, KeyBits); err != nil {
		return nil, fmt.Errorf("testpki: generating sign key: %w", err)
	}
	o := AuthCertOptions{
		NotBefore: now,
		NotAfter:  now.AddDate(holderYears, 0, 0).Add(-time.Second),
		Holder:    p.Holder,
	}
	if p.AuthCert, err = p.AuthCA.IssueAuth(&p.AuthKey.PublicKey, o); err != nil {
		return nil, err
	}
	if p.SignCert, err = p.SignCA.IssueSign(&p.SignKey.PublicKey, o); err != nil {
		return nil, err
	}
	return p, nil
}

// Renew is the same card after its renewal at the municipal office (or a
// reissue): the same roots and holder, new key pairs and certificates valid
// from now for 5 years. Nothing in the new certificates links them to the
// old ones, as on a real card: a card account owned by the old key must be
// handed over (CardRecovery).
func (p *PKI) Renew(now time.Time) (*PKI, error) {
	now = now.Truncate(time.Second)
	r := &PKI{AuthCA: p.AuthCA, SignCA: p.SignCA, Holder: p.Holder}
	var err error
	if r.AuthKey, err = rsa.GenerateKey(rand.Reader, KeyBits); err != nil {
		return nil, fmt.Errorf("testpki: generating the renewed auth key: %w", err)
	}
	if r.SignKey, err = rsa.GenerateKey(rand.Reader, KeyBits); err != nil {
		return nil, fmt.Errorf("testpki: generating the renewed sign key: %w", err)
	}
	o := AuthCertOptions{NotBefore: now, NotAfter: now.AddDate(holderYears, 0, 0).Add(-time.Second), Holder: r.Holder}
	if r.AuthCert, err = r.AuthCA.IssueAuth(&r.AuthKey.PublicKey, o); err != nil {
		return nil, err
	}
	if r.SignCert, err = r.SignCA.IssueSign(&r.SignKey.PublicKey, o); err != nil {
		return nil, err
	}
	return r, nil
}

// AuthCertificate is the parsed authentication certificate, a fresh copy on
// every call so that callers may modify it. It panics if AuthCert does not
// parse, which Generate and Load rule out.
func (p *PKI) AuthCertificate() *x509.Certificate {
	return mustParse("auth", p.AuthCert)
}

// SignCertificate is the parsed signature certificate; see AuthCertificate.
func (p *PKI) SignCertificate() *x509.Certificate {
	return mustParse("sign", p.SignCert)
}

func mustParse(what string, der []byte) *x509.Certificate {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(fmt.Sprintf("testpki: %s certificate: %v", what, err))
	}
	return cert
}

// check verifies that the parts of p belong together: each key matches its
// certificate and each certificate was signed by its CA. Load runs it so a
// half-regenerated directory fails loudly instead of in some distant test.
func (p *PKI) check() error {
	for _, c := range []struct {
		what string
		der  []byte
		key  *rsa.PrivateKey
		ca   *CA
	}{
		{"auth", p.AuthCert, p.AuthKey, p.AuthCA},
		{"sign", p.SignCert, p.SignKey, p.SignCA},
	} {
		cert, err := x509.ParseCertificate(c.der)
		if err != nil {
			return fmt.Errorf("testpki: %s certificate: %w", c.what, err)
		}
		if err := matchKey(cert, c.key); err != nil {
			return fmt.Errorf("testpki: %s key: %w", c.what, err)
		}
		if err := cert.CheckSignatureFrom(c.ca.Cert); err != nil {
			return fmt.Errorf("testpki: %s certificate is not signed by %s CA: %w", c.what, c.what, err)
		}
	}
	return nil
}
