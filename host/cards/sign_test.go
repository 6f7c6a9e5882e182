package cards_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/jpki"
)

var errNotTheOwner = errors.New("not the owner")

func TestAuthSign(t *testing.T) {
	digest := sha256.Sum256([]byte("a target the host computed"))
	tests := []struct {
		name     string
		failures int                        // wrong PINs on the card before
		edit     func(r *cards.SignRequest) // the request, changed
		want     func(error) bool
		verifies int // VERIFY commands carrying the PIN
	}{
		{"signs", 0, nil, func(err error) bool { return err == nil }, 1},
		{"wrong PIN", 0, func(r *cards.SignRequest) { r.PIN = []byte("9999") },
			func(err error) bool { n, ok := jpki.IsWrongPIN(err); return ok && n == 2 }, 1},
		{"blocked: no VERIFY", 3, nil, func(err error) bool { return errors.Is(err, jpki.ErrPINBlocked) }, 0},
		{"bad PIN format: never queued", 0, func(r *cards.SignRequest) { r.PIN = []byte("12345") },
			func(err error) bool { return errors.Is(err, jpki.ErrBadPINFormat) }, 0},
		{"another certificate: no VERIFY", 0, func(r *cards.SignRequest) { r.CertificateSHA256 = make([]byte, 32) },
			func(err error) bool { return errors.Is(err, cards.ErrCardChanged) }, 0},
		{"no certificate named: never queued", 0, func(r *cards.SignRequest) { r.CertificateSHA256 = nil },
			func(err error) bool { return err != nil }, 0},
		{"not a digest: never queued", 0, func(r *cards.SignRequest) { r.Digest = []byte("short") },
			func(err error) bool { return err != nil }, 0},
		{"check fails: no VERIFY", 0, func(r *cards.SignRequest) { r.Check = func([]byte) error { return errNotTheOwner } },
			func(err error) bool { return errors.Is(err, errNotTheOwner) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b, verifies := setup(t, cards.Config{})
			cfg := defaultConfig(t)
			cfg.AuthPIN.Failures = tt.failures
			card := newCard(t, cfg)
			b.Insert(reader, card)
			waitState(t, s, cards.StateMyNumber)
			c, err := s.ReadAuthCertificate(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(c.DER)
			var checked []byte
			req := cards.SignRequest{Digest: digest[:], PIN: []byte("1234"), CertificateSHA256: sum[:],
				Check: func(der []byte) error { checked = der; return nil }}
			if tt.edit != nil {
				tt.edit(&req)
			}
			pin := req.PIN
			sig, err := s.AuthSign(context.Background(), req)
			if !tt.want(err) {
				t.Fatalf("err = %v", err)
			}
			if *verifies != tt.verifies {
				t.Errorf("%d VERIFY with the PIN, want %d", *verifies, tt.verifies)
			}
			if !bytes.Equal(pin, make([]byte, len(pin))) {
				t.Error("the PIN was not zeroed")
			}
			if err != nil {
				return
			}
			if !bytes.Equal(checked, c.DER) {
				t.Error("Check did not see the card's certificate")
			}
			cert, _ := x509.ParseCertificate(c.DER)
			if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, digest[:], sig.Signature); err != nil || sig.Reader != reader {
				t.Errorf("signature from %q does not verify: %v", sig.Reader, err)
			}
			if rs, _ := s.Readers(context.Background()); rs[0].AuthPINRetries != 3 {
				t.Errorf("retries shown %d after the right PIN", rs[0].AuthPINRetries)
			}
		})
	}
}

// A card swapped faster than PC/SC reports keeps the old card's
// certificate in the cache: its signature does not match, and the answer
// is CARD_CHANGED, never a signature by the other card.
func TestAuthSignCatchesAnUnseenSwap(t *testing.T) {
	s, b, _ := setup(t, cards.Config{})
	first, other, _ := swapUnseen(t, s, b)
	sum := sha256.Sum256(first.DER)
	digest := sha256.Sum256([]byte("x"))
	_, err := s.AuthSign(context.Background(), cards.SignRequest{Digest: digest[:], PIN: []byte("1234"), CertificateSHA256: sum[:]})
	if !errors.Is(err, cards.ErrCardChanged) {
		t.Fatalf("err = %v, want ErrCardChanged", err)
	}
	// The cache is dropped: the next read sees the new card.
	if c, err := s.ReadAuthCertificate(context.Background(), ""); err != nil || !bytes.Equal(c.DER, other.AuthCert) {
		t.Errorf("after the swap: %v, the new card's certificate: %v", err, err == nil && bytes.Equal(c.DER, other.AuthCert))
	}
}
