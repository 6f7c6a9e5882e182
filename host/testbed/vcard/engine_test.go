package vcard

import (
	"bytes"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// step is one APDU of a scripted session and the status word it must get.
type step struct {
	cmd []byte
	sw  uint16
}

// TestRules runs each rule of jpki-card.md as a short APDU script against a
// fresh DefaultConfig card.
func TestRules(t *testing.T) {
	_, di := digestInfo("rules")
	const (
		retries3 = 0x63C3
		retries2 = 0x63C2
		retries1 = 0x63C1
		blocked  = 0x63C0
	)
	tests := []struct {
		name  string
		edit  func(*Config)
		steps []step
	}{
		// SELECT
		{"SelectAP", nil, []step{{selectAP(), jpki.SWOK}}},
		{"SelectEFBeforeAPNotFound", nil, []step{{selectEF(jpki.EFAuthCert), jpki.SWFileNotFound}}},
		{"SelectUnknownAIDNotFound", nil, []step{{jpki.SelectAIDCommand([]byte{0xA0, 0, 0, 0, 0x03, 0x08}), jpki.SWFileNotFound}}},
		{"SelectJuminAPNotFound", nil, []step{{jpki.SelectAIDCommand([]byte{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08}), jpki.SWFileNotFound}}},
		{"SelectUnknownEFNotFound", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(0x0011), jpki.SWFileNotFound}}},
		{"SelectEveryEF", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFTokenInfo), jpki.SWOK},
			{selectEF(jpki.EFAuthCert), jpki.SWOK},
			{selectEF(jpki.EFAuthCACert), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{selectEF(jpki.EFAuthKey), jpki.SWOK},
			{selectEF(jpki.EFSignCert), jpki.SWOK},
			{selectEF(jpki.EFSignCACert), jpki.SWOK},
			{selectEF(jpki.EFSignPassword), jpki.SWOK},
			{selectEF(jpki.EFSignKey), jpki.SWOK},
		}},
		{"SelectP1MFWrongParameters", nil, []step{{[]byte{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00}, jpki.SWWrongParameters}}},
		{"SelectUnknownAIDWithFCINotFound", nil, []step{{jpki.SelectAIDCommand([]byte{0xA0, 0, 0, 3, 8}), jpki.SWFileNotFound}, {[]byte{0x00, 0xA4, 0x04, 0x00, 0x05, 0xA0, 0, 0, 3, 8, 0x00}, jpki.SWFileNotFound}}},
		{"SelectEFWithFCIWrongParameters", nil, []step{{selectAP(), jpki.SWOK}, {[]byte{0x00, 0xA4, 0x02, 0x00, 0x02, 0x00, 0x0A}, jpki.SWWrongParameters}}},
		{"SelectWithFCIWrongParameters", nil, []step{{[]byte{0x00, 0xA4, 0x04, 0x00, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01}, jpki.SWWrongParameters}}},
		{"SelectEFWithThreeBytesWrongLength", nil, []step{{selectAP(), jpki.SWOK}, {[]byte{0x00, 0xA4, 0x02, 0x0C, 0x03, 0x00, 0x0A, 0x00}, jpki.SWWrongLength}}},
		{"FailedSelectKeepsSelection", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthCert), jpki.SWOK},
			{jpki.SelectAIDCommand([]byte{0xA0, 0, 0, 0, 0x03}), jpki.SWFileNotFound},
			{selectEF(0x7777), jpki.SWFileNotFound},
			{readAt(0, 4), jpki.SWOK},
		}},

		// READ BINARY
		{"ReadWithoutEF", nil, []step{{selectAP(), jpki.SWOK}, {readAt(0, 4), swNoCurrentEF}}},
		{"ReadKeyRefused", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFAuthKey), jpki.SWOK}, {readAt(0, 4), swIncompatibleFile}}},
		{"ReadPINRefused", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFAuthPIN), jpki.SWOK}, {readAt(0, 4), swIncompatibleFile}}},
		{"ReadAuthCertWithoutPIN", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFAuthCert), jpki.SWOK}, {readAt(0, 4), jpki.SWOK}}},
		{"ReadCACertsWithoutPIN", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthCACert), jpki.SWOK}, {readAt(0, 4), jpki.SWOK},
			{selectEF(jpki.EFSignCACert), jpki.SWOK}, {readAt(0, 4), jpki.SWOK},
		}},
		{"ReadSignCertNeedsPassword", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFSignCert), jpki.SWOK},
			{readAt(0, 4), jpki.SWSecurityStatusNotSatisfied},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{verify(DefaultAuthPIN), jpki.SWOK}, // the wrong PIN for this file
			{selectEF(jpki.EFSignCert), jpki.SWOK},
			{readAt(0, 4), jpki.SWSecurityStatusNotSatisfied},
			{selectEF(jpki.EFSignPassword), jpki.SWOK},
			{verify(DefaultSignPassword), jpki.SWOK},
			{selectEF(jpki.EFSignCert), jpki.SWOK},
			{readAt(0, 4), jpki.SWOK},
		}},
		{"ReadOffsetFarBeyondEnd", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFTokenInfo), jpki.SWOK}, {readAt(0x7000, 1), jpki.SWOffsetOutOfFile}}},
		{"ReadAtEnd", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFTokenInfo), jpki.SWOK}, {readAt(32, 1), jpki.SWOffsetOutOfFile}}},
		{"ReadPastEnd", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFTokenInfo), jpki.SWOK}, {readAt(30, 4), jpki.SWEndOfFileWarning}}},
		{"ReadExactlyToEnd", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFTokenInfo), jpki.SWOK}, {readAt(28, 4), jpki.SWOK}}},
		{"ReadWithoutLe", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFTokenInfo), jpki.SWOK}, {[]byte{0x00, 0xB0, 0x00, 0x00}, jpki.SWWrongLength}}},
		{"ReadWithData", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFTokenInfo), jpki.SWOK}, {[]byte{0x00, 0xB0, 0x00, 0x00, 0x01, 0x00, 0x04}, jpki.SWWrongLength}}},

		// VERIFY and the retry counters
		{"CounterQueryUsesNoTry", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{counterQuery(), retries3},
			{counterQuery(), retries3},
			{counterQuery(), retries3},
			{counterQuery(), retries3},
		}},
		{"CounterQueryAfterCorrectVerifyStill63Cx", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{verify(DefaultAuthPIN), jpki.SWOK},
			{counterQuery(), retries3},
		}},
		{"CounterQueryWithLeOnly", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{[]byte{0x00, 0x20, 0x00, 0x80, 0x00}, retries3},
		}},
		{"WrongPINCountsDownAndThirdBlocks", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{verify("0000"), retries2},
			{counterQuery(), retries2},
			{verify("1111"), retries1},
			{verify("2222"), jpki.SWAuthMethodBlocked},
			{counterQuery(), blocked},
		}},
		{"BlockedPINNeverTouchesCounter", func(c *Config) { c.AuthPIN.Failures = 3 }, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{counterQuery(), blocked},
			{verify(DefaultAuthPIN), jpki.SWAuthMethodBlocked},
			{verify("0000"), jpki.SWAuthMethodBlocked},
			{counterQuery(), blocked},
			{selectEF(jpki.EFAuthKey), jpki.SWOK},
			{jpki.SignCommand(di), jpki.SWSecurityStatusNotSatisfied},
		}},
		{"CorrectPINResetsCounter", func(c *Config) { c.AuthPIN.Failures = 2 }, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{counterQuery(), retries1},
			{verify(DefaultAuthPIN), jpki.SWOK},
			{counterQuery(), retries3},
		}},
		{"WrongPINAfterCorrectLogsOut", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{verify(DefaultAuthPIN), jpki.SWOK},
			{verify("4321"), retries2},
			{selectEF(jpki.EFAuthKey), jpki.SWOK},
			{jpki.SignCommand(di), jpki.SWSecurityStatusNotSatisfied},
		}},
		{"MalformedPINIsAWrongTry", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{verify("12345"), retries2},
			{verify("123"), retries1},
			{verify("abcd"), jpki.SWAuthMethodBlocked},
		}},
		{"SignPasswordHasFiveTries", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFSignPassword), jpki.SWOK},
			{counterQuery(), 0x63C5},
			{verify("abc123"), 0x63C4}, // the card does not uppercase
			{verify(DefaultSignPassword), jpki.SWOK},
			{counterQuery(), 0x63C5},
		}},
		{"PINsAreIndependent", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFSignPassword), jpki.SWOK},
			{verify(DefaultAuthPIN), 0x63C4},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{counterQuery(), retries3},
		}},
		{"VerifyWithoutEF", nil, []step{{selectAP(), jpki.SWOK}, {verify(DefaultAuthPIN), swNoCurrentEF}}},
		{"VerifyOnCertificate", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFAuthCert), jpki.SWOK}, {verify(DefaultAuthPIN), swIncompatibleFile}}},
		{"VerifyWrongP2", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFAuthPIN), jpki.SWOK}, {[]byte{0x00, 0x20, 0x00, 0x81}, jpki.SWWrongParameters}}},

		// SIGN
		{"SignWithoutPIN", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFAuthKey), jpki.SWOK}, {jpki.SignCommand(di), jpki.SWSecurityStatusNotSatisfied}}},
		{"SignKeyNeedsSignPassword", nil, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{verify(DefaultAuthPIN), jpki.SWOK},
			{selectEF(jpki.EFSignKey), jpki.SWOK},
			{jpki.SignCommand(di), jpki.SWSecurityStatusNotSatisfied},
			{selectEF(jpki.EFAuthKey), jpki.SWOK},
			{jpki.SignCommand(di), jpki.SWOK},
		}},
		{"SignWithoutEF", nil, []step{{selectAP(), jpki.SWOK}, {jpki.SignCommand(di), swNoCurrentEF}}},
		{"SignOnCertificate", nil, []step{{selectAP(), jpki.SWOK}, {selectEF(jpki.EFAuthCert), jpki.SWOK}, {jpki.SignCommand(di), swIncompatibleFile}}},
		{"SignBareHashRefused", nil, append(loginSteps(), step{jpki.SignCommand(di[len(sha256Prefix):]), swWrongData})},
		{"SignTrailingBytesRefused", nil, append(loginSteps(), step{jpki.SignCommand(append(bytes.Clone(di), 0)), swWrongData})},
		{"SignNoData", nil, append(loginSteps(), step{[]byte{0x80, 0x2A, 0x00, 0x80, 0x00}, jpki.SWWrongLength})},
		{"SignShortLe", nil, append(loginSteps(), step{append(append([]byte{0x80, 0x2A, 0x00, 0x80, byte(len(di))}, di...), 0x10), jpki.SWWrongLength})},
		{"SignWithoutLe", nil, append(loginSteps(), step{append([]byte{0x80, 0x2A, 0x00, 0x80, byte(len(di))}, di...), jpki.SWOK})},
		{"SignWrongP2", nil, append(loginSteps(), step{append(append([]byte{0x80, 0x2A, 0x00, 0x81, byte(len(di))}, di...), 0x00), jpki.SWWrongParameters})},
		{"PSOCDSIsNotTheJPKISign", nil, append(loginSteps(), step{append(append([]byte{0x00, 0x2A, 0x9E, 0x9A, byte(len(di))}, di...), 0x00), jpki.SWClaNotSupported})},

		// Malformed and unknown commands
		{"TooShort", nil, []step{{[]byte{0x00, 0xA4, 0x04}, jpki.SWWrongLength}, {nil, jpki.SWWrongLength}}},
		{"LcLongerThanData", nil, []step{{[]byte{0x00, 0xA4, 0x02, 0x0C, 0x03, 0x00, 0x0A}, jpki.SWWrongLength}}},
		{"LcShorterThanData", nil, []step{{[]byte{0x00, 0xA4, 0x02, 0x0C, 0x01, 0x00, 0x0A, 0x00, 0x00}, jpki.SWWrongLength}}},
		{"ExtendedLengthRefused", nil, []step{{[]byte{0x00, 0xB0, 0x00, 0x00, 0x00, 0x01, 0x00}, jpki.SWWrongLength}}},
		{"UnknownINS", nil, []step{{[]byte{0x00, 0xCA, 0x01, 0x00, 0x00}, jpki.SWInsNotSupported}, {[]byte{0x00, 0x88, 0x00, 0x00}, jpki.SWInsNotSupported}}},
		{"UnknownCLA", nil, []step{{[]byte{0xFF, 0xCA, 0x00, 0x00, 0x00}, jpki.SWClaNotSupported}, {[]byte{0x0C, 0xA4, 0x04, 0x0C}, jpki.SWClaNotSupported}}},
		{"ISOInsWithProprietaryCLA", nil, []step{{append([]byte{0x80, 0xA4, 0x04, 0x0C, 0x0A}, jpki.AIDJPKI...), jpki.SWClaNotSupported}}},

		// Other cards
		{"NotMyNumberCardHasNoApplet", func(c *Config) { c.NotMyNumberCard = true }, []step{
			{selectAP(), jpki.SWFileNotFound},
			{selectEF(jpki.EFTokenInfo), jpki.SWFileNotFound},
		}},

		// Faults
		{"StatusOverrideAnswersForINS", func(c *Config) { c.StatusOverride = map[byte]uint16{jpki.InsReadBinary: 0x6F00} }, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthCert), jpki.SWOK},
			{readAt(0, 4), 0x6F00},
			{[]byte{0x00, 0xB0}, 0x6F00}, // even malformed
		}},
		{"StatusOverrideDoesNotExecute", func(c *Config) { c.StatusOverride = map[byte]uint16{jpki.InsVerify: 0x9000} }, []step{
			{selectAP(), jpki.SWOK},
			{selectEF(jpki.EFAuthPIN), jpki.SWOK},
			{verify(DefaultAuthPIN), jpki.SWOK},
			{selectEF(jpki.EFAuthKey), jpki.SWOK},
			{jpki.SignCommand(di), jpki.SWSecurityStatusNotSatisfied},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCard(t, tc.edit)
			for i, s := range tc.steps {
				if _, sw := send(t, c, s.cmd); sw != s.sw {
					t.Fatalf("step %d (% X): SW %04X, want %04X", i, s.cmd, sw, s.sw)
				}
			}
		})
	}
}

// loginSteps verifies the auth PIN and selects the auth key.
func loginSteps() []step {
	return []step{
		{selectAP(), jpki.SWOK},
		{selectEF(jpki.EFAuthPIN), jpki.SWOK},
		{verify(DefaultAuthPIN), jpki.SWOK},
		{selectEF(jpki.EFAuthKey), jpki.SWOK},
	}
}

func TestTokenInfoIs32BytesSpacePadded(t *testing.T) {
	for _, tc := range []struct{ override, want string }{
		{"", "JPKIAPICCTOKEN2"},
		{"JPKIAPICCTOKEN", "JPKIAPICCTOKEN"},
	} {
		c := newCard(t, func(cfg *Config) { cfg.TokenInfo = tc.override })
		expect(t, c, selectAP(), jpki.SWOK)
		expect(t, c, selectEF(jpki.EFTokenInfo), jpki.SWOK)
		got := expect(t, c, readAt(0, 32), jpki.SWOK)
		want := tc.want + string(bytes.Repeat([]byte{' '}, 32-len(tc.want)))
		if string(got) != want {
			t.Errorf("token info %q, want %q", got, want)
		}
	}
}

func TestReadCertificateInChunks(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(jpki.EFAuthCert), jpki.SWOK)
	head := expect(t, c, readAt(0, 4), jpki.SWOK)
	if head[0] != 0x30 || head[1] != 0x82 {
		t.Fatalf("certificate starts % X, want 30 82", head)
	}
	size := int(head[2])<<8 | int(head[3]) + 4
	if size != len(cfg.AuthCert) {
		t.Fatalf("header says %d bytes, certificate has %d", size, len(cfg.AuthCert))
	}
	var got []byte
	for off := 0; off < size; off += 256 {
		want := jpki.SWOK
		if size-off < 256 {
			want = jpki.SWEndOfFileWarning // the last chunk asks past the end
		}
		got = append(got, expect(t, c, readAt(uint16(off), 256), want)...)
	}
	if !bytes.Equal(got, cfg.AuthCert) {
		t.Fatal("certificate read in chunks differs from the configured one")
	}
	// The card's file must not have been touched by the status bytes.
	expect(t, c, readAt(0, 4), jpki.SWOK)
	again := expect(t, c, readAt(uint16(size-2), 2), jpki.SWOK)
	if !bytes.Equal(again, cfg.AuthCert[size-2:]) {
		t.Fatal("file changed after reads")
	}
}
