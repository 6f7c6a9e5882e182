package jpki

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// step is one expected command and the card's scripted answer, written as
// hex so a test reads like an APDU transcript.
type step struct {
	cmd, resp string
	err       error // a transport failure instead of an answer
}

// script is a Transport that plays a transcript and fails the test on any
// command it did not expect. It stands in for card behaviours the virtual
// card does not produce (6C xx, short reads, odd status words).
type script struct {
	t     *testing.T
	steps []step
	sent  int
}

func (s *script) Transmit(cmd []byte) ([]byte, error) {
	s.t.Helper()
	if s.sent >= len(s.steps) {
		s.t.Fatalf("unexpected extra command % X", cmd)
	}
	st := s.steps[s.sent]
	s.sent++
	if want := hexBytes(s.t, st.cmd); !bytes.Equal(cmd, want) {
		s.t.Fatalf("command %d = % X, want % X", s.sent, cmd, want)
	}
	if st.err != nil {
		return nil, st.err
	}
	return hexBytes(s.t, st.resp), nil
}

func (s *script) done() {
	s.t.Helper()
	if s.sent != len(s.steps) {
		s.t.Fatalf("card received %d of %d scripted commands", s.sent, len(s.steps))
	}
}

func hexBytes(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

const (
	selectAP      = "00A4040C0A D392F000260100000001"
	selectToken   = "00A4020C02 0006"
	readToken     = "00B0000020"
	tokenMyNumber = "4A504B49415049434354 4F4B454E32 2020202020202020202020202020202020 9000" // "JPKIAPICCTOKEN2" + spaces
	selectAuthPIN = "00A4020C02 0018"
	retryQuery    = "00200080"
)

// openScript is the transcript of Open on a My Number card.
var openScript = []step{{selectAP, "9000", nil}, {selectToken, "9000", nil}, {readToken, tokenMyNumber, nil}}

func play(t *testing.T, steps ...step) (*script, *Card) {
	t.Helper()
	s := &script{t: t, steps: append(append([]step{}, openScript...), steps...)}
	c, err := Open(s)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s, c
}

func TestOpenRecognisesOnlyMyNumberCards(t *testing.T) {
	juki := "4A504B494150494343544F4B454E" + strings.Repeat("20", 18) + "9000" // "JPKIAPICCTOKEN"
	tests := []struct {
		name  string
		steps []step
	}{
		{"no JPKI applet", []step{{selectAP, "6A82", nil}}},
		{"applet refused with 6A86", []step{{selectAP, "6A86", nil}}},
		{"old Juki card token", []step{{selectAP, "9000", nil}, {selectToken, "9000", nil}, {readToken, juki, nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{t: t, steps: tt.steps}
			if _, err := Open(s); !errors.Is(err, ErrNotMyNumberCard) {
				t.Fatalf("Open error = %v, want ErrNotMyNumberCard", err)
			}
			s.done()
		})
	}
}

func TestOpenPassesTransportErrorsThrough(t *testing.T) {
	s := &script{t: t, steps: []step{{selectAP, "", ErrCardRemoved}}}
	if _, err := Open(s); !errors.Is(err, ErrCardRemoved) || errors.Is(err, ErrNotMyNumberCard) {
		t.Fatalf("Open error = %v, want ErrCardRemoved only", err)
	}
}

func TestReadCertificateToleratesCardDialects(t *testing.T) {
	// A 300-byte certificate: 30 82 01 28 + 296 content bytes.
	cert := append([]byte{0x30, 0x82, 0x01, 0x28}, bytes.Repeat([]byte{0xAB}, 296)...)
	first, rest := hex.EncodeToString(cert[:256]), hex.EncodeToString(cert[256:])
	tests := []struct {
		name  string
		steps []step
	}{
		{"exact reads", []step{
			{"00A4020C02000A", "9000", nil}, {"00B0000000", first + "9000", nil}, {"00B001002C", rest + "9000", nil}}},
		{"short read at end of file with 6282", []step{
			{"00A4020C02000A", "9000", nil}, {"00B0000000", first + "9000", nil}, {"00B001002C", rest + "6282", nil}}},
		{"card wants the exact length (6C xx)", []step{
			{"00A4020C02000A", "9000", nil}, {"00B0000000", first + "9000", nil},
			{"00B001002C", "6C2C", nil}, {"00B001002C", rest + "9000", nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := play(t, tt.steps...)
			got, err := c.ReadAuthCertificate()
			if err != nil || !bytes.Equal(got, cert) {
				t.Fatalf("ReadAuthCertificate = %d bytes, %v; want the %d-byte certificate", len(got), err, len(cert))
			}
			s.done()
		})
	}
}

func TestReadCertificateRejectsAFileThatEndsEarly(t *testing.T) {
	head := "308201 28" + strings.Repeat("AB", 252)
	s, c := play(t, step{"00A4020C02000A", "9000", nil}, step{"00B0000000", head + "9000", nil}, step{"00B001002C", "6282", nil})
	if _, err := c.ReadAuthCertificate(); !errors.Is(err, ErrMalformedResponse) {
		t.Fatalf("ReadAuthCertificate error = %v, want ErrMalformedResponse", err)
	}
	s.done()
}

func TestVerifyAuthPIN(t *testing.T) {
	tests := []struct {
		name    string
		pin     string
		steps   []step
		wantErr error
		retries int // for a *PINError
	}{
		{"correct", "1234", []step{{selectAuthPIN, "9000", nil}, {retryQuery, "63C3", nil}, {"0020008004 31323334", "9000", nil}}, nil, 0},
		{"wrong, two left", "1111", []step{{selectAuthPIN, "9000", nil}, {retryQuery, "63C3", nil}, {"0020008004 31313131", "63C2", nil}}, nil, 2},
		{"wrong, last try", "1111", []step{{selectAuthPIN, "9000", nil}, {retryQuery, "63C1", nil}, {"0020008004 31313131", "6983", nil}}, ErrPINBlocked, 0},
		{"blocked: counter 63C0, no VERIFY sent", "1234", []step{{selectAuthPIN, "9000", nil}, {retryQuery, "63C0", nil}}, ErrPINBlocked, 0},
		{"blocked: counter 6983, no VERIFY sent", "1234", []step{{selectAuthPIN, "9000", nil}, {retryQuery, "6983", nil}}, ErrPINBlocked, 0},
		{"blocked: counter 6984, no VERIFY sent", "1234", []step{{selectAuthPIN, "9000", nil}, {retryQuery, "6984", nil}}, ErrPINBlocked, 0},
		{"three digits: nothing sent", "123", nil, ErrBadPINFormat, 0},
		{"five digits: nothing sent", "12345", nil, ErrBadPINFormat, 0},
		{"letters: nothing sent", "12a4", nil, ErrBadPINFormat, 0},
		{"full-width digits: nothing sent", "１２３４", nil, ErrBadPINFormat, 0},
		{"card removed at VERIFY", "1234", []step{{selectAuthPIN, "9000", nil}, {retryQuery, "63C3", nil}, {"0020008004 31323334", "", ErrCardRemoved}}, ErrCardRemoved, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := play(t, tt.steps...)
			err := c.VerifyAuthPIN([]byte(tt.pin))
			s.done()
			if tt.retries > 0 {
				if n, ok := IsWrongPIN(err); !ok || n != tt.retries {
					t.Fatalf("VerifyAuthPIN error = %v, want a wrong PIN with %d left", err, tt.retries)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("VerifyAuthPIN error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestAuthPINRetriesReportsUnexpectedStatus(t *testing.T) {
	s, c := play(t, step{selectAuthPIN, "9000", nil}, step{retryQuery, "6A88", nil})
	_, err := c.AuthPINRetries()
	var se *StatusError
	if !errors.As(err, &se) || se.SW != 0x6A88 {
		t.Fatalf("AuthPINRetries error = %v, want a StatusError carrying 6A88", err)
	}
	s.done()
}

func TestSelectIsSkippedWhenTheFileIsCurrent(t *testing.T) {
	s, c := play(t, step{selectAuthPIN, "9000", nil}, step{retryQuery, "63C3", nil}, step{retryQuery, "63C3", nil})
	for range 2 {
		if n, err := c.AuthPINRetries(); n != 3 || err != nil {
			t.Fatalf("AuthPINRetries = %d, %v; want 3", n, err)
		}
	}
	s.done()
}

func TestSignWithoutVerifiedPIN(t *testing.T) {
	digest := bytes.Repeat([]byte{0x11}, 32)
	di, _ := SHA256DigestInfo(digest)
	s, c := play(t, step{"00A4020C02 0017", "9000", nil}, step{"802A008033" + hex.EncodeToString(di) + "00", "6982", nil})
	_, err := c.AuthKey(nil).Sign(nil, digest, crypto.SHA256)
	if !errors.Is(err, ErrSecurityStatus) {
		t.Fatalf("Sign error = %v, want ErrSecurityStatus", err)
	}
	s.done()
}

func TestSignRefusesWhatTheCardCannotDo(t *testing.T) {
	s, c := play(t)
	key := c.AuthKey(nil)
	for _, opts := range []crypto.SignerOpts{crypto.SHA1, crypto.SHA512, crypto.Hash(0), &rsa.PSSOptions{Hash: crypto.SHA256}} {
		if _, err := key.Sign(nil, make([]byte, 32), opts); err == nil {
			t.Errorf("Sign with %v succeeded; the card signs SHA-256 only", opts.HashFunc())
		}
	}
	if _, err := key.Sign(nil, make([]byte, 20), crypto.SHA256); err == nil {
		t.Error("Sign accepted a 20-byte digest as SHA-256")
	}
	s.done()
}

func TestDescribeNeverShowsThePIN(t *testing.T) {
	if got := describe(VerifyCommand([]byte("1234"))); strings.Contains(got, "1234") || strings.Contains(got, "31323334") {
		t.Fatalf("describe(VERIFY) = %q leaks the PIN", got)
	}
}
