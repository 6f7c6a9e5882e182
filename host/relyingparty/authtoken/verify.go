package authtoken

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// PolicyJPKIAuth is the certificate policy of JPKI user-authentication
// (利用者証明用) certificates, the only policy a Verifier accepts unless
// configured otherwise.
const PolicyJPKIAuth = "1.2.392.200149.8.5.1.3.30"

// subjectDomain separates the subject identifier's hash from any other use of
// SHA-256 over the same key; the version lets a future scheme coexist.
const subjectDomain = "mynaconnect-subject-v1\x00"

// Config is what a relying party decides once, for NewVerifier.
type Config struct {
	// Origin is this site's origin as browsers serialize it, for example
	// "https://login.example.jp". Tokens are checked against it, never
	// against an origin taken from the request. Required.
	Origin string

	// TrustAnchors are the CA certificates allowed to issue login
	// certificates: the J-LIS user-authentication CAs of every generation
	// still issuing valid certificates (they issue directly, without
	// intermediates). Required; each must be a CA certificate.
	TrustAnchors []*x509.Certificate

	// Nonces holds the pending challenges, one per session. Required.
	Nonces NonceStore

	// Policies are the accepted certificate policy OIDs in dotted form; the
	// certificate must carry at least one. Empty means PolicyJPKIAuth.
	Policies []string

	// Now returns the verification time; nil means time.Now.
	Now func() time.Time

	// CheckRevocation, if set, is called for a token that passed every
	// other check, with its certificate and the trust anchor that issued it;
	// an error rejects the token with ErrRevoked. It is the only check that
	// may need the network, which is why it runs last.
	//
	// J-LIS offers revocation data (CRL and OCSP) only to verifiers it has
	// registered. When CheckRevocation is nil, revocation is NOT checked: a
	// certificate that has been revoked (card lost or reissued, holder
	// deceased) keeps working until it expires, about five years after issue.
	CheckRevocation func(ctx context.Context, cert, issuer *x509.Certificate) error
}

// A Verifier checks login tokens for one site. Make it with NewVerifier; it
// is safe for concurrent use if its NonceStore and CheckRevocation are.
type Verifier struct {
	origin          string
	anchors         []*x509.Certificate
	nonces          NonceStore
	policies        []x509.OID
	now             func() time.Time
	checkRevocation func(ctx context.Context, cert, issuer *x509.Certificate) error
}

// NewVerifier checks c and returns a Verifier for it. A bad origin, no trust
// anchors, an anchor that is not a CA, no nonce store or an unparsable policy
// OID is an error here rather than a failed login later.
func NewVerifier(c Config) (*Verifier, error) {
	if err := ValidateOrigin(c.Origin); err != nil {
		return nil, fmt.Errorf("authtoken: Config.Origin: %w", err)
	}
	if len(c.TrustAnchors) == 0 {
		return nil, errors.New("authtoken: Config.TrustAnchors is empty")
	}
	for i, a := range c.TrustAnchors {
		if a == nil {
			return nil, fmt.Errorf("authtoken: Config.TrustAnchors[%d] is nil", i)
		}
		if !a.BasicConstraintsValid || !a.IsCA {
			return nil, fmt.Errorf("authtoken: Config.TrustAnchors[%d] (%s) is not a CA certificate", i, a.Subject)
		}
	}
	if c.Nonces == nil {
		return nil, errors.New("authtoken: Config.Nonces is nil")
	}
	policies := c.Policies
	if len(policies) == 0 {
		policies = []string{PolicyJPKIAuth}
	}
	v := &Verifier{
		origin:          c.Origin,
		anchors:         append([]*x509.Certificate(nil), c.TrustAnchors...),
		nonces:          c.Nonces,
		now:             c.Now,
		checkRevocation: c.CheckRevocation,
	}
	for _, p := range policies {
		oid, err := x509.ParseOID(p)
		if err != nil {
			return nil, fmt.Errorf("authtoken: Config.Policies: %w", err)
		}
		v.policies = append(v.policies, oid)
	}
	if v.now == nil {
		v.now = time.Now
	}
	return v, nil
}

// Origin returns the origin the Verifier checks tokens against.
func (v *Verifier) Origin() string { return v.origin }

// A Result describes a verified login.
type Result struct {
	// Subject identifies the card holder's account at this site: unpadded
	// base64url of SHA-256("mynaconnect-subject-v1\x00" || origin || "\x00"
	// || SubjectPublicKeyInfo DER). It is the same at every login with the
	// same certificate and differs between sites; it does not make logins
	// unlinkable, since every site also gets the certificate itself.
	// It changes when the certificate is renewed (about every five years,
	// or when the card is reissued), because the card then has a new key:
	// let the person link the new certificate to the account, for example by
	// logging in another way first.
	Subject string

	// Certificate is the verified certificate. Its serial number and subject
	// identify the holder across sites and to J-LIS; do not use them as the
	// account key or show them to others.
	Certificate *x509.Certificate

	// Prefecture and Municipality name the municipality that issued the
	// certificate, from its CRL distribution point, for example "Hokkaido"
	// and "Sapporo-shi-Minami-ku". Empty when the certificate has no such
	// distribution point.
	Prefecture, Municipality string
}

// Verify checks a login token made for the challenge pending for sessionKey
// (the key the relying party passed to Nonces.Issue, typically its session
// cookie's identifier) and returns who logged in. An empty sessionKey is
// ErrNoSession.
//
// Verify first takes the session's challenge out of the store, before it
// looks at the token: every attempt uses the challenge up, whatever its
// outcome. So a challenge is good for one attempt only: nobody can try
// tokens against it until one passes, and a failed attempt (a token for
// another site, one from a stale tab) cannot be retried. The page must ask
// for a new challenge after any failure.
//
// Then it checks, in this order, and reports the first failure:
//
//  1. the token (ParseToken): ErrTokenTooLarge, ErrMalformedToken,
//     ErrUnsupportedFormat, ErrUnsupportedAlgorithm;
//  2. the certificate: ErrBadCertificate, ErrUnsupportedKey, ErrKeyUsage
//     (digitalSignature; clientAuth if it has extended key usages),
//     ErrCertificatePolicy, ErrCertificateNotYetValid, ErrCertificateExpired
//     at the Config.Now time;
//  3. the issuer, one of Config.TrustAnchors: ErrUntrustedCertificate;
//  4. the challenge: ErrUnknownNonce, ErrNonceExpired, or the store's own
//     error, wrapped;
//  5. the signature over the configured origin and the challenge:
//     ErrBadSignature. A token made for another origin, for another
//     session's challenge or with another key fails here;
//  6. revocation, if Config.CheckRevocation is set: ErrRevoked.
func (v *Verifier) Verify(ctx context.Context, token []byte, sessionKey string) (*Result, error) {
	if v == nil || v.nonces == nil {
		return nil, errors.New("authtoken: Verifier not made by NewVerifier")
	}
	if sessionKey == "" {
		return nil, ErrNoSession
	}
	// Taken before anything else, so that every attempt uses it up; its
	// error is reported in its place in the order of checks.
	nonce, nonceErr := v.nonces.Take(ctx, sessionKey)

	t, err := ParseToken(token)
	if err != nil {
		return nil, err
	}
	cert, pub, err := v.checkCertificate(t.UnverifiedCertificate)
	if err != nil {
		return nil, err
	}
	issuer, err := v.issuer(cert)
	if err != nil {
		return nil, err
	}
	if nonceErr != nil {
		if errors.Is(nonceErr, ErrUnknownNonce) || errors.Is(nonceErr, ErrNonceExpired) || errors.Is(nonceErr, ErrNoSession) {
			return nil, nonceErr
		}
		return nil, fmt.Errorf("authtoken: taking the session's challenge: %w", nonceErr)
	}
	if err := ValidateNonce(nonce); err != nil {
		return nil, fmt.Errorf("authtoken: the nonce store returned a bad challenge: %w", err)
	}
	digest := sha256.Sum256(SignedData(v.origin, nonce))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], t.Signature); err != nil {
		return nil, fmt.Errorf("%w over origin %s and the session's challenge", ErrBadSignature, quote(v.origin))
	}
	if v.checkRevocation != nil {
		if err := v.checkRevocation(ctx, cert, issuer); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrRevoked, err)
		}
	}
	prefecture, municipality := IssuingMunicipality(cert)
	return &Result{
		Subject:      subject(v.origin, cert.RawSubjectPublicKeyInfo),
		Certificate:  cert,
		Prefecture:   prefecture,
		Municipality: municipality,
	}, nil
}

// checkCertificate is step 2 of Verify.
func (v *Verifier) checkCertificate(der []byte) (*x509.Certificate, *rsa.PublicKey, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrBadCertificate, err)
	}
	if len(cert.UnhandledCriticalExtensions) > 0 {
		return nil, nil, fmt.Errorf("%w: unknown critical extension %s", ErrBadCertificate, cert.UnhandledCriticalExtensions[0])
	}
	pub, err := rsaKey(cert)
	if err != nil {
		return nil, nil, err
	}
	if cert.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return nil, nil, fmt.Errorf("%w: no digitalSignature key usage", ErrKeyUsage)
	}
	if len(cert.ExtKeyUsage) > 0 || len(cert.UnknownExtKeyUsage) > 0 {
		clientAuth := false
		for _, u := range cert.ExtKeyUsage {
			clientAuth = clientAuth || u == x509.ExtKeyUsageClientAuth
		}
		if !clientAuth {
			return nil, nil, fmt.Errorf("%w: extended key usage without clientAuth", ErrKeyUsage)
		}
	}
	if !v.policyAccepted(cert) {
		return nil, nil, fmt.Errorf("%w: certificate policies %v", ErrCertificatePolicy, cert.Policies)
	}
	now := v.now()
	if now.Before(cert.NotBefore) {
		return nil, nil, fmt.Errorf("%w: valid from %s, now %s", ErrCertificateNotYetValid,
			cert.NotBefore.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if now.After(cert.NotAfter) {
		return nil, nil, fmt.Errorf("%w: valid until %s, now %s", ErrCertificateExpired,
			cert.NotAfter.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return cert, pub, nil
}

func (v *Verifier) policyAccepted(cert *x509.Certificate) bool {
	for _, have := range cert.Policies {
		for _, want := range v.policies {
			if have.Equal(want) {
				return true
			}
		}
	}
	return false
}

// issuer is step 3 of Verify: the trust anchor that signed cert.
func (v *Verifier) issuer(cert *x509.Certificate) (*x509.Certificate, error) {
	for _, a := range v.anchors {
		if bytes.Equal(cert.RawIssuer, a.RawSubject) && cert.CheckSignatureFrom(a) == nil {
			return a, nil
		}
	}
	return nil, fmt.Errorf("%w: issuer %s", ErrUntrustedCertificate, quote(cert.Issuer.String()))
}

func subject(origin string, spki []byte) string {
	h := sha256.New()
	h.Write([]byte(subjectDomain))
	h.Write([]byte(origin))
	h.Write([]byte{0})
	h.Write(spki)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}
