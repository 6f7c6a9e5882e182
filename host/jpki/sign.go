package jpki

import (
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
)

// sha256DigestInfoPrefix is the DER DigestInfo header for a SHA-256 hash
// (RFC 8017 §9.2 note 1). The card pads what it is given with PKCS#1 v1.5
// type 1; it does not add this header itself.
var sha256DigestInfoPrefix = []byte{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

const signatureLen = 256 // RSA-2048, the only key size JPKI uses

// SHA256DigestInfo wraps a SHA-256 digest in its DER DigestInfo.
func SHA256DigestInfo(digest []byte) ([]byte, error) {
	if len(digest) != 32 {
		return nil, fmt.Errorf("jpki: SHA-256 digest has 32 bytes, got %d", len(digest))
	}
	return append(append(make([]byte, 0, len(sha256DigestInfoPrefix)+32), sha256DigestInfoPrefix...), digest...), nil
}

// AuthKey returns the auth private key as a crypto.Signer. pub is the public
// key from the auth certificate; the card cannot export it. Sign needs the
// auth PIN verified earlier in this session.
func (c *Card) AuthKey(pub *rsa.PublicKey) crypto.Signer {
	return &cardKey{card: c, ef: EFAuthKey, pub: pub}
}

// SignKey returns the 署名用 (digital signature) private key. It needs the sign
// password verified earlier in this session. For Go callers only: the host
// never offers it to web pages.
func (c *Card) SignKey(pub *rsa.PublicKey) crypto.Signer {
	return &cardKey{card: c, ef: EFSignKey, pub: pub}
}

// ReadSignCertificate returns the DER 署名用 certificate. The card releases it
// only after the sign password is verified: it carries the holder's name,
// address, birth date and sex.
func (c *Card) ReadSignCertificate() ([]byte, error) {
	return c.readCertificate(EFSignCert, "sign certificate")
}

// ReadSignCACertificate returns the DER certificate of the signing CA.
func (c *Card) ReadSignCACertificate() ([]byte, error) {
	return c.readCertificate(EFSignCACert, "sign CA certificate")
}

// cardKey is one of the card's RSA-2048 keys, signing PKCS#1 v1.5 only.
type cardKey struct {
	card *Card
	ef   uint16
	pub  *rsa.PublicKey
}

func (k *cardKey) Public() crypto.PublicKey { return k.pub }

// Sign signs a SHA-256 digest with PKCS#1 v1.5; rand is unused (the card
// pads deterministically). Other hashes and PSS are refused: the applet
// offers nothing else.
func (k *cardKey) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if _, pss := opts.(*rsa.PSSOptions); pss || opts.HashFunc() != crypto.SHA256 {
		return nil, errors.New("jpki: the card signs SHA-256 PKCS#1 v1.5 only")
	}
	digestInfo, err := SHA256DigestInfo(digest)
	if err != nil {
		return nil, err
	}
	return k.card.signDigestInfo(k.ef, digestInfo)
}

func (c *Card) signDigestInfo(keyEF uint16, digestInfo []byte) ([]byte, error) {
	if err := c.selectEF(keyEF); err != nil {
		return nil, fmt.Errorf("jpki: sign: %w", err)
	}
	sig, err := c.exchange(SignCommand(digestInfo))
	if err != nil {
		return nil, fmt.Errorf("jpki: sign: %w", err)
	}
	if len(sig) != signatureLen {
		return nil, fmt.Errorf("jpki: sign: %w: %d-byte signature, want %d", ErrMalformedResponse, len(sig), signatureLen)
	}
	return sig, nil
}
