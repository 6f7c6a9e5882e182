package authtoken_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

// validNonce is 32 bytes in standard base64, like a Web eID server's.
var validNonce = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

func TestValidateNonce(t *testing.T) {
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }
	good := []string{
		validNonce,
		b64(32),
		b64(33),                               // one "=" of padding
		b64(34),                               // two
		b64(48),                               // Web eID's own nonces
		"+/+/" + validNonce[4:],               // the standard alphabet's last two characters
		b64(authtoken.MaxNonceLength / 4 * 3), // exactly MaxNonceLength characters
	}
	for _, n := range good {
		if err := authtoken.ValidateNonce(n); err != nil {
			t.Errorf("ValidateNonce(%q) = %v, want nil", n, err)
		}
	}
	bad := []struct{ name, nonce string }{
		{"empty", ""},
		{"31 bytes", b64(31)},
		{"unpadded", strings.TrimRight(b64(32), "=")},
		{"URL-safe alphabet", "-_-_" + validNonce[4:]},
		{"non-zero padding bits", validNonce[:42] + "B="},
		{"embedded newline", validNonce[:20] + "\n" + validNonce[20:]},
		{"trailing CRLF", validNonce + "\r\n"},
		{"space", " " + validNonce},
		{"padding in the middle", "AAA=" + validNonce},
		{"non-ASCII", "é" + validNonce},
		{"too long", b64(authtoken.MaxNonceLength/4*3 + 3)},
		{"hex", strings.Repeat("ab", 32) + "!"},
	}
	for _, tt := range bad {
		err := authtoken.ValidateNonce(tt.nonce)
		if !errors.Is(err, authtoken.ErrBadNonce) {
			t.Errorf("%s: ValidateNonce(%.50q) = %v, want ErrBadNonce", tt.name, tt.nonce, err)
		}
	}
}

func newTestStore(ttl time.Duration, max int) (*authtoken.MemoryNonceStore, *clock) {
	c := &clock{now: testNow}
	s := authtoken.NewMemoryNonceStore(ttl, max)
	s.Now = c.Now
	return s, c
}

func TestMemoryNonceStoreIssuesValidNonces(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(0, 0)
	seen := make(map[string]bool)
	for i := range 100 {
		n, err := s.Issue(ctx, fmt.Sprint("session", i))
		if err != nil {
			t.Fatal(err)
		}
		if err := authtoken.ValidateNonce(n); err != nil {
			t.Fatal(err)
		}
		if b, _ := base64.StdEncoding.DecodeString(n); len(b) != 32 {
			t.Errorf("nonce %q has %d bytes, want 32", n, len(b))
		}
		if seen[n] {
			t.Fatalf("nonce %q issued twice", n)
		}
		seen[n] = true
	}
}

func TestMemoryNonceStoreSingleUse(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(0, 0)
	n, _ := s.Issue(ctx, "a")
	got, err := s.Take(ctx, "a")
	if err != nil || got != n {
		t.Fatalf("Take = %q, %v; want %q", got, err, n)
	}
	if _, err := s.Take(ctx, "a"); !errors.Is(err, authtoken.ErrUnknownNonce) {
		t.Fatalf("second Take: %v, want ErrUnknownNonce", err)
	}
	if s.Len() != 0 {
		t.Errorf("Len = %d after use, want 0", s.Len())
	}
}

func TestMemoryNonceStoreBindsSession(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(0, 0)
	na, _ := s.Issue(ctx, "a")
	if _, err := s.Take(ctx, "b"); !errors.Is(err, authtoken.ErrUnknownNonce) {
		t.Fatalf("Take by another session: %v, want ErrUnknownNonce", err)
	}
	if got, err := s.Take(ctx, "a"); err != nil || got != na {
		t.Fatalf("the other session's attempt disturbed a's challenge: %q, %v", got, err)
	}
}

func TestMemoryNonceStoreReissueReplaces(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(0, 0)
	first, _ := s.Issue(ctx, "a")
	second, _ := s.Issue(ctx, "a")
	if first == second {
		t.Fatal("re-issue returned the same nonce")
	}
	if got, err := s.Take(ctx, "a"); err != nil || got != second {
		t.Fatalf("Take = %q, %v; want the newest challenge", got, err)
	}
	if s.Len() != 0 {
		t.Errorf("Len = %d, want 0: the replaced challenge lingers", s.Len())
	}
}

func TestMemoryNonceStoreExpiry(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(time.Minute, 0)

	s.Issue(ctx, "a")
	c.Advance(time.Minute - time.Nanosecond)
	if _, err := s.Take(ctx, "a"); err != nil {
		t.Fatalf("just before the TTL: %v", err)
	}

	s.Issue(ctx, "a")
	c.Advance(time.Minute)
	if _, err := s.Take(ctx, "a"); !errors.Is(err, authtoken.ErrNonceExpired) {
		t.Fatalf("at the TTL: %v, want ErrNonceExpired", err)
	}
	if _, err := s.Take(ctx, "a"); !errors.Is(err, authtoken.ErrUnknownNonce) {
		t.Fatalf("expired challenge was not removed by Take: %v", err)
	}
}

func TestMemoryNonceStoreDefaultTTL(t *testing.T) {
	ctx := context.Background()
	var s authtoken.MemoryNonceStore // the zero value works
	c := &clock{now: testNow}
	s.Now = c.Now
	s.Issue(ctx, "a")
	c.Advance(authtoken.DefaultNonceTTL - time.Second)
	if _, err := s.Take(ctx, "a"); err != nil {
		t.Fatalf("within 5 minutes: %v", err)
	}
	s.Issue(ctx, "a")
	c.Advance(authtoken.DefaultNonceTTL)
	if _, err := s.Take(ctx, "a"); !errors.Is(err, authtoken.ErrNonceExpired) {
		t.Fatalf("after 5 minutes: %v, want ErrNonceExpired", err)
	}
}

// Expired challenges nobody comes back for are swept by later calls.
func TestMemoryNonceStoreSweepsLazily(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(time.Minute, 0)
	for i := range 50 {
		s.Issue(ctx, fmt.Sprint("abandoned", i))
	}
	c.Advance(time.Minute + time.Second)
	s.Issue(ctx, "x")
	if got := s.Len(); got != 51 {
		t.Fatalf("Len = %d, want 51: expired challenges are kept for one more TTL", got)
	}
	if _, err := s.Take(ctx, "abandoned0"); !errors.Is(err, authtoken.ErrNonceExpired) {
		t.Fatalf("abandoned challenge within the grace period: %v, want ErrNonceExpired", err)
	}
	c.Advance(time.Minute)
	s.Issue(ctx, "y")
	if got := s.Len(); got != 2 {
		t.Fatalf("Len = %d, want 2 (x and y)", got)
	}
}

func TestMemoryNonceStoreBounded(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(0, 3)
	for _, k := range []string{"a", "b", "c", "d"} {
		if _, err := s.Issue(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if s.Len() != 3 {
		t.Fatalf("Len = %d, want 3", s.Len())
	}
	if _, err := s.Take(ctx, "a"); !errors.Is(err, authtoken.ErrUnknownNonce) {
		t.Fatalf("oldest challenge not dropped: %v", err)
	}
	for _, k := range []string{"b", "c", "d"} {
		if _, err := s.Take(ctx, k); err != nil {
			t.Errorf("Take(%q): %v", k, err)
		}
	}
}

func TestMemoryNonceStoreEmptySession(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(0, 0)
	if _, err := s.Issue(ctx, ""); !errors.Is(err, authtoken.ErrNoSession) {
		t.Errorf("Issue(\"\") = %v, want ErrNoSession", err)
	}
	if _, err := s.Take(ctx, ""); !errors.Is(err, authtoken.ErrNoSession) {
		t.Errorf("Take(\"\") = %v, want ErrNoSession", err)
	}
}

// Many goroutines race for one challenge: exactly one gets it. Run with -race.
func TestMemoryNonceStoreConcurrentTake(t *testing.T) {
	ctx := context.Background()
	s := authtoken.NewMemoryNonceStore(0, 100)
	for round := range 20 {
		key := fmt.Sprint("s", round)
		want, _ := s.Issue(ctx, key)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var winners int
		for range 16 {
			wg.Go(func() {
				s.Issue(ctx, fmt.Sprint("noise", round)) // churn alongside
				if got, err := s.Take(ctx, key); err == nil {
					mu.Lock()
					winners++
					mu.Unlock()
					if got != want {
						t.Errorf("Take = %q, want %q", got, want)
					}
				}
			})
		}
		wg.Wait()
		if winners != 1 {
			t.Fatalf("round %d: %d goroutines took the challenge, want 1", round, winners)
		}
	}
}
