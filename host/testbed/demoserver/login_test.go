package demoserver_test

import (
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
)

func TestLogin(t *testing.T) {
	tests := []struct {
		name       string
		config     func(*demoserver.Config)
		run        func(h *harness) response
		wantStatus int
		wantCode   string
	}{
		{
			name: "a fresh token from the card is verified",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				return h.login(h.card.token(h.t, siteOrigin, nonce), s)
			},
			wantStatus: http.StatusOK,
		},
		{
			name: "the same token again is a replay",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				tok := h.card.token(h.t, siteOrigin, nonce)
				if r := h.login(tok, s); r.status != http.StatusOK {
					h.t.Fatalf("first login: %d %s", r.status, r.raw)
				}
				return h.login(tok, s)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeNonceReplayed,
		},
		{
			name: "a second attempt after a failed one is a replay too",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				h.login(h.card.token(h.t, "https://other.example", nonce), s)
				return h.login(h.card.token(h.t, siteOrigin, nonce), s)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeNonceReplayed,
		},
		{
			name: "no session cookie",
			run: func(h *harness) response {
				nonce, _ := h.challenge(nil)
				return h.login(h.card.token(h.t, siteOrigin, nonce), nil)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeNoSession,
		},
		{
			name: "a session cookie this server never issued",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				forged := *s
				forged.Value = "not-a-session"
				return h.login(h.card.token(h.t, siteOrigin, nonce), &forged)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeNoSession,
		},
		{
			name: "another session's challenge, this session's own already used",
			run: func(h *harness) response {
				nonce, _ := h.challenge(nil)
				_, other := h.challenge(nil)
				h.login([]byte(`{}`), other) // uses up other's challenge
				return h.login(h.card.token(h.t, siteOrigin, nonce), other)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeNonceReplayed,
		},
		{
			name: "another session's challenge, this session has its own",
			run: func(h *harness) response {
				nonce, _ := h.challenge(nil)
				_, other := h.challenge(nil)
				return h.login(h.card.token(h.t, siteOrigin, nonce), other)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeWrongChallenge,
		},
		{
			name: "an earlier challenge of this session, replaced by a newer one",
			run: func(h *harness) response {
				first, s := h.challenge(nil)
				h.challenge(s)
				return h.login(h.card.token(h.t, siteOrigin, first), s)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeWrongChallenge,
		},
		{
			name: "a session that never asked for a challenge",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				fresh := *s
				fresh.Value = strings.Repeat("A", 43)
				return h.login(h.card.token(h.t, siteOrigin, nonce), &fresh)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeNoChallenge,
		},
		{
			name: "signed for another origin",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				return h.login(h.card.token(h.t, "http://localhost:8443", nonce), s)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeWrongOrigin,
		},
		{
			name: "a tampered signature",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				tok, err := authtoken.ParseToken(h.card.token(h.t, siteOrigin, nonce))
				if err != nil {
					h.t.Fatal(err)
				}
				tok.Signature[100] ^= 0x01
				b, err := tok.Marshal()
				if err != nil {
					h.t.Fatal(err)
				}
				return h.login(b, s)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeBadSignature,
		},
		{
			name:   "a certificate from an issuer the site does not trust",
			config: func(c *demoserver.Config) { c.TrustAnchors = []*x509.Certificate{testPKI(t).SignCA.Cert} },
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				return h.login(h.card.token(h.t, siteOrigin, nonce), s)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeUntrusted,
		},
		{
			name: "an expired certificate",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				tok := h.card.token(h.t, siteOrigin, nonce)
				h.clock.Add(5 * 365 * 24 * time.Hour)
				return h.login(tok, s)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeCertificateExpired,
		},
		{
			name:   "a challenge older than its time to live",
			config: func(c *demoserver.Config) { c.NonceTTL = time.Minute },
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				h.clock.Add(2 * time.Minute)
				return h.login(h.card.token(h.t, siteOrigin, nonce), s)
			},
			wantStatus: http.StatusUnauthorized, wantCode: demoserver.CodeNonceExpired,
		},
		{
			name: "a token with unknown fields",
			run: func(h *harness) response {
				_, s := h.challenge(nil)
				return h.login([]byte(`{"certificate":"AAAA"}`), s)
			},
			wantStatus: http.StatusBadRequest, wantCode: demoserver.CodeMalformedToken,
		},
		{
			name: "a token over 16 KiB",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				tok := string(h.card.token(h.t, siteOrigin, nonce))
				tok = strings.Replace(tok, `"appVersion":"`, `"appVersion":"`+strings.Repeat("x", 17<<10), 1)
				return h.login([]byte(tok), s)
			},
			wantStatus: http.StatusRequestEntityTooLarge, wantCode: demoserver.CodeTokenTooLarge,
		},
		{
			name: "a body that is not JSON",
			run: func(h *harness) response {
				_, s := h.challenge(nil)
				return h.do("POST", "/api/login", "application/json", "token=abc", s, siteOrigin)
			},
			wantStatus: http.StatusBadRequest, wantCode: demoserver.CodeMalformedRequest,
		},
		{
			name: "a token that is a string",
			run: func(h *harness) response {
				_, s := h.challenge(nil)
				return h.do("POST", "/api/login", "application/json", `{"token":"eyJ..."}`, s, siteOrigin)
			},
			wantStatus: http.StatusBadRequest, wantCode: demoserver.CodeMalformedRequest,
		},
		{
			name: "a body with more than the token",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				tok := string(h.card.token(h.t, siteOrigin, nonce))
				return h.do("POST", "/api/login", "application/json", `{"token":`+tok+`,"origin":"`+siteOrigin+`"}`, s, siteOrigin)
			},
			wantStatus: http.StatusBadRequest, wantCode: demoserver.CodeMalformedRequest,
		},
		{
			name: "an oversize body",
			run: func(h *harness) response {
				_, s := h.challenge(nil)
				return h.do("POST", "/api/login", "application/json", `{"token":"`+strings.Repeat("A", 64<<10)+`"}`, s, siteOrigin)
			},
			wantStatus: http.StatusRequestEntityTooLarge, wantCode: demoserver.CodeBodyTooLarge,
		},
		{
			name: "a form post instead of JSON",
			run: func(h *harness) response {
				_, s := h.challenge(nil)
				return h.do("POST", "/api/login", "application/x-www-form-urlencoded", "token=x", s, siteOrigin)
			},
			wantStatus: http.StatusUnsupportedMediaType, wantCode: demoserver.CodeUnsupportedMedia,
		},
		{
			name: "GET instead of POST",
			run: func(h *harness) response {
				_, s := h.challenge(nil)
				return h.do("GET", "/api/login", "", "", s, "")
			},
			wantStatus: http.StatusMethodNotAllowed, wantCode: demoserver.CodeMethodNotAllowed,
		},
		{
			name: "a request from another origin's page",
			run: func(h *harness) response {
				nonce, s := h.challenge(nil)
				return h.do("POST", "/api/login", "application/json",
					`{"token":`+string(h.card.token(h.t, siteOrigin, nonce))+`}`, s, "http://127.0.0.1:9999")
			},
			wantStatus: http.StatusForbidden, wantCode: demoserver.CodeCrossOrigin,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.config)
			r := tt.run(h)
			if r.status != tt.wantStatus || r.code() != tt.wantCode {
				t.Fatalf("got %d %q, want %d %q; body %s", r.status, r.code(), tt.wantStatus, tt.wantCode, r.raw)
			}
			if got := r.body["verified"]; got != (tt.wantStatus == http.StatusOK) {
				t.Errorf("verified = %v; body %s", got, r.raw)
			}
			if tt.wantCode != "" {
				if msg, _ := r.body["message"].(string); msg == "" {
					t.Errorf("no message with %s", tt.wantCode)
				}
			}
		})
	}
}

func TestVerifiedLoginSaysWhatTheSiteLearnedAndRotatesTheSession(t *testing.T) {
	h := newHarness(t, nil)
	nonce, s := h.challenge(nil)
	r := h.login(h.card.token(t, siteOrigin, nonce), s)
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	var got demoserver.LoginResult
	if err := json.Unmarshal([]byte(r.raw), &got); err != nil {
		t.Fatal(err)
	}
	cert := testPKI(t).AuthCertificate()
	want := demoserver.LoginResult{
		Verified:     true,
		Subject:      got.Subject,
		Issuer:       "OU=MynaConnect TEST CA 2026,OU=Japan Agency for Local Authority Information Systems,OU=JPKI for user authentication,O=JPKI,C=JP",
		NotBefore:    cert.NotBefore.UTC(),
		NotAfter:     cert.NotAfter.UTC(),
		Prefecture:   "Hokkaido",
		Municipality: "Sapporo-shi-Minami-ku",
		Origin:       siteOrigin,
	}
	if got != want {
		t.Errorf("result = %+v\nwant     %+v", got, want)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(got.Subject) {
		t.Errorf("subject %q is not the 43-character site-scoped id", got.Subject)
	}
	for _, field := range []string{"serial", "name", "address", "birthDate", "sex", "myNumber", "certificate"} {
		if _, ok := r.body[field]; ok {
			t.Errorf("the answer has %q: the page must learn nothing more than the listed fields", field)
		}
	}
	if r.session == nil || r.session.Value == s.Value {
		t.Errorf("the session id was not replaced after the login (cookie %v)", r.session)
	}
}

func TestChallengeSetsAStrictHttpOnlySessionCookieOnce(t *testing.T) {
	h := newHarness(t, nil)
	r := h.do("POST", "/api/challenge", "", "", nil, siteOrigin)
	if r.status != http.StatusOK || r.session == nil {
		t.Fatalf("%d %s, cookie %v", r.status, r.raw, r.session)
	}
	c := r.session
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || len(c.Value) != 43 {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/, 32 random bytes in base64url", c)
	}
	if c.Name != "mynaconnect_demo_session_8443" {
		t.Errorf("cookie name %q: want the port in it (cookies do not tell ports apart)", c.Name)
	}
	nonce, _ := r.body["nonce"].(string)
	if err := authtoken.ValidateNonce(nonce); err != nil {
		t.Errorf("nonce: %v", err)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}

	again := h.do("POST", "/api/challenge", "application/json", "{}", c, "")
	if again.status != http.StatusOK || again.session != nil {
		t.Errorf("second challenge in the session: %d, new cookie %v; want the session kept", again.status, again.session)
	}
	if n2, _ := again.body["nonce"].(string); n2 == nonce {
		t.Error("the same nonce twice")
	}

	if r := h.do("GET", "/api/challenge", "", "", nil, ""); r.status != http.StatusMethodNotAllowed || r.code() != demoserver.CodeMethodNotAllowed || r.header.Get("Allow") != "POST" {
		t.Errorf("GET /api/challenge: %d %q Allow %q", r.status, r.code(), r.header.Get("Allow"))
	}
	if r := h.do("POST", "/api/challenge", "", "{}", nil, "http://localhost:8443"); r.status != http.StatusForbidden || r.code() != demoserver.CodeCrossOrigin {
		t.Errorf("challenge from another origin: %d %q", r.status, r.code())
	}
}

func TestTheSignatureIsCheckedAgainstTheConfiguredOriginNotTheHostHeader(t *testing.T) {
	h := newHarness(t, nil)
	nonce, s := h.challenge(nil)
	// A token for the origin the request claims to be sent to, not the one
	// the server is configured with.
	req := httptest.NewRequest("POST", "http://evil.localhost:8443/api/login",
		strings.NewReader(`{"token":`+string(h.card.token(t, "http://localhost:8443", nonce))+`}`))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(s)
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), demoserver.CodeWrongOrigin) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}
