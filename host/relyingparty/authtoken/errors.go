package authtoken

import (
	"errors"

	"github.com/mynaconnect/mynaconnect/host/failure"
)

// Errors returned by this package. Each names one failed check; the returned
// error wraps it with the detail, so test with errors.Is. The two a login
// request can fail in the host carry its protocol code.
var (
	// ErrBadOrigin: the origin is not the exact ASCII serialization of an
	// https origin (or an http loopback origin).
	ErrBadOrigin = failure.New(failure.BadOrigin, "authtoken: bad origin")
	// ErrBadNonce: the challenge nonce is not standard padded base64 of at
	// least 32 bytes, or is longer than MaxNonceLength.
	ErrBadNonce = failure.New(failure.BadNonce, "authtoken: bad challenge nonce")

	// ErrTokenTooLarge: the token is longer than MaxTokenSize bytes. It was
	// not decoded.
	ErrTokenTooLarge = errors.New("authtoken: token too large")
	// ErrMalformedToken: the token is not a JSON object with exactly the
	// token's fields, each once, each a string, with canonical base64 where
	// base64 is due.
	ErrMalformedToken = errors.New("authtoken: malformed token")
	// ErrUnsupportedFormat: the format field is not web-eid:1 or web-eid:1.x.
	ErrUnsupportedFormat = errors.New("authtoken: unsupported token format")
	// ErrUnsupportedAlgorithm: the algorithm field is not RS256.
	ErrUnsupportedAlgorithm = errors.New("authtoken: unsupported signature algorithm")

	// ErrBadCertificate: the certificate does not parse, or has a critical
	// extension this package does not understand.
	ErrBadCertificate = errors.New("authtoken: bad certificate")
	// ErrUnsupportedKey: the certificate's key is not RSA of at least 2048 bits.
	ErrUnsupportedKey = errors.New("authtoken: unsupported certificate key")
	// ErrKeyUsage: the certificate is not for digital signatures, or has an
	// extended key usage without clientAuth.
	ErrKeyUsage = errors.New("authtoken: certificate key usage does not allow login")
	// ErrCertificatePolicy: the certificate has none of the accepted policies
	// (by default the JPKI user-authentication policy).
	ErrCertificatePolicy = errors.New("authtoken: certificate policy not accepted")
	// ErrCertificateExpired: the verification time is after the certificate's
	// NotAfter.
	ErrCertificateExpired = errors.New("authtoken: certificate expired")
	// ErrCertificateNotYetValid: the verification time is before the
	// certificate's NotBefore.
	ErrCertificateNotYetValid = errors.New("authtoken: certificate not yet valid")
	// ErrUntrustedCertificate: no configured trust anchor issued the
	// certificate.
	ErrUntrustedCertificate = errors.New("authtoken: certificate not issued by a trusted CA")
	// ErrRevoked: Config.CheckRevocation rejected the certificate. The hook's
	// own error is wrapped too.
	ErrRevoked = errors.New("authtoken: certificate revoked")

	// ErrNoSession: the session key is empty. It is a bug in the caller: a
	// challenge must be bound to a session.
	ErrNoSession = errors.New("authtoken: empty session key")
	// ErrUnknownNonce: the session has no pending challenge: none was issued,
	// it was already used (by this attempt or an earlier one), it was issued
	// to another session, or it was dropped to keep the store bounded.
	ErrUnknownNonce = errors.New("authtoken: no pending challenge for this session")
	// ErrNonceExpired: the session's challenge was issued more than the
	// store's time to live ago.
	ErrNonceExpired = errors.New("authtoken: challenge expired")

	// ErrBadSignature: the signature does not verify over the configured
	// origin and the session's challenge with the certificate's key. The token
	// was made for another site, another challenge, or was altered.
	ErrBadSignature = errors.New("authtoken: signature does not verify")
)
