package certview

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"io/fs"
	"math/big"
	"strings"
	"testing"
	"time"

	mynaconnect "github.com/mynaconnect/mynaconnect"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

func readPKI(t *testing.T, name string) []byte {
	t.Helper()
	der, err := fs.ReadFile(mynaconnect.TestPKI(), name)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestParseAuthCertificate(t *testing.T) {
	der := readPKI(t, "auth-cert.der")
	c, err := Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	want := Certificate{
		Subject:            "C=JP, CN=OF2THUV3B12MZMQGIGDQRSZ",
		SubjectCommonName:  "OF2THUV3B12MZMQGIGDQRSZ",
		Issuer:             "C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems, OU=MynaConnect TEST CA 2026",
		NotBefore:          Time{2026, 3, 31, 15, 0, 0, 0},
		NotAfter:           Time{2031, 3, 31, 14, 59, 59, 0},
		Prefecture:         "Hokkaido",
		PrefectureJa:       "北海道",
		Municipality:       "Sapporo-shi-Minami-ku",
		PublicKeyAlgorithm: "RSA",
		PublicKeyBits:      2048,
	}
	if got := *c; got != want {
		t.Errorf("Parse(auth-cert.der) =\n%+v\nwant\n%+v", got, want)
	}
	crossCheck(t, der, c)
}

// crossCheck holds every field Parse returns to crypto/x509.
func crossCheck(t *testing.T, der []byte, c *Certificate) {
	t.Helper()
	x, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("crypto/x509 rejects a certificate Parse accepted: %v", err)
	}
	if c.NotBefore.Unix() != x.NotBefore.Unix() || c.NotAfter.Unix() != x.NotAfter.Unix() {
		t.Errorf("validity %v - %v, crypto/x509 says %v - %v", c.NotBefore, c.NotAfter, x.NotBefore, x.NotAfter)
	}
	if got, want := c.Subject, x509Name(t, x.RawSubject); got != want {
		t.Errorf("Subject = %q, crypto/x509 says %q", got, want)
	}
	if got, want := c.Issuer, x509Name(t, x.RawIssuer); got != want {
		t.Errorf("Issuer = %q, crypto/x509 says %q", got, want)
	}
	if c.SubjectCommonName != x.Subject.CommonName {
		t.Errorf("SubjectCommonName = %q, crypto/x509 says %q", c.SubjectCommonName, x.Subject.CommonName)
	}
	alg, bits := "", 0
	switch k := x.PublicKey.(type) {
	case *rsa.PublicKey:
		alg, bits = "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		alg, bits = "ECDSA", k.Curve.Params().BitSize
	case ed25519.PublicKey:
		alg, bits = "Ed25519", 256
	}
	if c.PublicKeyAlgorithm != alg || c.PublicKeyBits != bits {
		t.Errorf("public key %s %d, crypto/x509 says %s %d", c.PublicKeyAlgorithm, c.PublicKeyBits, alg, bits)
	}
}

// x509Name prints a raw Name as formatName should, from encoding/asn1's
// parse of the bytes crypto/x509 found.
func x509Name(t *testing.T, raw []byte) string {
	t.Helper()
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &rdns); err != nil || len(rest) != 0 {
		t.Fatalf("encoding/asn1 cannot read the name: %v", err)
	}
	short := map[string]string{"2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST",
		"2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.5": "serialNumber"}
	var parts []string
	for _, rdn := range rdns {
		var set []string
		for _, a := range rdn {
			typ := short[a.Type.String()]
			if typ == "" {
				typ = a.Type.String()
			}
			set = append(set, typ+"="+escapeValue(a.Value.(string)))
		}
		parts = append(parts, strings.Join(set, " + "))
	}
	return strings.Join(parts, ", ")
}

func TestParseOtherPKIFiles(t *testing.T) {
	for _, name := range []string{"auth-ca.der", "sign-ca.der", "sign-cert.der"} {
		der := readPKI(t, name)
		c, err := Parse(der)
		if err != nil {
			t.Errorf("Parse(%s): %v", name, err)
			continue
		}
		crossCheck(t, der, c)
	}
}

// issue makes certificates the committed set does not cover: another
// municipality, dates past 2049 (GeneralizedTime), other key types, names
// with characters that need escaping.
func issue(t *testing.T, tmpl *x509.Certificate, pub any) []byte {
	t.Helper()
	pki, err := testpki.Load(mynaconnect.TestPKI())
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, pki.AuthCA.Cert, pub, pki.AuthCA.Key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestParseIssuedVariants(t *testing.T) {
	pki, err := testpki.Load(mynaconnect.TestPKI())
	if err != nil {
		t.Fatal(err)
	}
	holder := testpki.DefaultHolder()
	holder.Prefecture, holder.Municipality = "Tokyo", "Shinjuku-ku"
	tokyo, err := pki.AuthCA.IssueAuth(&pki.AuthKey.PublicKey, testpki.AuthCertOptions{
		NotBefore: time.Date(2049, 6, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:  time.Date(2054, 5, 31, 14, 59, 59, 0, time.UTC),
		Holder:    holder,
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(tokyo)
	if err != nil {
		t.Fatal(err)
	}
	if c.Prefecture != "Tokyo" || c.PrefectureJa != "東京都" || c.Municipality != "Shinjuku-ku" {
		t.Errorf("municipality %q %q %q, want Tokyo 東京都 Shinjuku-ku", c.Prefecture, c.PrefectureJa, c.Municipality)
	}
	if c.NotAfter != (Time{2054, 5, 31, 14, 59, 59, 0}) {
		t.Errorf("NotAfter %v (GeneralizedTime after 2049)", c.NotAfter)
	}
	crossCheck(t, tokyo, c)

	ec256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	for _, pub := range []any{ec256.Public(), ec384.Public(), edPub} {
		der := issue(t, &x509.Certificate{
			SerialNumber: big.NewInt(7),
			Subject: pkix.Name{Country: []string{"JP"}, Organization: []string{"Acme, Inc. + \"Friends\""},
				OrganizationalUnit: []string{"#tag", "テスト部 "}, CommonName: "x\u202eyz"},
			NotBefore: time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC),
			NotAfter:  time.Date(2100, 2, 28, 0, 0, 0, 0, time.UTC),
		}, pub)
		c, err := Parse(der)
		if err != nil {
			t.Fatal(err)
		}
		if c.Municipality != "" || c.Prefecture != "" {
			t.Errorf("municipality %q %q from a certificate without CRLDP", c.Prefecture, c.Municipality)
		}
		// The right-to-left override is shown as U+FFFD, never applied.
		if !strings.Contains(c.Subject, `O=Acme\, Inc. \+ \"Friends\"`) || !strings.Contains(c.Subject, `OU=\#tag + OU=テスト部\ `) ||
			c.SubjectCommonName != "x\ufffdyz" {
			t.Errorf("Subject = %q, CN %q", c.Subject, c.SubjectCommonName)
		}
		c.SubjectCommonName = "x\u202eyz" // as crypto/x509 has it
		crossCheck(t, der, c)
	}
}

func TestParseRejects(t *testing.T) {
	der := readPKI(t, "auth-cert.der")
	indefinite := append([]byte{0x30, 0x80}, der[4:]...)
	indefinite = append(indefinite, 0, 0)
	nonMinimal := append([]byte{0x30, 0x83, 0x00}, der[2:]...)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"nil", nil, ErrEmpty},
		{"oversize", make([]byte, MaxSize+1), ErrTooLarge},
		{"trailing zero byte", append(append([]byte{}, der...), 0), ErrTrailingData},
		{"two certificates", append(append([]byte{}, der...), der...), ErrTrailingData},
		{"truncated", der[:len(der)-1], ErrMalformed},
		{"header only", der[:4], ErrMalformed},
		{"text", []byte("-----BEGIN CERTIFICATE-----"), ErrMalformed},
		{"PEM", readPKI(t, "auth-cert.pem"), ErrMalformed},
		{"private key", readPKI(t, "auth-key.pem"), ErrMalformed},
		{"BER indefinite length", indefinite, ErrMalformed},
		{"non-minimal length", nonMinimal, ErrMalformed},
		{"empty sequence", []byte{0x30, 0x00}, ErrMalformed},
	}
	for _, tt := range tests {
		c, err := Parse(tt.in)
		if !errors.Is(err, tt.want) || c != nil {
			t.Errorf("%s: Parse = %v, %v; want %v", tt.name, c, err, tt.want)
		}
	}
}

func TestParseErrorNamesTheField(t *testing.T) {
	der := append([]byte{}, readPKI(t, "auth-cert.der")...)
	// Corrupt the notBefore UTCTime's month ("2603311500..." -> "2613...").
	i := strings.Index(string(der), "260331150000Z")
	if i < 0 {
		t.Fatal("notBefore not found in the test certificate")
	}
	der[i+2] = '1'
	_, err := Parse(der)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "validity" || !errors.Is(err, ErrMalformed) {
		t.Fatalf("Parse = %v; want a FieldError for validity", err)
	}
	if got := err.Error(); got != "certview: malformed certificate: validity: time out of range" {
		t.Errorf("error text %q", got)
	}
}

func TestPrefectureJa(t *testing.T) {
	for in, want := range map[string]string{
		"Hokkaido": "北海道", "Hokkaidou": "北海道", "Tokyo-to": "東京都", "OSAKA": "大阪府",
		"Kōchi": "高知県", "Kouchi": "高知県", "Hyogo": "兵庫県", "Okinawa": "沖縄県", "Atlantis": "",
	} {
		if got := PrefectureJa(in); got != want {
			t.Errorf("PrefectureJa(%q) = %q, want %q", in, got, want)
		}
	}
	if len(prefecturesJa) != 47 {
		t.Errorf("%d prefectures, want 47", len(prefecturesJa))
	}
}
