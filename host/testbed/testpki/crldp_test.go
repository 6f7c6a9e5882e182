package testpki

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"math/big"
	"testing"
	"time"
)

// testCAs are made once: RSA key generation dominates the package's test time.
var testCAs = struct {
	auth, sign *CA
	key        *rsa.PrivateKey
}{}

func testSetup(t *testing.T) (auth, sign *CA, key *rsa.PrivateKey) {
	t.Helper()
	if testCAs.auth == nil {
		from := time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC)
		var err error
		if testCAs.auth, err = NewCA(AuthCA, "unit", from, from.AddDate(20, 0, 0)); err != nil {
			t.Fatal(err)
		}
		if testCAs.sign, err = NewCA(SignCA, "unit", from, from.AddDate(20, 0, 0)); err != nil {
			t.Fatal(err)
		}
		if testCAs.key, err = rsa.GenerateKey(rand.Reader, KeyBits); err != nil {
			t.Fatal(err)
		}
	}
	return testCAs.auth, testCAs.sign, testCAs.key
}

func validity() AuthCertOptions {
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	return AuthCertOptions{NotBefore: from, NotAfter: from.AddDate(5, 0, 0)}
}

func TestMunicipalityFromCRLDPRoundTrips(t *testing.T) {
	authCA, signCA, key := testSetup(t)
	for _, c := range []struct {
		prefecture, municipality string
	}{
		{"Hokkaido", "Sapporo-shi-Minami-ku"},
		{"Tokyo-to", "Chiyoda-ku"},
		{"Kanagawa-ken", "Yokohama-shi-Naka-ku"},
		{"Okinawa-ken", "Kunigami-gun Kunigami-son"},
	} {
		h := DefaultHolder()
		h.Prefecture, h.Municipality = c.prefecture, c.municipality
		for _, issue := range []struct {
			kind string
			fn   func(*rsa.PublicKey, AuthCertOptions) ([]byte, error)
		}{
			{"auth", authCA.IssueAuth},
			{"sign", signCA.IssueSign},
		} {
			t.Run(issue.kind+"/"+c.municipality, func(t *testing.T) {
				o := validity()
				o.Holder = h
				der, err := issue.fn(&key.PublicKey, o)
				if err != nil {
					t.Fatal(err)
				}
				cert, err := x509.ParseCertificate(der)
				if err != nil {
					t.Fatal(err)
				}
				p, m, ok := MunicipalityFromCRLDP(cert)
				if !ok || p != c.prefecture || m != c.municipality {
					t.Errorf("MunicipalityFromCRLDP = %q, %q, %v; want %q, %q, true", p, m, ok, c.prefecture, c.municipality)
				}
				// crypto/x509 reads only URIs there; the directory name must not
				// confuse it into inventing one.
				if len(cert.CRLDistributionPoints) != 0 {
					t.Errorf("CRLDistributionPoints %v, want none (a directory name is not a URI)", cert.CRLDistributionPoints)
				}
			})
		}
	}
}

func TestMunicipalityFromCRLDPRejectsOtherShapes(t *testing.T) {
	authCA, _, key := testSetup(t)
	for _, c := range []struct {
		name string
		tmpl x509.Certificate
	}{
		{"no CRL distribution point", x509.Certificate{}},
		{"URI distribution point", x509.Certificate{CRLDistributionPoints: []string{"http://crl.example/ca.crl"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmpl := c.tmpl
			tmpl.SerialNumber = big.NewInt(1)
			tmpl.NotBefore, tmpl.NotAfter = validity().NotBefore, validity().NotAfter
			der, err := x509.CreateCertificate(rand.Reader, &tmpl, authCA.Cert, &key.PublicKey, authCA.Key)
			if err != nil {
				t.Fatal(err)
			}
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				t.Fatal(err)
			}
			if p, m, ok := MunicipalityFromCRLDP(cert); ok {
				t.Errorf("MunicipalityFromCRLDP = %q, %q, true; want ok false", p, m)
			}
		})
	}
}

func TestMunicipalityFromNameNeedsTheJLISAnchors(t *testing.T) {
	good := crlDPName(AuthCA, DefaultHolder())
	for _, c := range []struct {
		name  string
		attrs []attr
		ok    bool
	}{
		{"J-LIS shape", good, true},
		{"no CRLDP suffix", append(good[:len(good)-1:len(good)-1], attr{oidCommon, "Sapporo-shi-Minami-ku"}), false},
		{"only the suffix", append(good[:len(good)-1:len(good)-1], attr{oidCommon, " CRLDP"}), false},
		{"no marker OU", append(append([]attr{}, good[:3]...), good[4:]...), false},
		{"not JP", append([]attr{{oidCountry, "US"}}, good[1:]...), false},
		{"too short", good[:2], false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, _, ok := municipalityFromName(c.attrs); ok != c.ok {
				t.Errorf("ok = %v, want %v", ok, c.ok)
			}
		})
	}
}
