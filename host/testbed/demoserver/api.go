package demoserver

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

// Error codes of the API's "error" member. They are stable: the page and
// the browser tests match on them.
const (
	// Request problems.
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	CodeNotFound         = "NOT_FOUND"
	CodeCrossOrigin      = "CROSS_ORIGIN"           // the request's Origin header is another site
	CodeUnsupportedMedia = "UNSUPPORTED_MEDIA_TYPE" // /api/login wants application/json
	CodeBodyTooLarge     = "BODY_TOO_LARGE"
	CodeMalformedRequest = "MALFORMED_REQUEST" // not {"token": {...}}
	CodeInternal         = "INTERNAL"

	// Session and challenge.
	CodeNoSession      = "NO_SESSION"      // no (valid) session cookie
	CodeNoChallenge    = "NO_CHALLENGE"    // this session has no challenge pending
	CodeNonceReplayed  = "NONCE_REPLAYED"  // this session's challenge was used already: a replayed token or a second attempt
	CodeNonceExpired   = "NONCE_EXPIRED"   // the challenge outlived Config.NonceTTL
	CodeWrongChallenge = "WRONG_CHALLENGE" // signed for this site, but for another session's challenge or an older one of this session

	// The token.
	CodeTokenTooLarge        = "TOKEN_TOO_LARGE"
	CodeMalformedToken       = "MALFORMED_TOKEN"
	CodeUnsupportedFormat    = "UNSUPPORTED_FORMAT"
	CodeUnsupportedAlgorithm = "UNSUPPORTED_ALGORITHM"
	CodeBadCertificate       = "BAD_CERTIFICATE"
	CodeUnsupportedKey       = "UNSUPPORTED_KEY"
	CodeKeyUsage             = "KEY_USAGE"
	CodeCertificatePolicy    = "CERTIFICATE_POLICY" // e.g. the 署名用 certificate
	CodeCertificateNotYet    = "CERTIFICATE_NOT_YET_VALID"
	CodeCertificateExpired   = "CERTIFICATE_EXPIRED"
	CodeUntrusted            = "UNTRUSTED_CERTIFICATE"
	CodeRevoked              = "REVOKED"
	CodeWrongOrigin          = "WRONG_ORIGIN"  // a genuine signature of the card, over another site's origin
	CodeBadSignature         = "BAD_SIGNATURE" // not a signature by the certificate's key: altered or forged
)

// Limits of request bodies. A login body is the token (at most
// authtoken.MaxTokenSize) in a small envelope; anything much larger is not a
// login attempt. A challenge request carries nothing.
const (
	maxLoginBody     = 2 * authtoken.MaxTokenSize
	maxChallengeBody = 1 << 10
)

// sentinelCodes maps authtoken's errors to codes, in the verifier's order.
// ErrBadSignature and ErrUnknownNonce are missing: diagnose splits them.
var sentinelCodes = []struct {
	err  error
	code string
}{
	{authtoken.ErrNoSession, CodeNoSession},
	{authtoken.ErrTokenTooLarge, CodeTokenTooLarge},
	{authtoken.ErrMalformedToken, CodeMalformedToken},
	{authtoken.ErrUnsupportedFormat, CodeUnsupportedFormat},
	{authtoken.ErrUnsupportedAlgorithm, CodeUnsupportedAlgorithm},
	{authtoken.ErrBadCertificate, CodeBadCertificate},
	{authtoken.ErrUnsupportedKey, CodeUnsupportedKey},
	{authtoken.ErrKeyUsage, CodeKeyUsage},
	{authtoken.ErrCertificatePolicy, CodeCertificatePolicy},
	{authtoken.ErrCertificateNotYetValid, CodeCertificateNotYet},
	{authtoken.ErrCertificateExpired, CodeCertificateExpired},
	{authtoken.ErrUntrustedCertificate, CodeUntrusted},
	{authtoken.ErrNonceExpired, CodeNonceExpired},
	{authtoken.ErrRevoked, CodeRevoked},
}

// A LoginResult is the body of a successful /api/login: what the site
// learned, and nothing more exists to learn from the token.
type LoginResult struct {
	Verified bool `json:"verified"`
	// Subject is the account key at this site (authtoken.Result.Subject).
	Subject string `json:"subject"`
	// Issuer is the certificate issuer's distinguished name.
	Issuer    string    `json:"issuer"`
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
	// Prefecture and Municipality issued the card (from the certificate's
	// CRL distribution point).
	Prefecture   string `json:"prefecture"`
	Municipality string `json:"municipality"`
	// Origin is the configured origin the signature was checked against.
	Origin string `json:"origin"`
}

// An APIError is the body of every failed API request.
type APIError struct {
	Verified bool   `json:"verified"` // always false
	Code     string `json:"error"`
	Message  string `json:"message"`
}

func (s *Server) challenge(w http.ResponseWriter, r *http.Request) {
	if !s.checkRequest(w, r) {
		return
	}
	if _, err := limitedRead(r.Body, maxChallengeBody); err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, CodeBodyTooLarge, "a challenge request carries no body")
		return
	}
	sid := s.session(r)
	if sid == "" {
		var err error
		if sid, err = newSessionID(); err != nil {
			s.internal(w, "making a session id", err)
			return
		}
		s.setSession(w, sid)
	}
	nonce, err := s.nonces.Issue(r.Context(), sid)
	if err != nil {
		s.internal(w, "issuing a challenge", err)
		return
	}
	s.log.Info("challenge issued")
	writeJSON(w, http.StatusOK, map[string]string{"nonce": nonce})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !s.checkRequest(w, r) {
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, CodeUnsupportedMedia, "send the token as application/json")
		return
	}
	body, err := limitedRead(r.Body, maxLoginBody)
	if errors.Is(err, errTooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, CodeBodyTooLarge, "the request is larger than any login token")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeMalformedRequest, "reading the request: "+err.Error())
		return
	}
	token, err := tokenOf(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeMalformedRequest, err.Error())
		return
	}

	sid := s.session(r)
	res, err := s.verifier.Verify(r.Context(), token, sid)
	if err != nil {
		status, code, msg := s.diagnose(err, token, sid)
		s.log.Info("login rejected", "code", code, "err", err)
		writeError(w, status, code, msg)
		return
	}
	// A login changes what the session may do: a new identifier keeps one
	// fixed before the login (by a hostile page on a shared host, say) from
	// riding on it.
	if fresh, err := newSessionID(); err == nil {
		s.setSession(w, fresh)
	}
	s.log.Info("login verified", "subject", res.Subject, "municipality", res.Municipality)
	writeJSON(w, http.StatusOK, LoginResult{
		Verified:     true,
		Subject:      res.Subject,
		Issuer:       authtoken.IssuerName(res.Certificate),
		NotBefore:    res.Certificate.NotBefore.UTC(),
		NotAfter:     res.Certificate.NotAfter.UTC(),
		Prefecture:   res.Prefecture,
		Municipality: res.Municipality,
		Origin:       s.origin,
	})
}

// tokenOf takes the token out of {"token": {...}}, byte for byte: the
// verifier is strict about the token's own JSON, so it must see it as sent.
func tokenOf(body []byte) ([]byte, error) {
	var req struct {
		Token json.RawMessage `json:"token"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, errors.New(`the body is not {"token": {...}}: ` + err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New(`the body has data after {"token": {...}}`)
	}
	if len(req.Token) == 0 || req.Token[0] != '{' {
		return nil, errors.New(`"token" must be the token object`)
	}
	return req.Token, nil
}

// checkRequest allows POST only, and no request a browser marks as coming
// from another origin: with a SameSite=Strict cookie a cross-site request
// has no session anyway, but a same-site one (another port of 127.0.0.1)
// would, and must not be able to replace this session's challenge.
func (s *Server) checkRequest(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed, r.Method+" is not allowed; use POST")
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && o != s.origin {
		writeError(w, http.StatusForbidden, CodeCrossOrigin, "requests must come from "+s.origin+", not "+o)
		return false
	}
	return true
}

// session returns the request's session id, or "" if it has none that this
// server could have issued.
func (s *Server) session(r *http.Request) string {
	c, err := r.Cookie(s.cookie)
	if err != nil {
		return ""
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(c.Value)
	if err != nil || len(b) != sessionIDBytes {
		return ""
	}
	return c.Value
}

const sessionIDBytes = 32

func newSessionID() (string, error) {
	b := make([]byte, sessionIDBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func (s *Server) setSession(w http.ResponseWriter, id string) {
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookie,
		Value:    id,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
		// Not Secure: the demo runs on http://127.0.0.1. A real site
		// serves https and adds Secure.
		Secure: false,
	})
}

func (s *Server) internal(w http.ResponseWriter, what string, err error) {
	s.log.Error(what, "err", err)
	writeError(w, http.StatusInternalServerError, CodeInternal, what+" failed")
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, APIError{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"verified":false,"error":"INTERNAL","message":"encoding the answer"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
