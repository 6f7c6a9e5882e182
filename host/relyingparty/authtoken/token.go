package authtoken

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Values of the token's fields.
const (
	// Format is the format MynaConnect writes. ParseToken accepts
	// "web-eid:1" and any "web-eid:1.x".
	Format = "web-eid:1.0"
	// AlgorithmRS256 is RSASSA-PKCS1-v1_5 with SHA-256, the only scheme the
	// JPKI applet implements and so the only algorithm accepted.
	AlgorithmRS256 = "RS256"
	// AppVersionPrefix starts the appVersion MynaConnect writes; the release
	// tag follows.
	AppVersionPrefix = "https://github.com/mynaconnect/mynaconnect/releases/"
	// MaxTokenSize is the largest token accepted, in bytes. A real token is
	// about 2.6 KiB: a 1.6 KB certificate and a 256-byte signature, in base64.
	MaxTokenSize = 16 << 10
)

// A Token is a login token in the Web eID "web-eid:1.0" format. Its JSON form
// carries the two byte fields in standard padded base64.
type Token struct {
	// UnverifiedCertificate is the DER of the card's user-authentication
	// certificate. Nothing about it is trusted until Verifier.Verify says so.
	UnverifiedCertificate []byte `json:"unverifiedCertificate"`
	// Algorithm is the signature algorithm, AlgorithmRS256.
	Algorithm string `json:"algorithm"`
	// Signature is the PKCS#1 v1.5 signature over SignedData.
	Signature []byte `json:"signature"`
	// Format is the token format, Format.
	Format string `json:"format"`
	// AppVersion names the release that made the token. It is informational
	// and not covered by the signature.
	AppVersion string `json:"appVersion"`
}

// SignedData returns the 64 bytes the card signs (with RS256, so their
// SHA-256 goes into the DigestInfo): SHA-256(origin) || SHA-256(nonce), where
// nonce is the base64 string as the site sent it. Hashing each field first
// keeps ("example.com", ".eu1234...") apart from ("example.com.eu", "1234...").
//
// SignedData does not validate its arguments; Create does.
func SignedData(origin, nonce string) []byte {
	o := sha256.Sum256([]byte(origin))
	n := sha256.Sum256([]byte(nonce))
	return append(o[:], n[:]...)
}

// Challenge is a login request: the origin the browser reported for the
// requesting page and the site's challenge nonce, checked once, by
// NewChallenge. The zero value is no challenge; Create refuses it.
type Challenge struct {
	origin, nonce string
}

// NewChallenge checks origin (ValidateOrigin) and nonce (ValidateNonce)
// and pairs them. origin must be the one the browser reported, never a
// value the page chose.
func NewChallenge(origin, nonce string) (Challenge, error) {
	if err := ValidateOrigin(origin); err != nil {
		return Challenge{}, err
	}
	if err := ValidateNonce(nonce); err != nil {
		return Challenge{}, err
	}
	return Challenge{origin: origin, nonce: nonce}, nil
}

// Origin is the challenge's origin.
func (c Challenge) Origin() string { return c.origin }

// Nonce is the challenge's nonce.
func (c Challenge) Nonce() string { return c.nonce }

// Create makes the login token for a challenge: signer (the card's
// authentication key) signs SignedData(origin, nonce) with RS256, and the
// signature is checked against cert's public key before the token is
// returned, so that a card that signed with another key than its
// certificate's never yields a token. cert is the card's authentication
// certificate, parsed once by the caller (it needs the key too); its Raw
// bytes go into the token.
//
// Errors from signer are wrapped, so a caller can still match the card's
// errors (wrong PIN, card removed) with errors.Is and errors.As.
func Create(ch Challenge, cert *x509.Certificate, signer crypto.Signer, appVersion string) (*Token, error) {
	if ch == (Challenge{}) {
		return nil, fmt.Errorf("%w: no challenge (make one with NewChallenge)", ErrBadOrigin)
	}
	if appVersion == "" {
		return nil, errors.New("authtoken: empty appVersion")
	}
	if cert == nil {
		return nil, fmt.Errorf("%w: nil certificate", ErrBadCertificate)
	}
	pub, err := rsaKey(cert)
	if err != nil {
		return nil, err
	}
	origin, nonce := ch.origin, ch.nonce
	digest := sha256.Sum256(SignedData(origin, nonce))
	sig, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("authtoken: signing the login challenge: %w", err)
	}
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return nil, fmt.Errorf("%w: the card's signature does not match its certificate", ErrBadSignature)
	}
	return &Token{
		UnverifiedCertificate: bytes.Clone(cert.Raw),
		Algorithm:             AlgorithmRS256,
		Signature:             sig,
		Format:                Format,
		AppVersion:            appVersion,
	}, nil
}

// Marshal returns the token's JSON. It fails with the error ParseToken would
// return if the token would not parse back.
func (t *Token) Marshal() ([]byte, error) {
	if t == nil {
		return nil, fmt.Errorf("%w: nil token", ErrMalformedToken)
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("authtoken: %w", err)
	}
	if len(b) > MaxTokenSize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTokenTooLarge, len(b), MaxTokenSize)
	}
	return b, nil
}

// ParseToken decodes a token strictly and checks its format and algorithm;
// it does not look inside the certificate or check the signature.
//
// A token longer than MaxTokenSize is rejected before decoding
// (ErrTokenTooLarge). It must be one UTF-8 JSON object holding each of the
// five fields exactly once as a non-empty string, with nothing else in the
// object and nothing after it but white space, and the certificate and
// signature in canonical standard base64 (ErrMalformedToken). The format must
// be web-eid:1 or web-eid:1.x (ErrUnsupportedFormat) and the algorithm RS256
// (ErrUnsupportedAlgorithm).
func ParseToken(b []byte) (*Token, error) {
	if len(b) > MaxTokenSize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTokenTooLarge, len(b), MaxTokenSize)
	}
	t, err := decodeToken(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedToken, err)
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	return t, nil
}

// decodeToken walks the JSON tokens itself: encoding/json would accept
// duplicate keys (the last one winning), keys in another case, and null.
func decodeToken(b []byte) (*Token, error) {
	if !utf8.Valid(b) {
		return nil, errors.New("not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var t Token
	seen := make(map[string]bool, 5)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("object key is not a string")
		}
		tok, err = dec.Token()
		if err != nil {
			return nil, err
		}
		val, isString := tok.(string)
		if !isString {
			return nil, fmt.Errorf("field %s is not a string", quote(key))
		}
		if seen[key] {
			return nil, fmt.Errorf("duplicate field %s", quote(key))
		}
		seen[key] = true
		switch key {
		case "unverifiedCertificate":
			t.UnverifiedCertificate, err = decodeBase64(key, val)
		case "algorithm":
			t.Algorithm = val
		case "signature":
			t.Signature, err = decodeBase64(key, val)
		case "format":
			t.Format = val
		case "appVersion":
			t.AppVersion = val
		default:
			return nil, fmt.Errorf("unknown field %s", quote(key))
		}
		if err != nil {
			return nil, err
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, errors.New("not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	return &t, nil
}

// decodeBase64 accepts only the form Marshal writes, so that a parsed token
// marshals back to the same bytes for these fields.
func decodeBase64(field, s string) ([]byte, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || strings.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("field %s is not standard padded base64", field)
	}
	return b, nil
}

// check applies the rules shared by ParseToken and Marshal, in
// ParseToken's order.
func (t *Token) check() error {
	for _, f := range []struct {
		name  string
		empty bool
	}{
		{"unverifiedCertificate", len(t.UnverifiedCertificate) == 0},
		{"algorithm", t.Algorithm == ""},
		{"signature", len(t.Signature) == 0},
		{"format", t.Format == ""},
		{"appVersion", t.AppVersion == ""},
	} {
		if f.empty {
			return fmt.Errorf("%w: missing or empty field %q", ErrMalformedToken, f.name)
		}
	}
	if t.Format != "web-eid:1" && !strings.HasPrefix(t.Format, "web-eid:1.") {
		return fmt.Errorf("%w %s", ErrUnsupportedFormat, quote(t.Format))
	}
	if t.Algorithm != AlgorithmRS256 {
		return fmt.Errorf("%w %s", ErrUnsupportedAlgorithm, quote(t.Algorithm))
	}
	return nil
}

// rsaKey returns the certificate's key if it is one this package accepts.
func rsaKey(cert *x509.Certificate) (*rsa.PublicKey, error) {
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: %s, want RSA", ErrUnsupportedKey, cert.PublicKeyAlgorithm)
	}
	if n := pub.N.BitLen(); n < 2048 {
		return nil, fmt.Errorf("%w: RSA key of %d bits, want at least 2048", ErrUnsupportedKey, n)
	}
	return pub, nil
}
