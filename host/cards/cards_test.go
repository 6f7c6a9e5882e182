package cards_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/cards/virtual"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/protocol/protocoltest"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
)

const reader = "Virtual PCD 00 00"

var (
	origin = "https://login.example.jp"
	nonce  = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
)

// challenge is the login challenge of origin and nonce.
func challenge(t *testing.T) authtoken.Challenge {
	t.Helper()
	ch, err := authtoken.NewChallenge(origin, nonce)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// setup starts a service over one virtual reader and counts the VERIFY
// commands that carry a PIN.
func setup(t *testing.T, cfg cards.Config) (*cards.Service, *virtual.Backend, *int) {
	t.Helper()
	b := virtual.New(reader)
	verifies := new(int)
	b.OnTransmit = func(_ string, h [4]byte, n int) {
		if h[1] == jpki.InsVerify && n > 0 {
			*verifies++ // the worker is the only caller: no race
		}
	}
	s := cards.New(b, cfg)
	s.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Error(err)
		}
	})
	return s, b, verifies
}

func newCard(t *testing.T, cfg vcard.Config) *vcard.Card {
	t.Helper()
	c, err := vcard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func defaultConfig(t *testing.T) vcard.Config {
	t.Helper()
	cfg, err := vcard.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// waitState waits until the service shows the reader in state.
func waitState(t *testing.T, s *cards.Service, state cards.State) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		rs, err := s.Readers(context.Background())
		if err == nil && len(rs) == 1 && rs[0].State == state {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("reader never reached %q", state)
}

// swapUnseen puts the default card in the reader and reads its
// certificate, which the service caches, then swaps in another card (a key
// of its own, PIN 1234) faster than PC/SC reports: the monitor sees
// nothing. It returns the first card's certificate and the card now in the
// reader with its PKI.
func swapUnseen(t *testing.T, s *cards.Service, b *virtual.Backend) (first cards.Certificate, other *testpki.PKI, swapped *vcard.Card) {
	t.Helper()
	b.Insert(reader, newCard(t, defaultConfig(t)))
	waitState(t, s, cards.StateMyNumber)
	first, err := s.ReadAuthCertificate(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	other, err = testpki.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cfg := vcard.ConfigFromPKI(other)
	cfg.AuthPIN.Value = "1234"
	swapped = newCard(t, cfg)
	b.Swap(reader, swapped)
	return first, other, swapped
}

func TestAuthenticateZeroesThePINWhateverHappens(t *testing.T) {
	s, b, _ := setup(t, cards.Config{})
	b.Insert(reader, newCard(t, defaultConfig(t)))
	waitState(t, s, cards.StateMyNumber)
	tests := []struct {
		name      string
		challenge authtoken.Challenge
		pin       string
	}{
		{"success", challenge(t), "1234"},
		{"wrong PIN", challenge(t), "9999"},
		{"bad format, never in line", challenge(t), "12a4"},
		{"no challenge, never in line", authtoken.Challenge{}, "1234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pin := []byte(tt.pin)
			_, _ = s.Authenticate(context.Background(), protocol.AuthenticateParams{Challenge: tt.challenge, PIN: pin})
			if !bytes.Equal(pin, make([]byte, len(pin))) {
				t.Errorf("PIN not zeroed after the operation: %d non-zero bytes", len(bytes.Trim(pin, "\x00")))
			}
		})
	}
}

func TestAnUnseenCardSwapIsCaughtWithoutASecondPINTry(t *testing.T) {
	s, b, verifies := setup(t, cards.Config{})
	first, other, swapped := swapUnseen(t, s, b)

	// Shown the first card's certificate: nothing may be sent.
	shown := sha256.Sum256(first.DER)
	_, err := s.Authenticate(context.Background(), protocol.AuthenticateParams{
		Challenge: challenge(t), PIN: protocol.PIN("1234"), CertificateSHA256: shown[:],
	})
	if !errors.Is(err, cards.ErrCardChanged) {
		t.Fatalf("with the old certificate's hash: %v, want ErrCardChanged", err)
	}

	// Without a hash, the swapped card's own certificate goes out.
	b.Swap(reader, newCard(t, defaultConfig(t)))
	if _, err := s.ReadAuthCertificate(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	b.Swap(reader, swapped)
	before := *verifies
	a, err := s.Authenticate(context.Background(), protocol.AuthenticateParams{Challenge: challenge(t), PIN: protocol.PIN("1234")})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Token.UnverifiedCertificate, other.AuthCert) {
		t.Error("the token carries the old card's certificate")
	}
	if n := *verifies - before; n != 1 {
		t.Errorf("%d VERIFY with the PIN, want 1", n)
	}
	if left, _ := swapped.Retries(); left != 3 {
		t.Errorf("%d tries left, want 3", left)
	}
	if _, err := authtoken.ParseToken(mustMarshal(t, a.Token)); err != nil {
		t.Error(err)
	}
}

func mustMarshal(t *testing.T, tok *authtoken.Token) []byte {
	t.Helper()
	b, err := tok.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAnOperationWhoseDeadlinePassesInTheQueueNeverTouchesTheCard(t *testing.T) {
	s, b, _ := setup(t, cards.Config{})
	cfg := defaultConfig(t)
	cfg.SignDelay = 300 * time.Millisecond
	card := newCard(t, cfg)
	b.Insert(reader, card)
	waitState(t, s, cards.StateMyNumber)
	slow := inBackground(func() error {
		_, err := s.Authenticate(context.Background(), protocol.AuthenticateParams{Challenge: challenge(t), PIN: protocol.PIN("1234")})
		return err
	})
	waitSign(t, card)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.AuthPINStatus(ctx, ""); !errors.Is(err, cards.ErrTimeout) {
		t.Fatalf("waited past its deadline: %v, want ErrTimeout", err)
	}
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
	card.ResetLog()
	time.Sleep(20 * time.Millisecond)
	if n := len(card.Log()); n != 0 {
		t.Errorf("the expired operation sent %d APDUs", n)
	}
}

func TestCloseFailsQueuedOperations(t *testing.T) {
	b := virtual.New(reader)
	s := cards.New(b, cards.Config{})
	s.Start()
	cfg := defaultConfig(t)
	cfg.SignDelay = 200 * time.Millisecond
	card := newCard(t, cfg)
	b.Insert(reader, card)
	waitState(t, s, cards.StateMyNumber)
	running := inBackground(func() error {
		_, err := s.Authenticate(context.Background(), protocol.AuthenticateParams{Challenge: challenge(t), PIN: protocol.PIN("1234")})
		return err
	})
	waitSign(t, card)
	queued := inBackground(func() error {
		_, err := s.AuthPINStatus(context.Background(), "")
		return err
	})
	time.Sleep(20 * time.Millisecond) // in line behind the running one
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := <-queued; !errors.Is(err, cards.ErrClosed) {
		t.Errorf("waiting operation: %v, want ErrClosed", err)
	}
	if err := <-running; err == nil {
		// It may finish if it was past its last APDU; either way it returned.
		t.Log("the running operation finished before Close")
	}
	if _, err := s.AuthPINStatus(context.Background(), ""); !errors.Is(err, cards.ErrClosed) {
		t.Errorf("after Close: %v, want ErrClosed", err)
	}
}

func TestAnUnavailableServiceIsNamedOnceInTheError(t *testing.T) {
	s, b, _ := setup(t, cards.Config{})
	b.SetUnavailable(errors.New("scard: Service not available"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, err := s.Readers(ctx)
		if errors.Is(err, jpki.ErrNoService) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("Readers never reported the service gone: %v", err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	_, err := s.AuthPINStatus(ctx, "")
	if !errors.Is(err, jpki.ErrNoService) {
		t.Fatalf("AuthPINStatus: %v, want ErrNoService", err)
	}
	if n := strings.Count(err.Error(), jpki.ErrNoService.Error()); n != 1 {
		t.Errorf("the error names the unavailable service %d times: %q", n, err)
	}
}

func TestClosingDuringIdentificationLogsNoFailure(t *testing.T) {
	b := virtual.New(reader)
	transmitted := make(chan struct{}, 100)
	b.OnTransmit = func(string, [4]byte, int) {
		transmitted <- struct{}{}
		time.Sleep(30 * time.Millisecond) // a slow card: Close comes mid-identification
	}
	var logged protocoltest.LockedBuffer
	s := cards.New(b, cards.Config{Log: log.New(&logged, "", 0)})
	s.Start()
	b.Insert(reader, newCard(t, defaultConfig(t)))
	<-transmitted
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logged.String(), "identification stopped: the service is closing") {
		t.Errorf("the log does not say identification stopped:\n%s", logged.String())
	}
	if strings.Contains(logged.String(), "identified in") {
		t.Errorf("the log reports the cut-off identification as an outcome:\n%s", logged.String())
	}
}

// inBackground runs fn on its own goroutine; its error comes on the channel.
func inBackground(fn func() error) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- fn() }()
	return ch
}

// waitSign waits until the card has received a SIGN command.
func waitSign(t *testing.T, card *vcard.Card) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if card.Count(0x2A) > 0 {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("the card never received SIGN")
}

func TestACardThatStopsAnsweringIsMuteAndTheLineBehindItFailsFast(t *testing.T) {
	b := virtual.New(reader)
	release := make(chan struct{})
	var apdus atomic.Int32
	b.OnTransmit = func(_ string, h [4]byte, _ int) {
		apdus.Add(1)
		if h[1] == 0x2A { // SIGN gets no answer until the test lets it go
			<-release
		}
	}
	s := cards.New(b, cards.Config{MuteAfter: 200 * time.Millisecond})
	s.Start()
	t.Cleanup(func() {
		close(release)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Error(err)
		}
	})
	b.Insert(reader, newCard(t, defaultConfig(t)))
	waitState(t, s, cards.StateMyNumber)

	behind := inBackground(func() error {
		time.Sleep(50 * time.Millisecond) // in line behind the login
		_, err := s.AuthPINStatus(context.Background(), "")
		return err
	})
	start := time.Now()
	_, err := s.Authenticate(context.Background(), protocol.AuthenticateParams{Challenge: challenge(t), PIN: protocol.PIN("1234")})
	if !errors.Is(err, jpki.ErrCardMute) {
		t.Fatalf("Authenticate with a card that stopped answering: %v, want ErrCardMute", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("CARD_MUTE after %v, want about MuteAfter", d)
	}
	sent := apdus.Load()
	if err := <-behind; !errors.Is(err, jpki.ErrCardMute) {
		t.Errorf("the operation waiting behind: %v, want ErrCardMute at once", err)
	}
	if n := apdus.Load(); n != sent {
		t.Errorf("the operation behind a mute card sent %d APDUs", n-sent)
	}
	if rs, _ := s.Readers(context.Background()); len(rs) != 1 || rs[0].State != cards.StateMute {
		t.Errorf("readers %+v, want the reader mute", rs)
	}
}
