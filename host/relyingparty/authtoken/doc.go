// Package authtoken builds and verifies MynaConnect's signature-only login
// token: a Web eID "web-eid:1.0" token signed with the My Number card's JPKI
// user-authentication (利用者証明用) key.
//
// The native messaging host calls [Create]: it validates the origin the
// browser reported and the site's challenge nonce, has the card sign
// SHA-256(origin) || SHA-256(nonce) with RS256, and checks the signature
// against the certificate before anything leaves the host.
//
// A relying party issues a nonce from a [NonceStore], hands it to the page,
// and passes the token the page returns to [Verifier.Verify] together with the
// session it issued the nonce to. Verify takes the pending nonce out of the
// store itself, so the page never tells the server which nonce was signed,
// and the origin it checks against is the server's own configuration, never a
// value from the request.
//
// Revocation is not checked unless the relying party supplies
// [Config.CheckRevocation]: J-LIS makes its CRLs and OCSP responder available
// only to registered verifiers. Without the hook, a token from a certificate
// that has been revoked (card lost or reissued, holder deceased) still
// verifies until the certificate expires.
//
// docs/login-token.md describes the token for relying parties that use
// another language.
package authtoken
