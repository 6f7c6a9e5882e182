package jpki_test

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// These tests run the card library against the virtual card's APDU engine
// in-process: fast, no pcscd. The same flows run through real pcscd in the
// host's integration tests.

func open(t *testing.T, vc *vcard.Card) *jpki.Card {
	t.Helper()
	c, err := jpki.Open(vc)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return c
}

func TestReadCertificatesMatchTheCard(t *testing.T) {
	pki, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := open(t, vcardtest.NewCard(t, nil))
	auth, err := c.ReadAuthCertificate()
	if err != nil || !bytes.Equal(auth, pki.AuthCert) {
		t.Fatalf("ReadAuthCertificate = %d bytes, %v; want the %d-byte test certificate", len(auth), err, len(pki.AuthCert))
	}
	ca, err := c.ReadAuthCACertificate()
	if err != nil || !bytes.Equal(ca, pki.AuthCA.DER) {
		t.Fatalf("ReadAuthCACertificate = %d bytes, %v", len(ca), err)
	}
	if c.TokenInfo() != jpki.TokenMyNumberCard {
		t.Fatalf("TokenInfo = %q", c.TokenInfo())
	}
}

func TestAuthKeySignsAfterThePIN(t *testing.T) {
	vc := vcardtest.NewCard(t, nil)
	c := open(t, vc)
	certDER, err := c.ReadAuthCertificate()
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		t.Fatal(err)
	}
	pub := cert.PublicKey.(*rsa.PublicKey)
	digest := sha256.Sum256([]byte("https://example.jp"))

	if _, err := c.AuthKey(pub).Sign(nil, digest[:], crypto.SHA256); !errors.Is(err, jpki.ErrSecurityStatus) {
		t.Fatalf("Sign before VERIFY: %v, want ErrSecurityStatus", err)
	}
	if err := c.VerifyAuthPIN([]byte(vcard.DefaultAuthPIN)); err != nil {
		t.Fatalf("VerifyAuthPIN: %v", err)
	}
	sig, err := c.AuthKey(pub).Sign(nil, digest[:], crypto.SHA256)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		t.Fatalf("signature does not verify with the certificate's key: %v", err)
	}
}

func TestWrongPINCountsDownAndBlocksWithoutFurtherVERIFY(t *testing.T) {
	vc := vcardtest.NewCard(t, nil)
	c := open(t, vc)
	wrong := []byte("9999")
	for _, left := range []int{2, 1} {
		if n, ok := jpki.IsWrongPIN(c.VerifyAuthPIN(wrong)); !ok || n != left {
			t.Fatalf("wrong PIN: retries %d (ok=%v), want %d", n, ok, left)
		}
	}
	if err := c.VerifyAuthPIN(wrong); !errors.Is(err, jpki.ErrPINBlocked) {
		t.Fatalf("third wrong PIN: %v, want ErrPINBlocked", err)
	}
	if n, err := c.AuthPINRetries(); n != 0 || err != nil {
		t.Fatalf("AuthPINRetries after blocking = %d, %v", n, err)
	}

	before := vc.Log()
	if err := c.VerifyAuthPIN([]byte(vcard.DefaultAuthPIN)); !errors.Is(err, jpki.ErrPINBlocked) {
		t.Fatalf("correct PIN on a blocked card: %v, want ErrPINBlocked", err)
	}
	// Only the counter query may reach the card: one VERIFY, answered 63 C0.
	var verifies []vcard.Exchange
	for _, ex := range vc.Log()[len(before):] {
		if ex.INS == jpki.InsVerify {
			verifies = append(verifies, ex)
		}
	}
	if len(verifies) != 1 || verifies[0].SW != 0x63C0 {
		t.Fatalf("VERIFY commands sent to the blocked card: %v; want only the counter query", verifies)
	}
	if auth, _ := vc.Retries(); auth != 0 {
		t.Fatalf("card counter = %d, want 0", auth)
	}
}

func TestCorrectPINResetsTheCounter(t *testing.T) {
	vc := vcardtest.NewCard(t, nil)
	c := open(t, vc)
	if _, ok := jpki.IsWrongPIN(c.VerifyAuthPIN([]byte("0000"))); !ok {
		t.Fatal("wrong PIN not reported")
	}
	if err := c.VerifyAuthPIN([]byte(vcard.DefaultAuthPIN)); err != nil {
		t.Fatal(err)
	}
	if n, err := c.AuthPINRetries(); n != 3 || err != nil {
		t.Fatalf("AuthPINRetries after a correct PIN = %d, %v; want 3", n, err)
	}
}

func TestBadPINFormatSendsNothing(t *testing.T) {
	vc := vcardtest.NewCard(t, nil)
	c := open(t, vc)
	vc.ResetLog()
	for _, pin := range []string{"", "123", "12345", "abcd", "12 4"} {
		if err := c.VerifyAuthPIN([]byte(pin)); !errors.Is(err, jpki.ErrBadPINFormat) {
			t.Errorf("VerifyAuthPIN(%q) = %v, want ErrBadPINFormat", pin, err)
		}
	}
	if got := len(vc.Log()); got != 0 {
		t.Fatalf("%d APDUs reached the card for malformed PINs", got)
	}
}

func TestOpenRejectsOtherCards(t *testing.T) {
	tests := []struct {
		name string
		edit func(*vcard.Config)
	}{
		{"card without the JPKI applet", func(c *vcard.Config) { c.NotMyNumberCard = true }},
		{"old Juki card", func(c *vcard.Config) { c.TokenInfo = jpki.TokenJukiCard }},
		{"smartphone token", func(c *vcard.Config) { c.TokenInfo = jpki.TokenSmartphone }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := jpki.Open(vcardtest.NewCard(t, tt.edit)); !errors.Is(err, jpki.ErrNotMyNumberCard) {
				t.Fatalf("Open = %v, want ErrNotMyNumberCard", err)
			}
		})
	}
	if _, err := jpki.OpenKnown(vcardtest.NewCard(t, func(c *vcard.Config) { c.NotMyNumberCard = true })); !errors.Is(err, jpki.ErrNotMyNumberCard) {
		t.Fatalf("OpenKnown on a card without the applet = %v, want ErrNotMyNumberCard", err)
	}
}

func TestCardRemovedMidReadIsNamed(t *testing.T) {
	// Open takes 3 APDUs, the certificate's SELECT and first READ 2 more.
	vc := vcardtest.NewCard(t, func(c *vcard.Config) { c.DropAfter = 5 })
	c := open(t, vc)
	if _, err := c.ReadAuthCertificate(); !errors.Is(err, jpki.ErrCardRemoved) {
		t.Fatalf("ReadAuthCertificate with the card pulled = %v, want ErrCardRemoved", err)
	}
}

func TestReselectingTheAppletLogsOut(t *testing.T) {
	vc := vcardtest.NewCard(t, nil)
	c := open(t, vc)
	if err := c.VerifyAuthPIN([]byte(vcard.DefaultAuthPIN)); err != nil {
		t.Fatal(err)
	}
	again, err := jpki.OpenKnown(vc)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(nil)
	if _, err := again.AuthKey(nil).Sign(nil, digest[:], crypto.SHA256); !errors.Is(err, jpki.ErrSecurityStatus) {
		t.Fatalf("Sign after re-selecting the applet = %v, want ErrSecurityStatus", err)
	}
}

func TestSignKeyNeedsThePassword(t *testing.T) {
	pki, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	vc := vcardtest.NewCard(t, nil)
	c := open(t, vc)
	if _, err := c.ReadSignCertificate(); !errors.Is(err, jpki.ErrSecurityStatus) {
		t.Fatalf("ReadSignCertificate before the password = %v, want ErrSecurityStatus", err)
	}
	if err := c.VerifySignPassword([]byte("abc123")); !errors.Is(err, jpki.ErrBadPINFormat) {
		t.Fatalf("lower-case password = %v, want ErrBadPINFormat (callers normalize first)", err)
	}
	pw := []byte("abc123")
	jpki.NormalizeSignPassword(pw)
	if err := c.VerifySignPassword(pw); err != nil {
		t.Fatalf("VerifySignPassword: %v", err)
	}
	certDER, err := c.ReadSignCertificate()
	if err != nil || !bytes.Equal(certDER, pki.SignCert) {
		t.Fatalf("ReadSignCertificate = %d bytes, %v", len(certDER), err)
	}
	pub := pki.SignCertificate().PublicKey.(*rsa.PublicKey)
	digest := sha256.Sum256([]byte("document"))
	sig, err := c.SignKey(pub).Sign(nil, digest[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		t.Fatalf("sign-key signature: %v", err)
	}
	if n, err := c.SignPasswordRetries(); n != 5 || err != nil {
		t.Fatalf("SignPasswordRetries = %d, %v; want 5", n, err)
	}
}

// BenchmarkAuthenticateAPDUs reports the APDUs of a cold login on the
// in-process card: identify, read the certificate, PIN, sign.
func BenchmarkAuthenticateAPDUs(b *testing.B) {
	cfg, err := vcard.DefaultConfig()
	if err != nil {
		b.Fatal(err)
	}
	vc, err := vcard.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte("challenge"))
	var apdus int
	for b.Loop() {
		vc.Reset()
		vc.ResetLog()
		c, err := jpki.Open(vc)
		if err != nil {
			b.Fatal(err)
		}
		certDER, err := c.ReadAuthCertificate()
		if err != nil {
			b.Fatal(err)
		}
		cert, _ := x509.ParseCertificate(certDER)
		if err := c.VerifyAuthPIN([]byte(vcard.DefaultAuthPIN)); err != nil {
			b.Fatal(err)
		}
		if _, err := c.AuthKey(cert.PublicKey.(*rsa.PublicKey)).Sign(nil, digest[:], crypto.SHA256); err != nil {
			b.Fatal(err)
		}
		apdus = len(vc.Log())
	}
	b.ReportMetric(float64(apdus), "APDUs/op")
}
