package authtoken

import (
	"container/list"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Limits on the challenge nonce.
const (
	// MaxNonceLength is the longest challenge nonce accepted, in characters.
	MaxNonceLength = 1024
	// MinNonceBytes is the fewest random bytes a challenge nonce must carry.
	MinNonceBytes = 32
)

// ValidateNonce reports whether nonce is a challenge this package signs: standard
// base64 with padding (RFC 4648 section 4, the encoding Web eID servers use),
// in canonical form, decoding to at least MinNonceBytes bytes, and at most
// MaxNonceLength characters long.
//
// The URL-safe alphabet and unpadded base64 are rejected: the nonce is signed
// as the string the site sent, so accepting several spellings of one value
// buys nothing and makes two servers disagree about what was signed.
//
// The error wraps ErrBadNonce.
func ValidateNonce(nonce string) error {
	if len(nonce) > MaxNonceLength {
		return fmt.Errorf("%w: %d characters, longer than %d", ErrBadNonce, len(nonce), MaxNonceLength)
	}
	// Strict rejects non-zero padding bits but still skips CR and LF.
	b, err := base64.StdEncoding.Strict().DecodeString(nonce)
	if err != nil || strings.ContainsAny(nonce, "\r\n") {
		return fmt.Errorf("%w %s: not standard padded base64", ErrBadNonce, quote(nonce))
	}
	if len(b) < MinNonceBytes {
		return fmt.Errorf("%w: %d bytes, want at least %d", ErrBadNonce, len(b), MinNonceBytes)
	}
	return nil
}

// A NonceStore keeps the relying party's pending login challenges, at most
// one per session.
//
// The token does not carry the nonce, and the page is never asked which one
// it signed: the verifier takes the session's pending nonce out of the store
// and checks the signature over it. A store that answered "is this nonce
// valid?" instead would invite callers to pass a nonce read from the request.
//
// Implementations must be safe for concurrent use. A store shared by several
// servers (a database, Redis) must make Take atomic, so that two concurrent
// attempts cannot both get the same nonce.
type NonceStore interface {
	// Issue creates a fresh random challenge for the session, replaces any
	// challenge still pending for it, and returns it in the form
	// ValidateNonce accepts. An empty sessionKey is ErrNoSession.
	Issue(ctx context.Context, sessionKey string) (nonce string, err error)

	// Take removes the session's pending challenge and returns it. It
	// removes it even when it has expired, and then reports ErrNonceExpired.
	// With no pending challenge it reports ErrUnknownNonce.
	Take(ctx context.Context, sessionKey string) (nonce string, err error)
}

// Defaults of MemoryNonceStore.
const (
	// DefaultNonceTTL is how long a challenge stays usable.
	DefaultNonceTTL = 5 * time.Minute
	// DefaultMaxPending is how many challenges a MemoryNonceStore holds.
	DefaultMaxPending = 10000
)

// MemoryNonceStore is a NonceStore in the memory of one process, for a relying
// party that runs a single server (or pins a session to one server).
//
// A challenge is 32 bytes from crypto/rand in standard base64, bound to the
// session it was issued to, usable once, for the store's time to live.
// Memory is bounded: when the store is full, issuing a challenge drops the
// oldest pending one. That way a flood of new sessions can only spoil a
// person's login if it issues more than the store holds in the seconds the
// person needs to present the card, whereas refusing new challenges would
// lock everyone out. Expired challenges are removed lazily, one time to live
// after they expire, so that until then Take reports them as ErrNonceExpired
// rather than ErrUnknownNonce.
//
// The zero value is ready to use, with the defaults. It is safe for
// concurrent use.
type MemoryNonceStore struct {
	// Now returns the current time; nil means time.Now. Set it, if at all,
	// before the store is first used.
	Now func() time.Time

	ttl time.Duration
	max int

	mu      sync.Mutex
	session map[string]*list.Element
	order   *list.List // of *pendingNonce, oldest first; with a fixed TTL that is also by expiry
}

type pendingNonce struct {
	session string
	nonce   string
	expires time.Time
}

// NewMemoryNonceStore returns an empty store whose challenges expire after ttl
// and which holds at most maxPending of them. A ttl or maxPending that is not
// positive means DefaultNonceTTL or DefaultMaxPending.
func NewMemoryNonceStore(ttl time.Duration, maxPending int) *MemoryNonceStore {
	return &MemoryNonceStore{ttl: ttl, max: maxPending}
}

// Issue implements NonceStore.
func (s *MemoryNonceStore) Issue(_ context.Context, sessionKey string) (string, error) {
	if sessionKey == "" {
		return "", ErrNoSession
	}
	b := make([]byte, MinNonceBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("authtoken: making a challenge: %w", err)
	}
	nonce := base64.StdEncoding.EncodeToString(b)
	now := s.now()

	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	s.sweep(now)
	if e, ok := s.session[sessionKey]; ok {
		s.remove(e)
	}
	for s.order.Len() >= s.max {
		s.remove(s.order.Front())
	}
	s.session[sessionKey] = s.order.PushBack(&pendingNonce{
		session: sessionKey,
		nonce:   nonce,
		expires: now.Add(s.ttl),
	})
	return nonce, nil
}

// Take implements NonceStore.
func (s *MemoryNonceStore) Take(_ context.Context, sessionKey string) (string, error) {
	if sessionKey == "" {
		return "", ErrNoSession
	}
	now := s.now()

	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	e, ok := s.session[sessionKey]
	if ok {
		s.remove(e)
	}
	s.sweep(now)
	if !ok {
		return "", ErrUnknownNonce
	}
	p := e.Value.(*pendingNonce)
	if !now.Before(p.expires) {
		return "", fmt.Errorf("%w: expired %s ago (time to live %s)",
			ErrNonceExpired, now.Sub(p.expires).Round(time.Second), s.ttl)
	}
	return p.nonce, nil
}

// Len returns the number of challenges held, including expired ones not yet
// removed.
func (s *MemoryNonceStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.order == nil {
		return 0
	}
	return s.order.Len()
}

func (s *MemoryNonceStore) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// init sets the defaults; s.mu is held.
func (s *MemoryNonceStore) init() {
	if s.order != nil {
		return
	}
	if s.ttl <= 0 {
		s.ttl = DefaultNonceTTL
	}
	if s.max <= 0 {
		s.max = DefaultMaxPending
	}
	s.session = make(map[string]*list.Element)
	s.order = list.New()
}

// sweep drops challenges that expired at least one time to live ago; s.mu is
// held.
func (s *MemoryNonceStore) sweep(now time.Time) {
	for e := s.order.Front(); e != nil; e = s.order.Front() {
		if now.Sub(e.Value.(*pendingNonce).expires) < s.ttl {
			return
		}
		s.remove(e)
	}
}

// remove drops one challenge; s.mu is held.
func (s *MemoryNonceStore) remove(e *list.Element) {
	delete(s.session, e.Value.(*pendingNonce).session)
	s.order.Remove(e)
}
