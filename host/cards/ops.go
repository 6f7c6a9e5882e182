package cards

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

func isErr(err, target error) bool { return errors.Is(err, target) }

// Certificate is a reader's auth certificate.
type Certificate struct {
	Reader string
	DER    []byte
}

// ReadAuthCertificate reads the auth certificate of the card
// in reader ("" for the only My Number card). A certificate read from the
// same card before is answered without touching the card: it stays cached
// until the card leaves the reader.
func (s *Service) ReadAuthCertificate(ctx context.Context, reader string) (Certificate, error) {
	return operate(s, ctx, func(ctx context.Context) (Certificate, error) {
		name, err := s.pick(ctx, reader)
		if err != nil {
			return Certificate{}, err
		}
		if cert := s.cachedCert(name); cert != nil {
			return Certificate{Reader: name, DER: cert}, nil
		}
		var cert []byte
		err = s.withCard(ctx, name, func(card *jpki.Card) error {
			var err error
			cert, err = s.readCert(name, card)
			return err
		})
		return Certificate{Reader: name, DER: cert}, err
	}, nil)
}

// PINStatus is the auth PIN's retry counter.
type PINStatus struct {
	Reader      string
	RetriesLeft int // 0 = blocked
}

// AuthPINStatus reads the auth PIN's retry counter. It uses
// no try; the consent window asks it before showing the PIN pad.
func (s *Service) AuthPINStatus(ctx context.Context, reader string) (PINStatus, error) {
	return operate(s, ctx, func(ctx context.Context) (PINStatus, error) {
		name, err := s.pick(ctx, reader)
		if err != nil {
			return PINStatus{}, err
		}
		var n int
		err = s.withCard(ctx, name, func(card *jpki.Card) error {
			var err error
			n, err = card.AuthPINRetries()
			return err
		}, func(e *entry) { e.retries = n })
		return PINStatus{Reader: name, RetriesLeft: n}, err
	}, nil)
}

// Authentication is a login token and the reader whose card made it.
type Authentication struct {
	Reader string
	Token  *authtoken.Token
}

// Authenticate takes authenticate's params as the host protocol decoded
// them (the origin and the nonce checked there, once) and validates the
// PIN's format, then, in its turn, logs in:
// verify the PIN and have the card sign the login challenge (login.md). A
// malformed request fails at once, before any APDU, with
// jpki.ErrBadPINFormat (or authtoken.ErrBadOrigin for a zero Challenge).
func (s *Service) Authenticate(ctx context.Context, req protocol.AuthenticateParams) (Authentication, error) {
	pin := req.PIN
	for _, check := range []func() error{
		func() error {
			if req.Challenge == (authtoken.Challenge{}) {
				return fmt.Errorf("%w: no challenge", authtoken.ErrBadOrigin)
			}
			return nil
		},
		func() error { return jpki.ValidateAuthPIN(pin) },
		func() error {
			if req.CertificateSHA256 != nil && len(req.CertificateSHA256) != sha256.Size {
				return fmt.Errorf("cards: certificate hash of %d bytes, want %d", len(req.CertificateSHA256), sha256.Size)
			}
			return nil
		},
	} {
		if err := check(); err != nil {
			clear(pin)
			return Authentication{}, err
		}
	}
	return operate(s, ctx, func(ctx context.Context) (Authentication, error) {
		name, err := s.pick(ctx, req.Reader)
		if err != nil {
			return Authentication{}, err
		}
		var tok *authtoken.Token
		err = s.withCard(ctx, name, func(card *jpki.Card) error {
			var err error
			tok, err = s.login(name, card, req)
			return err
		})
		return Authentication{Reader: name, Token: tok}, err
	}, func() { clear(pin) })
}

// login is authenticate's card work, on an open applet.
//
// With the certificate cached from an earlier operation on this card, it is
// not read again (about seven APDUs saved): the PIN is verified, the card
// signs, and authtoken.Create checks the signature against the cached
// certificate. Only if that fails (the card was swapped unseen) is the
// certificate read and the challenge signed again, in the same session, so
// no second PIN try is spent.
func (s *Service) login(name string, card *jpki.Card, req protocol.AuthenticateParams) (*authtoken.Token, error) {
	cert := s.cachedCert(name)
	if cert != nil && req.CertificateSHA256 != nil && !hashIs(cert, req.CertificateSHA256) {
		cert = nil // stale, or the sheet showed another card: look at the card
	}
	cached := cert != nil
	if !cached {
		var err error
		if cert, err = s.readCert(name, card); err != nil {
			return nil, err
		}
	}
	if req.CertificateSHA256 != nil && !hashIs(cert, req.CertificateSHA256) {
		return nil, fmt.Errorf("%w: reader %q", ErrCardChanged, name)
	}
	parsed, pub, err := parseCertificate(cert)
	if err != nil {
		return nil, err
	}
	if err := card.VerifyAuthPIN(req.PIN); err != nil {
		return nil, err
	}
	s.update(name, func(e *entry) { e.retries = authPINMaxTries })
	tok, err := s.token(req, parsed, card, pub)
	if !cached || !errors.Is(err, authtoken.ErrBadSignature) {
		return tok, err
	}
	s.log.Printf("reader %q: the card's signature does not match the cached certificate; reading it again", name)
	s.update(name, func(e *entry) { e.cert = nil })
	if req.CertificateSHA256 != nil {
		return nil, fmt.Errorf("%w: reader %q", ErrCardChanged, name)
	}
	if cert, err = s.readCert(name, card); err != nil {
		return nil, err
	}
	if parsed, pub, err = parseCertificate(cert); err != nil {
		return nil, err
	}
	return s.token(req, parsed, card, pub)
}

// token has the card sign the login challenge into a token. The origin and
// the nonce were checked before the card was touched, so what authtoken
// refuses here is the card's own certificate or signature: a card error.
func (s *Service) token(req protocol.AuthenticateParams, cert *x509.Certificate, card *jpki.Card, pub *rsa.PublicKey) (*authtoken.Token, error) {
	tok, err := authtoken.Create(req.Challenge, cert, card.AuthKey(pub), s.cfg.AppVersion)
	if err != nil && failure.CodeOf(err) == failure.Internal {
		return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return tok, err
}

// readCert reads the auth certificate from the card and caches it.
func (s *Service) readCert(name string, card *jpki.Card) ([]byte, error) {
	cert, err := card.ReadAuthCertificate()
	if err != nil {
		return nil, err
	}
	s.update(name, func(e *entry) { e.cert = bytes.Clone(cert) })
	return cert, nil
}

// cachedCert returns the certificate cached for a reader, or nil.
func (s *Service) cachedCert(name string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.findLocked(name); e != nil && e.status.CardPresent {
		return bytes.Clone(e.cert)
	}
	return nil
}

func hashIs(der, want []byte) bool {
	got := sha256.Sum256(der)
	return bytes.Equal(got[:], want)
}

// parseCertificate parses the card's DER certificate, once per operation,
// and returns it with its RSA key.
func parseCertificate(der []byte) (*x509.Certificate, *rsa.PublicKey, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("cards: the card's auth certificate does not parse: %w: %v", jpki.ErrMalformedResponse, err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, nil, fmt.Errorf("cards: the card's auth certificate holds a %s key, want RSA: %w", cert.PublicKeyAlgorithm, jpki.ErrMalformedResponse)
	}
	return cert, pub, nil
}
