package siwe

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"
)

// What Check (and, for the signature, sigcheck.VerifySignIn) found wrong. Each names one reason, so a server can tell the person (and a test assert) which.
var (
	ErrWrongDomain  = errors.New("siwe: the message is for another domain")
	ErrWrongURI     = errors.New("siwe: the message is for another URI")
	ErrWrongChain   = errors.New("siwe: the message is for another chain")
	ErrWrongNonce   = errors.New("siwe: the message carries another nonce than the one issued")
	ErrWrongAddress = errors.New("siwe: the message is for another address")
	ErrAltered      = errors.New("siwe: the message differs from the one issued")
	ErrExpired      = errors.New("siwe: the message has expired")
	ErrNotYetValid  = errors.New("siwe: the message is not valid yet")
	ErrBadSignature = errors.New("siwe: the signature is not the address's signature of the message")
)

// New builds the message a server at origin (scheme://host[:port], as browsers send it) issues to address on
// chain chainID: the domain is the origin's host[:port], the URI the origin itself, version 1, a fresh random
// nonce, issued now (to the second, UTC) and expiring after ttl.
func New(origin string, address Address, chainID uint64, statement string, now time.Time, ttl time.Duration) (*Message, error) {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.User != nil {
		return nil, fmt.Errorf("siwe: %q is not an origin", origin)
	}
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("siwe: nonce: %w", err)
	}
	issued := now.UTC().Truncate(time.Second)
	m := &Message{
		Domain:         u.Host,
		Address:        address,
		Statement:      statement,
		URI:            u.Scheme + "://" + u.Host,
		Version:        "1",
		ChainID:        chainID,
		Nonce:          hex.EncodeToString(nonce),
		IssuedAt:       issued,
		ExpirationTime: issued.Add(ttl),
	}
	// What New makes must parse: a statement outside EIP-4361's characters is the caller's bug.
	if _, err := Parse(m.String()); err != nil {
		return nil, err
	}
	return m, nil
}

// Check checks a signed sign-in message against the one the server issued, all but the signature: raw
// parses strictly; its domain, URI, chain, nonce and address are the issued ones, and so is every other
// field; and at now it is valid (not before Not Before, before Expiration Time). It returns the parsed
// message. sigcheck.VerifySignIn calls it, then checks the signature on the chain.
//
// Whether the issued nonce is still unused and unexpired is the server's to check before: the nonce is bound
// to its session.
func Check(issued *Message, raw string, now time.Time) (*Message, error) {
	m, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	if err := Compare(issued, m); err != nil {
		return nil, err
	}
	if !m.NotBefore.IsZero() && now.Before(m.NotBefore) {
		return nil, fmt.Errorf("%w: not before %s", ErrNotYetValid, formatTime(m.NotBefore))
	}
	if !m.ExpirationTime.IsZero() && !now.Before(m.ExpirationTime) {
		return nil, fmt.Errorf("%w: at %s", ErrExpired, formatTime(m.ExpirationTime))
	}
	return m, nil
}

// Compare reports the first field in which got differs from want, as one of the Err* values.
func Compare(want, got *Message) error {
	switch {
	case got.Domain != want.Domain || got.Scheme != want.Scheme:
		return fmt.Errorf("%w: %q, want %q", ErrWrongDomain, got.Domain, want.Domain)
	case got.URI != want.URI:
		return fmt.Errorf("%w: %q, want %q", ErrWrongURI, got.URI, want.URI)
	case got.ChainID != want.ChainID:
		return fmt.Errorf("%w: %d, want %d", ErrWrongChain, got.ChainID, want.ChainID)
	case got.Nonce != want.Nonce:
		return ErrWrongNonce
	case got.Address != want.Address:
		return fmt.Errorf("%w: %s, want %s", ErrWrongAddress, got.Address.Hex(), want.Address.Hex())
	}
	for _, f := range []struct {
		name string
		same bool
	}{
		{"Version", got.Version == want.Version},
		{"statement", got.Statement == want.Statement},
		{"Issued At", got.IssuedAt.Equal(want.IssuedAt)},
		{"Expiration Time", got.ExpirationTime.Equal(want.ExpirationTime)},
		{"Not Before", got.NotBefore.Equal(want.NotBefore)},
		{"Request ID", got.RequestID == want.RequestID},
		{"Resources", slices.Equal(got.Resources, want.Resources)},
	} {
		if !f.same {
			return fmt.Errorf("%w: %s", ErrAltered, f.name)
		}
	}
	return nil
}
