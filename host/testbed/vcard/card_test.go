package vcard

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// sha256Prefix is the DER DigestInfo header for SHA-256 (jpki-card.md).
var sha256Prefix = []byte{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

func digestInfo(msg string) (digest, info []byte) {
	sum := sha256.Sum256([]byte(msg))
	return sum[:], append(bytes.Clone(sha256Prefix), sum[:]...)
}

// newCard makes a DefaultConfig card, changed by edit if not nil.
func newCard(t testing.TB, edit func(*Config)) *Card {
	t.Helper()
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// send transmits cmd and splits the answer; a transport error fails the test.
func send(t testing.TB, c *Card, cmd []byte) ([]byte, uint16) {
	t.Helper()
	resp, err := c.Transmit(cmd)
	if err != nil {
		t.Fatalf("Transmit(% X): %v", cmd, err)
	}
	r, err := jpki.ParseResponse(resp)
	if err != nil {
		t.Fatal(err)
	}
	return r.Data, r.SW
}

// expect transmits cmd, checks the status word and returns the data.
func expect(t testing.TB, c *Card, cmd []byte, want uint16) []byte {
	t.Helper()
	data, sw := send(t, c, cmd)
	if sw != want {
		t.Fatalf("% X: SW %04X, want %04X", cmd, sw, want)
	}
	return data
}

func selectAP() []byte                { return jpki.SelectAIDCommand(jpki.AIDJPKI) }
func selectEF(fid uint16) []byte      { return jpki.SelectEFCommand(fid) }
func verify(pin string) []byte        { return jpki.VerifyCommand([]byte(pin)) }
func counterQuery() []byte            { return jpki.VerifyCommand(nil) }
func readAt(off uint16, n int) []byte { return jpki.ReadBinaryCommand(off, n) }

// login selects the applet, verifies pin on pinEF and selects keyEF.
func login(t testing.TB, c *Card, pinFID uint16, pin string, keyFID uint16) {
	t.Helper()
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(pinFID), jpki.SWOK)
	expect(t, c, verify(pin), jpki.SWOK)
	expect(t, c, selectEF(keyFID), jpki.SWOK)
}

func TestTransmitAfterRemoveIsErrCardRemovedUntilInsert(t *testing.T) {
	c := newCard(t, nil)
	c.Remove()
	if c.Present() {
		t.Fatal("Present after Remove")
	}
	if _, err := c.Transmit(selectAP()); !errors.Is(err, jpki.ErrCardRemoved) {
		t.Fatalf("Transmit after Remove: %v, want ErrCardRemoved", err)
	}
	c.Insert()
	expect(t, c, selectAP(), jpki.SWOK)
}

func TestTransmitWhilePoweredOffFails(t *testing.T) {
	c := newCard(t, nil)
	c.PowerOff()
	if _, err := c.Transmit(selectAP()); !errors.Is(err, ErrPoweredOff) {
		t.Fatalf("Transmit while powered off: %v, want ErrPoweredOff", err)
	}
	c.PowerOn()
	expect(t, c, selectAP(), jpki.SWOK)
}

func TestSessionEndsLogOut(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(*Card)
	}{
		{"Reset", (*Card).Reset},
		{"PowerCycle", func(c *Card) { c.PowerOff(); c.PowerOn() }},
		{"RemoveInsert", func(c *Card) { c.Remove(); c.Insert() }},
		{"ReselectAP", func(c *Card) { c.Transmit(selectAP()) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCard(t, nil)
			login(t, c, jpki.EFAuthPIN, DefaultAuthPIN, jpki.EFAuthKey)
			tc.end(c)
			if tc.name != "ReselectAP" {
				// The selection is gone too: EFs are not found until the
				// applet is selected again.
				expect(t, c, selectEF(jpki.EFAuthKey), jpki.SWFileNotFound)
				expect(t, c, selectAP(), jpki.SWOK)
			}
			expect(t, c, selectEF(jpki.EFAuthKey), jpki.SWOK)
			_, di := digestInfo("after the session ended")
			expect(t, c, jpki.SignCommand(di), jpki.SWSecurityStatusNotSatisfied)
			if auth, _ := c.Retries(); auth != DefaultAuthRetries {
				t.Errorf("auth retries %d after session end, want %d (counters persist)", auth, DefaultAuthRetries)
			}
		})
	}
}

func TestATRIsT1WithValidCheckByte(t *testing.T) {
	atr := newCard(t, nil).ATR()
	if atr[0] != 0x3B {
		t.Fatalf("TS %02X, want 3B", atr[0])
	}
	var x byte
	for _, b := range atr[1:] {
		x ^= b
	}
	if x != 0 {
		t.Fatalf("ATR % X: TCK does not check (XOR of T0..TCK = %02X)", atr, x)
	}
	if !bytes.Contains(atr[:4], []byte{0x01}) {
		t.Errorf("ATR % X offers no T=1", atr)
	}
	atr[0] = 0 // a copy: must not change the card
	if newCard(t, nil).ATR()[0] != 0x3B {
		t.Fatal("ATR returned the card's own slice")
	}
}

func TestLogKeepsHeadersAndStatusWordsOnly(t *testing.T) {
	c := newCard(t, nil)
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(jpki.EFAuthPIN), jpki.SWOK)
	expect(t, c, verify("9999"), 0x63C2)
	expect(t, c, counterQuery(), 0x63C2)
	send(t, c, []byte{0x00})

	want := []Exchange{
		{0x00, 0xA4, 0x04, 0x0C, 0x9000},
		{0x00, 0xA4, 0x02, 0x0C, 0x9000},
		{0x00, 0x20, 0x00, 0x80, 0x63C2},
		{0x00, 0x20, 0x00, 0x80, 0x63C2},
		{0x00, 0x00, 0x00, 0x00, 0x6700},
	}
	got := c.Log()
	if len(got) != len(want) {
		t.Fatalf("log has %d exchanges, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("log[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if n := c.Count(jpki.InsVerify); n != 2 {
		t.Errorf("Count(VERIFY) = %d, want 2", n)
	}
	if n := c.Count(jpki.InsSelect); n != 2 {
		t.Errorf("Count(SELECT) = %d, want 2", n)
	}
	if got := want[2].String(); got != "00 20 00 80 -> 63C2" {
		t.Errorf("String() = %q", got)
	}
	c.ResetLog()
	if len(c.Log()) != 0 || c.Count(jpki.InsVerify) != 0 {
		t.Fatal("ResetLog left entries")
	}
}

func TestOnExchangeSeesEveryAnswer(t *testing.T) {
	var seen []Exchange
	c := newCard(t, func(cfg *Config) { cfg.OnExchange = func(e Exchange) { seen = append(seen, e) } })
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(0x1234), jpki.SWFileNotFound)
	if len(seen) != 2 || seen[1].SW != jpki.SWFileNotFound {
		t.Fatalf("OnExchange saw %v", seen)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"AuthPINNotDigits", func(c *Config) { c.AuthPIN.Value = "12a4" }},
		{"AuthPINTooLong", func(c *Config) { c.AuthPIN.Value = "12345" }},
		{"SignPasswordLowercase", func(c *Config) { c.SignPassword.Value = "abc123" }},
		{"SignPasswordTooShort", func(c *Config) { c.SignPassword.Value = "ABC12" }},
		{"SignPasswordTooLong", func(c *Config) { c.SignPassword.Value = "ABCDEFGHIJ1234567" }},
		{"MaxRetriesOver15", func(c *Config) { c.AuthPIN.MaxRetries = 16 }},
		{"FailuresOverMax", func(c *Config) { c.AuthPIN.Failures = 4 }},
		{"KeyDoesNotMatchCert", func(c *Config) { c.AuthKey = c.SignKey }},
		{"NoSignKey", func(c *Config) { c.SignKey = nil }},
		{"CACertGarbage", func(c *Config) { c.SignCACert = []byte{0x30, 0x00} }},
		{"TokenInfoTooLong", func(c *Config) { c.TokenInfo = string(bytes.Repeat([]byte{'A'}, 33)) }},
		{"TokenInfoNotASCII", func(c *Config) { c.TokenInfo = "JPKIトークン" }},
		{"ATRTooShort", func(c *Config) { c.ATR = []byte{0x3B} }},
		{"NegativeSignDelay", func(c *Config) { c.SignDelay = -1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := DefaultConfig()
			if err != nil {
				t.Fatal(err)
			}
			tc.edit(&cfg)
			if _, err := New(cfg); err == nil {
				t.Fatal("New accepted the config")
			}
		})
	}
}

func TestConfigErrorsDoNotShowThePIN(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.AuthPIN.Value = "98x6"
	_, err = New(cfg)
	if err == nil || bytes.Contains([]byte(err.Error()), []byte("98x6")) {
		t.Fatalf("error %v shows the PIN", err)
	}
}

func TestSignatureVerifiesWithCertificateKey(t *testing.T) {
	for _, tc := range []struct {
		name           string
		pinFID, keyFID uint16
		pin            string
		key            func(*Config) *rsa.PublicKey
	}{
		{"Auth", jpki.EFAuthPIN, jpki.EFAuthKey, DefaultAuthPIN, func(c *Config) *rsa.PublicKey { return &c.AuthKey.PublicKey }},
		{"Sign", jpki.EFSignPassword, jpki.EFSignKey, DefaultSignPassword, func(c *Config) *rsa.PublicKey { return &c.SignKey.PublicKey }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := DefaultConfig()
			if err != nil {
				t.Fatal(err)
			}
			c, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			login(t, c, tc.pinFID, tc.pin, tc.keyFID)
			digest, di := digestInfo("hello " + tc.name)
			sig := expect(t, c, jpki.SignCommand(di), jpki.SWOK)
			if len(sig) != 256 {
				t.Fatalf("signature of %d bytes, want 256", len(sig))
			}
			if err := rsa.VerifyPKCS1v15(tc.key(&cfg), crypto.SHA256, digest, sig); err != nil {
				t.Fatalf("signature does not verify: %v", err)
			}
			// Deterministic, and the PIN stays verified for a second one.
			if again := expect(t, c, jpki.SignCommand(di), jpki.SWOK); !bytes.Equal(again, sig) {
				t.Fatal("second signature differs")
			}
		})
	}
}
