package cards

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// SignRequest asks the card to sign one digest the host computed itself
// (an Ethereum account's signing target); it is never a value a page sent.
type SignRequest struct {
	// Digest is the SHA-256 digest to sign (PKCS#1 v1.5 over its
	// DigestInfo).
	Digest []byte
	// PIN is the auth PIN. AuthSign takes it over and zeroes it once the
	// operation is over, whether it ran or not.
	PIN []byte
	// Reader is "" for the only My Number card present.
	Reader string
	// CertificateSHA256 is the SHA-256 of the certificate the person was
	// shown; required. Another card gives ErrCardChanged and nothing is
	// sent.
	CertificateSHA256 []byte
	// Check, if set, is called in the session with the card's certificate
	// before the PIN is sent; its error ends the operation, so a card that
	// does not own the account the person saw costs no PIN try.
	Check func(certificate []byte) error
}

// Signature is a card signature and the reader whose card made it.
type Signature struct {
	Reader string
	// Signature is the 256-byte PKCS#1 v1.5 signature, checked against the
	// certificate's key.
	Signature []byte
}

// AuthSign validates the PIN's format, the digest and the certificate hash,
// then, in its turn, signs: verify the PIN and have the auth key sign the
// digest, in one session, with the rules of Authenticate (the retry counter
// is read first and no VERIFY goes out when it is 0; the certificate cache
// is used and a stale entry caught). It is for Go callers only: no protocol
// method takes a digest.
func (s *Service) AuthSign(ctx context.Context, req SignRequest) (Signature, error) {
	pin := req.PIN
	for _, check := range []func() error{
		func() error { return jpki.ValidateAuthPIN(pin) },
		func() error {
			if len(req.Digest) != sha256.Size {
				return fmt.Errorf("cards: digest of %d bytes, want %d", len(req.Digest), sha256.Size)
			}
			return nil
		},
		func() error {
			if len(req.CertificateSHA256) != sha256.Size {
				return fmt.Errorf("cards: certificate hash of %d bytes, want %d", len(req.CertificateSHA256), sha256.Size)
			}
			return nil
		},
	} {
		if err := check(); err != nil {
			clear(pin)
			return Signature{}, err
		}
	}
	return operate(s, ctx, func(ctx context.Context) (Signature, error) {
		name, err := s.pick(ctx, req.Reader)
		if err != nil {
			return Signature{}, err
		}
		var sig []byte
		err = s.withCard(ctx, name, func(card *jpki.Card) error {
			var err error
			sig, err = s.signDigest(name, card, req)
			return err
		})
		return Signature{Reader: name, Signature: sig}, err
	}, func() { clear(pin) })
}

// signDigest is AuthSign's card work, on an open applet. As in login, a
// cached certificate saves the reads; a signature that does not match it
// means the card was swapped unseen, which is ErrCardChanged here because
// the caller always names the certificate.
func (s *Service) signDigest(name string, card *jpki.Card, req SignRequest) ([]byte, error) {
	cert := s.cachedCert(name)
	if cert != nil && !hashIs(cert, req.CertificateSHA256) {
		cert = nil
	}
	cached := cert != nil
	if !cached {
		var err error
		if cert, err = s.readCert(name, card); err != nil {
			return nil, err
		}
	}
	if !hashIs(cert, req.CertificateSHA256) {
		return nil, fmt.Errorf("%w: reader %q", ErrCardChanged, name)
	}
	_, pub, err := parseCertificate(cert)
	if err != nil {
		return nil, err
	}
	if req.Check != nil {
		if err := req.Check(cert); err != nil {
			return nil, err
		}
	}
	if err := card.VerifyAuthPIN(req.PIN); err != nil {
		return nil, err
	}
	s.update(name, func(e *entry) { e.retries = authPINMaxTries })
	sig, err := card.AuthKey(pub).Sign(nil, req.Digest, crypto.SHA256)
	if err != nil {
		return nil, err
	}
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, req.Digest, sig); err != nil {
		if cached {
			s.log.Printf("reader %q: the card's signature does not match the cached certificate", name)
			s.update(name, func(e *entry) { e.cert = nil })
			return nil, fmt.Errorf("%w: reader %q", ErrCardChanged, name)
		}
		return nil, fmt.Errorf("%w: reader %q: %v", ErrBadSignature, name, err)
	}
	return sig, nil
}
