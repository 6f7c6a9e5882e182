package demoserver

import (
	"container/list"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"sync"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

// The verifier reports a replay, a login that was never started and a token
// for another session's challenge all as ErrUnknownNonce or ErrBadSignature,
// because the token does not say which challenge it answers. A demo should
// say which it was, so the server remembers the challenges it issued (a
// bounded number, with the digest the card signs for each) and, after a
// failure, works out which case it was from that record and from the digest
// inside the signature. The diagnosis only names a failure; it never turns
// one into a success.

// maxTracked bounds the remembered challenges; older ones are forgotten and
// their failures reported with the verifier's plainer code.
const maxTracked = 4096

// trackingStore is the authtoken.NonceStore the verifier uses: the memory
// store, plus a record of what was issued to whom and what was used.
type trackingStore struct {
	inner  authtoken.NonceStore
	origin string

	mu        sync.Mutex
	byDigest  map[[32]byte]*issued // SHA-256(SignedData(origin, nonce)): what the card signs
	bySession map[string]*issued   // the latest challenge of each session
	order     *list.List           // of *issued, oldest first
}

type issued struct {
	session string
	digest  [32]byte
	used    bool // Take returned it (or found it expired)
	elem    *list.Element
}

func newTrackingStore(inner authtoken.NonceStore, origin string) *trackingStore {
	return &trackingStore{
		inner:     inner,
		origin:    origin,
		byDigest:  make(map[[32]byte]*issued),
		bySession: make(map[string]*issued),
		order:     list.New(),
	}
}

// Issue implements authtoken.NonceStore.
func (t *trackingStore) Issue(ctx context.Context, session string) (string, error) {
	nonce, err := t.inner.Issue(ctx, session)
	if err != nil {
		return "", err
	}
	rec := &issued{session: session, digest: sha256.Sum256(authtoken.SignedData(t.origin, nonce))}
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.order.Len() >= maxTracked {
		t.forget(t.order.Front().Value.(*issued))
	}
	rec.elem = t.order.PushBack(rec)
	t.byDigest[rec.digest] = rec
	t.bySession[session] = rec
	return nonce, nil
}

// Take implements authtoken.NonceStore.
func (t *trackingStore) Take(ctx context.Context, session string) (string, error) {
	nonce, err := t.inner.Take(ctx, session)
	if err == nil || errors.Is(err, authtoken.ErrNonceExpired) {
		t.mu.Lock()
		if rec := t.bySession[session]; rec != nil {
			rec.used = true
		}
		t.mu.Unlock()
	}
	return nonce, err
}

func (t *trackingStore) forget(rec *issued) {
	t.order.Remove(rec.elem)
	if t.byDigest[rec.digest] == rec {
		delete(t.byDigest, rec.digest)
	}
	if t.bySession[rec.session] == rec {
		delete(t.bySession, rec.session)
	}
}

// sessionUsed reports whether the session's latest challenge was taken
// already.
func (t *trackingStore) sessionUsed(session string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	rec := t.bySession[session]
	return rec != nil && rec.used
}

// signedFor looks up the challenge whose signed digest is d.
func (t *trackingStore) signedFor(d []byte) (session string, latest, ok bool) {
	if len(d) != sha256.Size {
		return "", false, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	rec := t.byDigest[[32]byte(d)]
	if rec == nil {
		return "", false, false
	}
	return rec.session, t.bySession[rec.session] == rec, true
}

// diagnose turns a Verify error into the HTTP status, the code and a message.
func (s *Server) diagnose(err error, token []byte, session string) (int, string, string) {
	msg := err.Error()
	switch {
	case errors.Is(err, authtoken.ErrNoSession):
		return http.StatusUnauthorized, CodeNoSession,
			"no session: fetch a challenge from /api/challenge first (cookies must be enabled)"
	case errors.Is(err, authtoken.ErrUnknownNonce):
		if s.nonces.sessionUsed(session) {
			return http.StatusUnauthorized, CodeNonceReplayed,
				"this session's challenge was already used: a challenge is good for one attempt; fetch a new one"
		}
		return http.StatusUnauthorized, CodeNoChallenge,
			"this session has no challenge pending: fetch one from /api/challenge first"
	case errors.Is(err, authtoken.ErrBadSignature):
		return s.diagnoseSignature(token, session)
	case errors.Is(err, authtoken.ErrTokenTooLarge):
		return http.StatusRequestEntityTooLarge, CodeTokenTooLarge, msg
	}
	for _, sc := range sentinelCodes {
		if errors.Is(err, sc.err) {
			status := http.StatusUnauthorized
			switch sc.code {
			case CodeMalformedToken, CodeUnsupportedFormat, CodeUnsupportedAlgorithm:
				status = http.StatusBadRequest
			}
			return status, sc.code, msg
		}
	}
	s.log.Error("verifying a token", "err", err)
	return http.StatusInternalServerError, CodeInternal, "the token could not be checked"
}

// diagnoseSignature tells a signature made by the card over something else
// (another site, another challenge) from one the card never made. RSA lets
// anyone holding the public key open a PKCS#1 v1.5 signature and read the
// digest inside; the card signed for this site and one of its challenges
// exactly when that digest is one this server recorded.
func (s *Server) diagnoseSignature(token []byte, session string) (int, string, string) {
	digest, ok := signedDigest(token)
	if !ok {
		return http.StatusUnauthorized, CodeBadSignature,
			"the signature was not made with the certificate's key: the token was altered"
	}
	if owner, latest, ok := s.nonces.signedFor(digest); ok {
		if owner != session {
			return http.StatusUnauthorized, CodeWrongChallenge,
				"the card signed a challenge of this site that was issued to another browser session"
		}
		if !latest {
			return http.StatusUnauthorized, CodeWrongChallenge,
				"the card signed an earlier challenge of this session, replaced by a newer one (another tab?)"
		}
	}
	return http.StatusUnauthorized, CodeWrongOrigin, fmt.Sprintf(
		"the card signed a login for another site: the signature is genuine but not over this site's origin %s with any challenge it issued", s.origin)
}

// sha256DigestInfo is the DER DigestInfo header for SHA-256 (RFC 8017 9.2).
var sha256DigestInfo = []byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

// signedDigest opens the token's signature with its certificate's key and
// returns the SHA-256 digest inside, if the signature is a well-formed
// RS256 signature by that key. The token passed every check before the
// signature (Verify reached ErrBadSignature), so it parses.
func signedDigest(token []byte) ([]byte, bool) {
	t, err := authtoken.ParseToken(token)
	if err != nil {
		return nil, false
	}
	cert, err := x509.ParseCertificate(t.UnverifiedCertificate)
	if err != nil {
		return nil, false
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok || len(t.Signature) != pub.Size() {
		return nil, false
	}
	sig := new(big.Int).SetBytes(t.Signature)
	if sig.Cmp(pub.N) >= 0 {
		return nil, false
	}
	em := sig.Exp(sig, big.NewInt(int64(pub.E)), pub.N).FillBytes(make([]byte, pub.Size()))
	// EM = 0x00 0x01 PS(0xff...) 0x00 DigestInfo(SHA-256) H
	tail := len(sha256DigestInfo) + sha256.Size
	pad := len(em) - tail - 3
	if pad < 8 || em[0] != 0 || em[1] != 1 || em[2+pad] != 0 {
		return nil, false
	}
	for _, b := range em[2 : 2+pad] {
		if b != 0xff {
			return nil, false
		}
	}
	if subtle.ConstantTimeCompare(em[3+pad:3+pad+len(sha256DigestInfo)], sha256DigestInfo) != 1 {
		return nil, false
	}
	return em[len(em)-sha256.Size:], true
}
