package router

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

var errPCSCDown = errors.New("pcscd is not running")

// slowSign is a sign delay long enough to do things while the card signs.
const slowSign = 800 * time.Millisecond

func testPKI(t *testing.T) *testpki.PKI {
	t.Helper()
	p, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// verifyToken checks a token the way a relying party does.
func verifyToken(t *testing.T, token []byte, origin, nonce string) *authtoken.Result {
	t.Helper()
	p := testPKI(t)
	store := fixedNonce{nonce}
	v, err := authtoken.NewVerifier(authtoken.Config{Origin: origin, TrustAnchors: []*x509.Certificate{p.AuthCA.Cert}, Nonces: store})
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.Verify(context.Background(), token, "session")
	if err != nil {
		t.Fatalf("the token does not verify: %v", err)
	}
	return res
}

// fixedNonce is a NonceStore whose one session has nonce pending.
type fixedNonce struct{ nonce string }

func (f fixedNonce) Issue(context.Context, string) (string, error) { return f.nonce, nil }
func (f fixedNonce) Take(context.Context, string) (string, error)  { return f.nonce, nil }

func TestListReadersShowsEachState(t *testing.T) {
	h := newHarness(t, options{readers: []string{"A", "B", "C", "D"}})
	h.Hello()
	h.backend.HoldElsewhere("D", true)
	h.insert("B", vcardtest.NewCard(t, nil), "mynumber")
	h.insert("C", vcardtest.NewCard(t, func(c *vcard.Config) { c.NotMyNumberCard = true }), "other")
	h.insert("D", vcardtest.NewCard(t, nil), "busy")
	got := h.readers().Readers
	three := 3
	want := []protocol.Reader{
		{Name: "A", State: "empty"},
		{Name: "B", State: "mynumber", AuthPINRetries: &three},
		{Name: "C", State: "other"},
		{Name: "D", State: "busy"},
	}
	if len(got) != len(want) {
		t.Fatalf("readers = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].State != want[i].State ||
			(got[i].AuthPINRetries == nil) != (want[i].AuthPINRetries == nil) ||
			got[i].AuthPINRetries != nil && *got[i].AuthPINRetries != *want[i].AuthPINRetries {
			t.Errorf("reader %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// The other program lets go: the card is identified.
	h.backend.HoldElsewhere("D", false)
	h.WaitState("D", "mynumber")
}

func TestIdentificationOfAnInsertedCardTakesFiveAPDUs(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, nil)
	h.insert(reader0, c, "mynumber")
	if n := len(c.Log()); n != 5 {
		t.Errorf("identification used %d APDUs, want 5 (SELECT AP, token info x2, PIN counter x2): %v", n, c.Log())
	}
}

func TestReadAuthCertificateReadsOnceThenAnswersFromMemory(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, nil)
	h.insert(reader0, c, "mynumber")
	c.ResetLog()
	var res protocol.CertificateResult
	h.OK("readAuthCertificate", nil, &res)
	p := testPKI(t)
	sum := sha256.Sum256(p.AuthCert)
	if res.Reader != reader0 || !bytes.Equal(res.Certificate, p.AuthCert) || res.CertificateSHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("readAuthCertificate = reader %q, %d bytes, sha %s", res.Reader, len(res.Certificate), res.CertificateSHA256)
	}
	first := len(c.Log())
	h.OK("readAuthCertificate", map[string]any{"reader": reader0}, &res)
	if n := len(c.Log()) - first; n != 0 {
		t.Errorf("second read used %d APDUs, want 0", n)
	}
	t.Logf("certificate of %d bytes read in %d APDUs", len(p.AuthCert), first)
}

func TestAuthPINStatusUsesNoTry(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, func(c *vcard.Config) { c.AuthPIN.Failures = 1 })
	h.insert(reader0, c, "mynumber")
	var st protocol.PINStatusResult
	for range 3 {
		h.OK("authPinStatus", nil, &st)
	}
	if st.RetriesLeft != 2 || st.Blocked || st.Reader != reader0 {
		t.Errorf("authPinStatus = %+v, want 2 left", st)
	}
	if auth, _ := c.Retries(); auth != 2 {
		t.Errorf("card has %d tries left, want 2", auth)
	}
}

func TestAuthenticateReturnsATokenTheVerifierAccepts(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	h.insert(reader0, vcardtest.NewCard(t, nil), "mynumber")
	var res authResult
	h.OK("authenticate", authParams("1234"), &res)
	if res.Reader != reader0 {
		t.Errorf("reader = %q", res.Reader)
	}
	got := verifyToken(t, res.Token, testOrigin, testNonce)
	if got.Subject == "" {
		t.Error("no subject")
	}
	// The same token does not verify for another site.
	p := testPKI(t)
	v, _ := authtoken.NewVerifier(authtoken.Config{Origin: "https://evil.example", TrustAnchors: []*x509.Certificate{p.AuthCA.Cert}, Nonces: fixedNonce{testNonce}})
	if _, err := v.Verify(context.Background(), res.Token, "s"); err == nil {
		t.Error("the token verified for another origin")
	}
}

func TestAuthenticateValidatesBeforeAnyAPDU(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]any
		code   failure.Code
	}{
		{"http origin", map[string]any{"origin": "http://login.example.jp", "challengeNonce": testNonce, "pin": "1234"}, failure.BadOrigin},
		{"origin with a path", map[string]any{"origin": testOrigin + "/", "challengeNonce": testNonce, "pin": "1234"}, failure.BadOrigin},
		{"empty origin", map[string]any{"origin": "", "challengeNonce": testNonce, "pin": "1234"}, failure.BadOrigin},
		{"short nonce", map[string]any{"origin": testOrigin, "challengeNonce": "AAAA", "pin": "1234"}, failure.BadNonce},
		{"nonce not base64", map[string]any{"origin": testOrigin, "challengeNonce": "!!!!" + testNonce, "pin": "1234"}, failure.BadNonce},
		{"PIN of 3 digits", authParams("123"), failure.PINFormat},
		{"PIN of 5 digits", authParams("12345"), failure.PINFormat},
		{"PIN with a letter", authParams("12a4"), failure.PINFormat},
		{"empty PIN", authParams(""), failure.PINFormat},
		{"PIN with full-width digits", authParams("１２３４"), failure.PINFormat},
		{"PIN with an escape", authParams("12\"4"), failure.PINFormat},
	}
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, nil)
	h.insert(reader0, c, "mynumber")
	c.ResetLog()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.t = t
			h.Fails("authenticate", tt.params, tt.code)
			if n := len(c.Log()); n != 0 {
				t.Errorf("%d APDUs sent, want 0: %v", n, c.Log())
			}
		})
	}
}

func TestWrongPINCountsDownThenBlocksAndNoVERIFYIsSentOnceBlocked(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, nil)
	h.insert(reader0, c, "mynumber")
	for _, left := range []int{2, 1} {
		e := h.Fails("authenticate", authParams("9999"), failure.PINWrong)
		if e.RetriesLeft == nil || *e.RetriesLeft != left {
			t.Fatalf("PIN_WRONG retriesLeft = %v, want %d", e.RetriesLeft, left)
		}
		if r := h.WaitState(reader0, "mynumber"); *r.AuthPINRetries != left {
			t.Errorf("listReaders authPinRetries = %d, want %d", *r.AuthPINRetries, left)
		}
	}
	e := h.Fails("authenticate", authParams("9999"), failure.PINBlocked)
	if e.RetriesLeft == nil || *e.RetriesLeft != 0 {
		t.Errorf("PIN_BLOCKED retriesLeft = %v, want 0", e.RetriesLeft)
	}
	sent := h.verifyWithPIN.Load()
	verifies := c.Count(0x20)
	h.Fails("authenticate", authParams("1234"), failure.PINBlocked)
	var st protocol.PINStatusResult
	h.OK("authPinStatus", nil, &st)
	if !st.Blocked || st.RetriesLeft != 0 {
		t.Errorf("authPinStatus = %+v, want blocked", st)
	}
	if n := h.verifyWithPIN.Load() - sent; n != 0 {
		t.Errorf("%d VERIFY with a PIN sent to a blocked card, want 0", n)
	}
	if n := c.Count(0x20) - verifies; n != 2 {
		t.Errorf("%d VERIFY commands after blocking, want 2 counter queries", n)
	}
	if r := h.WaitState(reader0, "mynumber"); *r.AuthPINRetries != 0 {
		t.Errorf("listReaders authPinRetries = %d, want 0", *r.AuthPINRetries)
	}
}

func TestCorrectPINResetsTheCounter(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, nil)
	h.insert(reader0, c, "mynumber")
	h.Fails("authenticate", authParams("9999"), failure.PINWrong)
	h.OK("authenticate", authParams("1234"), nil)
	if auth, _ := c.Retries(); auth != 3 {
		t.Errorf("card has %d tries left, want 3", auth)
	}
	if r := h.WaitState(reader0, "mynumber"); *r.AuthPINRetries != 3 {
		t.Errorf("listReaders authPinRetries = %d, want 3", *r.AuthPINRetries)
	}
}

// The APDU budget of a login: cold means no certificate in memory.
func TestAuthenticateAPDUCountColdAndCached(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, nil)
	h.insert(reader0, c, "mynumber")
	p := testPKI(t)
	certReads := (len(p.AuthCert) + 255) / 256

	c.ResetLog()
	h.OK("authenticate", authParams("1234"), nil)
	cold := len(c.Log())
	// SELECT AP (the card was identified on insertion, so no token
	// info), cert (SELECT + reads), PIN (SELECT, counter, VERIFY), key
	// (SELECT, SIGN).
	if want := 1 + 1 + certReads + 3 + 2; cold != want || cold > 14 {
		t.Errorf("cold authenticate: %d APDUs, want %d: %v", cold, want, c.Log())
	}

	c.ResetLog()
	h.OK("authenticate", authParams("1234"), nil)
	cached := len(c.Log())
	if cached != 6 {
		t.Errorf("cached authenticate: %d APDUs, want 6: %v", cached, c.Log())
	}
	t.Logf("APDUs per authenticate: cold %d (certificate of %d bytes), cached %d", cold, len(p.AuthCert), cached)
}

func TestCardChangedWhenTheCertificateIsNotTheOneShown(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, nil)
	h.insert(reader0, c, "mynumber")
	other := sha256.Sum256([]byte("another certificate"))
	sent := h.verifyWithPIN.Load()
	h.Fails("authenticate", authParams("1234", "certificateSha256", hex.EncodeToString(other[:])), failure.CardChanged)
	if h.verifyWithPIN.Load() != sent {
		t.Error("a PIN was sent although the certificate differs")
	}
	// With the hash of the certificate shown, it works.
	var cert protocol.CertificateResult
	h.OK("readAuthCertificate", nil, &cert)
	h.OK("authenticate", authParams("1234", "certificateSha256", cert.CertificateSHA256), nil)
}
