package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// These tests run the built host through the real PC/SC stack: ebfe/scard,
// pcscd, vpcd, and a virtual card dialled into vpcd by this process. Under
// CI=true they fail rather than skip when pcscd or vpcd is missing.

var (
	testOrigin = "https://login.example.jp"
	testNonce  = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xa5}, 32))
)

func authParams(pin string, extra ...any) map[string]any {
	p := map[string]any{"origin": testOrigin, "challengeNonce": testNonce, "pin": pin}
	for i := 0; i+1 < len(extra); i += 2 {
		p[extra[i].(string)] = extra[i+1]
	}
	return p
}

// plug inserts card into slot's vpcd reader; the returned Conn pulls it out
// when closed, and is closed at the end of the test.
func plug(t testing.TB, d *pcsctest.Daemon, slot int, card *vcard.Card) *vcard.Conn {
	t.Helper()
	return vcardtest.Plug(t, d.VPCDAddr(slot), card)
}

// verifyToken checks a token as a relying party does, against the test CA.
func verifyToken(t testing.TB, token []byte, nonce string) {
	t.Helper()
	p, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	v, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       testOrigin,
		TrustAnchors: []*x509.Certificate{p.AuthCA.Cert},
		Nonces:       fixedNonce(nonce),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), token, "session"); err != nil {
		t.Fatalf("the token does not verify: %v", err)
	}
}

// fixedNonce is a NonceStore with one pending challenge for every session.
type fixedNonce string

func (f fixedNonce) Issue(context.Context, string) (string, error) { return string(f), nil }
func (f fixedNonce) Take(context.Context, string) (string, error)  { return string(f), nil }

type authResult struct {
	Token  json.RawMessage `json:"token"`
	Reader string          `json:"reader"`
}

// ready starts pcscd (or reuses the running one), a host, and says hello.
func ready(t *testing.T) (*pcsctest.Daemon, *hostProc) {
	t.Helper()
	d := pcsctest.StartDaemon(t)
	h := startHost(t)
	h.Hello()
	return d, h
}

func TestPCSCListReadersShowsTheCardAndItsRetries(t *testing.T) {
	d, h := ready(t)
	plug(t, d, 0, vcardtest.NewCard(t, func(c *vcard.Config) { c.AuthPIN.Failures = 1 }))
	r := h.WaitState(d.ReaderName(0), "mynumber")
	if r.AuthPINRetries == nil || *r.AuthPINRetries != 2 {
		t.Errorf("authPinRetries = %v, want 2", r.AuthPINRetries)
	}
}

func TestPCSCAuthenticate(t *testing.T) {
	d, h := ready(t)
	card := vcardtest.NewCard(t, nil)
	plug(t, d, 0, card)
	h.WaitState(d.ReaderName(0), "mynumber")

	card.ResetLog()
	var res authResult
	start := time.Now()
	h.OK("authenticate", authParams("1234"), &res)
	cold, coldAPDUs := time.Since(start), len(card.Log())
	if res.Reader != d.ReaderName(0) {
		t.Errorf("reader = %q", res.Reader)
	}
	verifyToken(t, res.Token, testNonce)

	card.ResetLog()
	start = time.Now()
	h.OK("authenticate", authParams("1234"), &res)
	cached, cachedAPDUs := time.Since(start), len(card.Log())
	verifyToken(t, res.Token, testNonce)
	if cachedAPDUs > 14 {
		t.Errorf("cached authenticate took %d APDUs, want at most 14", cachedAPDUs)
	}
	t.Logf("authenticate through pcscd: cold %v / %d APDUs, cached %v / %d APDUs", cold, coldAPDUs, cached, cachedAPDUs)
}

func TestPCSCWrongPINThenRight(t *testing.T) {
	d, h := ready(t)
	card := vcardtest.NewCard(t, nil)
	plug(t, d, 0, card)
	h.WaitState(d.ReaderName(0), "mynumber")
	e := h.Fails("authenticate", authParams("9999"), failure.PINWrong)
	if e.RetriesLeft == nil || *e.RetriesLeft != 2 {
		t.Fatalf("retriesLeft = %v, want 2", e.RetriesLeft)
	}
	var res authResult
	h.OK("authenticate", authParams("1234"), &res)
	verifyToken(t, res.Token, testNonce)
	if auth, _ := card.Retries(); auth != 3 {
		t.Errorf("%d tries left after the right PIN, want 3", auth)
	}
}

func TestPCSCBlockedPINSendsNoVERIFY(t *testing.T) {
	d, h := ready(t)
	card := vcardtest.NewCard(t, func(c *vcard.Config) { c.AuthPIN.Failures = 3 })
	plug(t, d, 0, card)
	if r := h.WaitState(d.ReaderName(0), "mynumber"); r.AuthPINRetries == nil || *r.AuthPINRetries != 0 {
		t.Errorf("authPinRetries = %v, want 0", r.AuthPINRetries)
	}
	before := card.Count(jpki.InsVerify)
	h.Fails("authenticate", authParams("1234"), failure.PINBlocked)
	// The one VERIFY is the retry-counter query (no data): the vcard log
	// holds no command data, so the count is what proves it.
	if n := card.Count(jpki.InsVerify) - before; n != 1 {
		t.Errorf("%d VERIFY commands, want 1 (the counter query)", n)
	}
	if auth, _ := card.Retries(); auth != 0 {
		t.Errorf("%d tries left, want 0", auth)
	}
}

func TestPCSCCardRemovedMidOperation(t *testing.T) {
	p, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	certReads := (len(p.AuthCert) + 255) / 256
	tests := []struct {
		name string
		arm  func(t *testing.T, card *vcard.Card, conn *vcard.Conn)
	}{
		{"during the certificate read", func(t *testing.T, card *vcard.Card, _ *vcard.Conn) {
			card.ArmDrop(3 + 1 + certReads/2) // applet + token info, SELECT, half the reads
		}},
		{"during signing", func(t *testing.T, card *vcard.Card, conn *vcard.Conn) {
			go func() {
				for card.Count(0x2A) == 0 {
					time.Sleep(time.Millisecond)
				}
				conn.Close()
			}()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, h := ready(t)
			card := vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = 500 * time.Millisecond })
			conn := plug(t, d, 0, card)
			h.WaitState(d.ReaderName(0), "mynumber")
			tt.arm(t, card, conn)
			start := time.Now()
			h.Fails("authenticate", authParams("1234"), failure.CardRemoved)
			if took := time.Since(start); took > 2*time.Second+500*time.Millisecond {
				t.Errorf("CARD_REMOVED after %v, want within 2 s of the removal", took)
			} else {
				t.Logf("CARD_REMOVED after %v", took)
			}
			h.WaitState(d.ReaderName(0), "empty")
			h.OK("version", nil, nil)
			conn.Close()
			plug(t, d, 0, card) // the same card, back in
			h.WaitState(d.ReaderName(0), "mynumber")
			var res authResult
			h.OK("authenticate", authParams("1234"), &res)
			verifyToken(t, res.Token, testNonce)
		})
	}
}

func TestPCSCCardInTheSecondReader(t *testing.T) {
	d, h := ready(t)
	plug(t, d, 1, vcardtest.NewCard(t, nil))
	h.WaitState(d.ReaderName(1), "mynumber")
	h.WaitState(d.ReaderName(0), "empty")
	var res authResult
	h.OK("authenticate", authParams("1234"), &res)
	if res.Reader != d.ReaderName(1) {
		t.Errorf("reader = %q, want %q", res.Reader, d.ReaderName(1))
	}
	verifyToken(t, res.Token, testNonce)
}

func TestPCSCNotAMyNumberCard(t *testing.T) {
	d, h := ready(t)
	plug(t, d, 0, vcardtest.NewCard(t, func(c *vcard.Config) { c.NotMyNumberCard = true }))
	h.WaitState(d.ReaderName(0), "other")
	h.Fails("authenticate", authParams("1234"), failure.NotMyNumberCard)
	h.Fails("readAuthCertificate", map[string]any{"reader": d.ReaderName(0)}, failure.NotMyNumberCard)
}

func TestPCSCUnavailableWhenPcscdIsNotRunning(t *testing.T) {
	// pcsc-lite's client library finds pcscd through this socket; pointing it
	// nowhere is a pcscd that is not running, without stopping the real one.
	h := startHost(t, "PCSCLITE_CSOCK_NAME=/nonexistent/pcscd.comm")
	h.Hello()
	h.Fails("listReaders", nil, failure.PCSCUnavailable)
	h.Fails("authenticate", authParams("1234"), failure.PCSCUnavailable)
	h.OK("version", nil, nil)
}

func TestPCSCReadersChangedOnInsertAndRemove(t *testing.T) {
	d, h := ready(t)
	reader := d.ReaderName(0)
	h.WaitState(reader, "empty")
	drain(h.Events())
	conn := plug(t, d, 0, vcardtest.NewCard(t, nil))
	waitEvent(t, h, reader, "card")
	ev := waitEvent(t, h, reader, "mynumber")
	if ev.AuthPINRetries == nil || *ev.AuthPINRetries != 3 {
		t.Errorf("event after identification: %+v", ev)
	}
	conn.Close()
	waitEvent(t, h, reader, "empty")
}

func drain(c <-chan message) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}

// waitEvent waits for a readersChanged event showing reader in state.
func waitEvent(t *testing.T, h *hostProc, reader, state string) protocol.Reader {
	t.Helper()
	var shown protocol.Reader
	h.WaitReadersChanged(func(d protocol.ReadersResult) bool {
		for _, r := range d.Readers {
			if r.Name == reader && r.State == state {
				shown = r
				return true
			}
		}
		return false
	})
	return shown
}

// A card that stops answering (here: a SIGN the card holds for 8 s, longer
// than the host waits for one APDU) is CARD_MUTE within a few seconds, and
// the request behind it fails at once without an APDU, through pcscd.
func TestPCSCACardThatStopsAnsweringIsMute(t *testing.T) {
	d, h := ready(t)
	card := vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = 8 * time.Second })
	plug(t, d, 0, card)
	h.WaitState(d.ReaderName(0), "mynumber")

	start := time.Now()
	h.Fails("authenticate", authParams("1234"), failure.CardMute)
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("CARD_MUTE after %v, want about 4 s", d)
	}
	sent := len(card.Log())
	start = time.Now()
	h.Fails("authPinStatus", nil, failure.CardMute)
	if d := time.Since(start); d > time.Second {
		t.Errorf("the next request waited %v for a mute card", d)
	}
	if n := len(card.Log()) - sent; n != 0 {
		t.Errorf("the next request sent %d APDUs to a mute card", n)
	}
}
