package testpki

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"slices"
	"strings"
	"testing"
	"time"
)

// committedCerts lists the certificates of the committed set with what each
// must look like.
func committedCerts(t *testing.T) []struct {
	name   string
	der    []byte
	issuer *CA
	rdns   int // RDNs in the subject
} {
	t.Helper()
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return []struct {
		name   string
		der    []byte
		issuer *CA
		rdns   int
	}{
		{FileAuthCA, p.AuthCA.DER, p.AuthCA, 5},
		{FileSignCA, p.SignCA.DER, p.SignCA, 5},
		{FileAuthCert, p.AuthCert, p.AuthCA, 2},
		{FileSignCert, p.SignCert, p.SignCA, 4},
	}
}

func TestCommittedCertificatesParseAndChainToTheirCA(t *testing.T) {
	for _, c := range committedCerts(t) {
		t.Run(c.name, func(t *testing.T) {
			cert, err := x509.ParseCertificate(c.der)
			if err != nil {
				t.Fatal(err)
			}
			if err := cert.CheckSignatureFrom(c.issuer.Cert); err != nil {
				t.Errorf("not signed by its CA: %v", err)
			}
			if !bytes.Equal(cert.RawIssuer, c.issuer.Cert.RawSubject) {
				t.Errorf("issuer name differs from the CA's subject")
			}
			pub := cert.PublicKey.(*rsa.PublicKey)
			if pub.N.BitLen() != KeyBits || pub.E != 65537 {
				t.Errorf("key is RSA-%d e=%d, want RSA-2048 e=65537", pub.N.BitLen(), pub.E)
			}
			if cert.SignatureAlgorithm != x509.SHA256WithRSA {
				t.Errorf("signature algorithm %v, want SHA256WithRSA", cert.SignatureAlgorithm)
			}
		})
	}
}

func TestCommittedNamesHaveOneAttributePerRDN(t *testing.T) {
	for _, c := range committedCerts(t) {
		t.Run(c.name, func(t *testing.T) {
			cert, err := x509.ParseCertificate(c.der)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []struct {
				what string
				raw  []byte
				want int
			}{
				{"issuer", cert.RawIssuer, 5},
				{"subject", cert.RawSubject, c.rdns},
			} {
				var seq pkix.RDNSequence
				if _, err := asn1.Unmarshal(n.raw, &seq); err != nil {
					t.Fatalf("%s: %v", n.what, err)
				}
				if len(seq) != n.want {
					t.Errorf("%s has %d RDNs, want %d", n.what, len(seq), n.want)
				}
				for i, rdn := range seq {
					if len(rdn) != 1 {
						t.Errorf("%s RDN %d has %d attributes, want 1", n.what, i, len(rdn))
					}
				}
			}
		})
	}
}

func TestCommittedIssuersAreJLISNamesMarkedAsTest(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ca   *CA
		want string
	}{
		{p.AuthCA, "C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems, OU=MynaConnect TEST CA 2026"},
		{p.SignCA, "C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems, OU=MynaConnect TEST CA 2026"},
	} {
		attrs, err := parseName(c.ca.Cert.RawSubject)
		if err != nil {
			t.Fatal(err)
		}
		if got := nameString(attrs); got != c.want {
			t.Errorf("%v name\n got %s\nwant %s", c.ca.Kind, got, c.want)
		}
		cert := c.ca.Cert
		if !cert.IsCA || !cert.BasicConstraintsValid || cert.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageCRLSign {
			t.Errorf("%v: IsCA %v, KeyUsage %v: want a CA with certSign|crlSign", c.ca.Kind, cert.IsCA, cert.KeyUsage)
		}
		if len(cert.SubjectKeyId) != 20 {
			t.Errorf("%v: SubjectKeyId %x, want a 20-byte SHA-1", c.ca.Kind, cert.SubjectKeyId)
		}
		if err := cert.CheckSignatureFrom(cert); err != nil {
			t.Errorf("%v is not self-signed: %v", c.ca.Kind, err)
		}
	}
}

// nameString renders attributes in RFC 4514 order reversed, i.e. as the
// docs write JPKI names ("C=JP, O=JPKI, ...").
func nameString(attrs []attr) string {
	short := map[string]string{"2.5.4.6": "C", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.3": "CN", "2.5.4.7": "L"}
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		parts[i] = short[a.typ.String()] + "=" + a.value
	}
	return strings.Join(parts, ", ")
}

func TestCommittedValidityIsTheDocumentedOne(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	jst := time.FixedZone("JST", 9*60*60)
	caFrom := time.Date(2023, 4, 1, 0, 0, 0, 0, jst)
	caTo := time.Date(2043, 3, 31, 23, 59, 59, 0, jst)
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, jst)
	to := time.Date(2031, 3, 31, 23, 59, 59, 0, jst)
	for _, c := range []struct {
		name     string
		cert     *x509.Certificate
		from, to time.Time
	}{
		{"auth CA", p.AuthCA.Cert, caFrom, caTo},
		{"sign CA", p.SignCA.Cert, caFrom, caTo},
		{"auth", p.AuthCertificate(), from, to},
		{"sign", p.SignCertificate(), from, to},
	} {
		if !c.cert.NotBefore.Equal(c.from) || !c.cert.NotAfter.Equal(c.to) {
			t.Errorf("%s valid %v to %v, want %v to %v", c.name, c.cert.NotBefore, c.cert.NotAfter, c.from, c.to)
		}
	}
}

func TestCommittedAuthCertHasTheAuthProfileAndNoPersonalData(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	cert := p.AuthCertificate()
	checkAuthProfile(t, cert)
	if len(p.AuthCert) < 1400 || len(p.AuthCert) > 1700 {
		t.Errorf("auth certificate is %d bytes, want about the 1583 of a real one (1400-1700)", len(p.AuthCert))
	}
}

// checkAuthProfile is everything jpki-card.md says of the auth certificate.
func checkAuthProfile(t *testing.T, cert *x509.Certificate) {
	t.Helper()
	subject, err := parseName(cert.RawSubject)
	if err != nil {
		t.Fatal(err)
	}
	if len(subject) != 2 || !subject[0].typ.Equal(oidCountry) || subject[0].value != "JP" || !subject[1].typ.Equal(oidCommon) {
		t.Errorf("subject %s, want only C=JP and CN", nameString(subject))
	}
	if cn := subject[len(subject)-1].value; len(cn) < 20 || strings.Trim(cn, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		t.Errorf("CN %q, want an opaque id of 20+ letters and digits", cn)
	}
	if _, found := extension(cert, oidExtSubjectAltName); found {
		t.Error("auth certificate has a subjectAltName; it must carry no personal data")
	}
	if cert.KeyUsage != x509.KeyUsageDigitalSignature {
		t.Errorf("KeyUsage %v, want digitalSignature only", cert.KeyUsage)
	}
	if !criticalExtension(cert, asn1.ObjectIdentifier{2, 5, 29, 15}) {
		t.Error("KeyUsage is not critical")
	}
	if !slices.Equal(cert.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}) {
		t.Errorf("ExtKeyUsage %v, want clientAuth", cert.ExtKeyUsage)
	}
	wantPolicy, err := x509.OIDFromInts([]uint64{1, 2, 392, 200149, 8, 5, 1, 3, 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(cert.Policies) != 1 || !cert.Policies[0].Equal(wantPolicy) {
		t.Errorf("Policies %v, want [%v]", cert.Policies, wantPolicy)
	}
	if !slices.Equal(cert.OCSPServer, []string{"http://ocspauthnorm.jpki.go.jp"}) {
		t.Errorf("OCSPServer %v", cert.OCSPServer)
	}
	if len(cert.SubjectKeyId) == 0 || len(cert.AuthorityKeyId) == 0 {
		t.Error("missing SKI or AKI")
	}
	if cert.IsCA {
		t.Error("auth certificate is a CA")
	}
}

func criticalExtension(cert *x509.Certificate, id asn1.ObjectIdentifier) bool {
	for _, e := range cert.Extensions {
		if e.Id.Equal(id) {
			return e.Critical
		}
	}
	return false
}

func TestCommittedSignCertCarriesTheDefaultHolder(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	cert := p.SignCertificate()
	got, err := SignCertHolder(cert)
	if err != nil {
		t.Fatal(err)
	}
	if got != DefaultHolder() {
		t.Errorf("holder\n got %+v\nwant %+v", got, DefaultHolder())
	}
	if p.Holder != DefaultHolder() {
		t.Errorf("PKI.Holder %+v, want DefaultHolder", p.Holder)
	}
	if cert.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment {
		t.Errorf("KeyUsage %v, want digitalSignature|nonRepudiation", cert.KeyUsage)
	}
	if !criticalExtension(cert, asn1.ObjectIdentifier{2, 5, 29, 15}) {
		t.Error("KeyUsage is not critical")
	}
	wantPolicy, err := x509.OIDFromInts([]uint64{1, 2, 392, 200149, 8, 5, 1, 1, 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(cert.Policies) != 1 || !cert.Policies[0].Equal(wantPolicy) {
		t.Errorf("Policies %v, want [%v]", cert.Policies, wantPolicy)
	}
	subject, err := parseName(cert.RawSubject)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := nameString(subject[:3]), "C=JP, L=Hokkaido, L=Sapporo-shi-Minami-ku"; got != want {
		t.Errorf("subject starts %s, want %s", got, want)
	}
}

func TestCommittedKeysMatchTheirCertificates(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		cert *x509.Certificate
		key  *rsa.PrivateKey
	}{
		{"auth", p.AuthCertificate(), p.AuthKey},
		{"sign", p.SignCertificate(), p.SignKey},
		{"auth CA", p.AuthCA.Cert, p.AuthCA.Key},
		{"sign CA", p.SignCA.Cert, p.SignCA.Key},
	} {
		if err := matchKey(c.cert, c.key); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if err := c.key.Validate(); err != nil {
			t.Errorf("%s key: %v", c.name, err)
		}
	}
	if p.AuthKey.Equal(p.SignKey) {
		t.Error("auth and sign keys are the same key")
	}
}

func TestDefaultIsLoadedOnce(t *testing.T) {
	a, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("Default returned two different sets")
	}
}

func TestCommittedIssuerAltNameIsTheIssuerInJapanese(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		cert *x509.Certificate
		want string
	}{
		{"auth", p.AuthCertificate(), "C=JP, O=公的個人認証サービス, OU=公的個人認証サービス利用者証明用, OU=地方公共団体情報システム機構, OU=MynaConnect TEST CA 2026"},
		{"sign", p.SignCertificate(), "C=JP, O=公的個人認証サービス, OU=公的個人認証サービス署名用, OU=地方公共団体情報システム機構, OU=MynaConnect TEST CA 2026"},
	} {
		ext, found := extension(c.cert, oidExtIssuerAltName)
		if !found {
			t.Errorf("%s: no IssuerAltName", c.name)
			continue
		}
		var names []asn1.RawValue
		if _, err := asn1.Unmarshal(ext, &names); err != nil || len(names) != 1 || names[0].Tag != tagDirectoryName {
			t.Errorf("%s: IssuerAltName is not one directoryName (%v)", c.name, err)
			continue
		}
		attrs, err := parseName(names[0].Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if got := nameString(attrs); got != c.want {
			t.Errorf("%s IssuerAltName\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// TestRenewKeepsTheRootsAndTheHolderAndChangesEveryKey: a renewed card's
// certificates chain to the same roots and name the same holder, with new
// keys (the auth key is the card account's owner), valid from the renewal.
func TestRenewKeepsTheRootsAndTheHolderAndChangesEveryKey(t *testing.T) {
	old, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2030, 10, 1, 9, 0, 0, 0, time.UTC)
	r, err := old.Renew(when)
	if err != nil {
		t.Fatal(err)
	}
	if r.AuthKey.N.Cmp(old.AuthKey.N) == 0 || r.SignKey.N.Cmp(old.SignKey.N) == 0 {
		t.Fatal("a renewal kept a key")
	}
	for _, c := range []struct {
		name string
		cert *x509.Certificate
		key  *rsa.PrivateKey
		ca   *CA
	}{
		{"auth", r.AuthCertificate(), r.AuthKey, old.AuthCA},
		{"sign", r.SignCertificate(), r.SignKey, old.SignCA},
	} {
		if err := c.cert.CheckSignatureFrom(c.ca.Cert); err != nil {
			t.Errorf("%s: not issued by the same root: %v", c.name, err)
		}
		if err := matchKey(c.cert, c.key); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if !c.cert.NotBefore.Equal(when) || !c.cert.NotAfter.Equal(when.AddDate(5, 0, 0).Add(-time.Second)) {
			t.Errorf("%s: valid %s to %s", c.name, c.cert.NotBefore, c.cert.NotAfter)
		}
	}
	if r.Holder != old.Holder {
		t.Error("the renewal is another holder's")
	}
	// As on a real card, nothing in the new auth certificate names the old one.
	if bytes.Equal(r.AuthCertificate().RawSubject, old.AuthCertificate().RawSubject) {
		t.Error("the renewed auth certificate has the old one's subject")
	}
}
