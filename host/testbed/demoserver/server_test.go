package demoserver_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

const (
	siteOrigin  = "http://127.0.0.1:8443"
	testVersion = authtoken.AppVersionPrefix + "v0.0.0-test"
)

// The test certificate is valid 2026-04-01 to 2031-03-31 (JST).
var testNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

func testPKI(t *testing.T) *testpki.PKI {
	t.Helper()
	p, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// card is the in-process virtual My Number card, PIN entered: tokens are
// signed by its APDU engine as the host would have the card sign them.
type card struct {
	mu     sync.Mutex
	cert   []byte
	signer crypto.Signer
}

func newCard(t *testing.T) *card {
	t.Helper()
	c, err := jpki.Open(vcardtest.NewCard(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	der, err := c.ReadAuthCertificate()
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.VerifyAuthPIN([]byte(vcard.DefaultAuthPIN)); err != nil {
		t.Fatal(err)
	}
	return &card{cert: der, signer: c.AuthKey(cert.PublicKey.(*rsa.PublicKey))}
}

// token has the card sign a login for origin and nonce and returns the JSON.
func (c *card) token(t *testing.T, origin, nonce string) []byte {
	t.Helper()
	b, err := c.make(origin, nonce)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// make is token for goroutines that may not call t.Fatal. The card is one
// APDU engine: one signature at a time.
func (c *card) make(origin, nonce string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch, err := authtoken.NewChallenge(origin, nonce)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(c.cert)
	if err != nil {
		return nil, err
	}
	tok, err := authtoken.Create(ch, cert, c.signer, testVersion)
	if err != nil {
		return nil, err
	}
	return tok.Marshal()
}

// clock is a settable Config.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// harness is one server and the card, driven like a browser would.
type harness struct {
	t     *testing.T
	srv   *demoserver.Server
	card  *card
	clock *clock
}

func newHarness(t *testing.T, edit func(*demoserver.Config)) *harness {
	t.Helper()
	h := &harness{t: t, card: sharedCard(t), clock: &clock{now: testNow}}
	c := demoserver.Config{
		Origin:       siteOrigin,
		TrustAnchors: []*x509.Certificate{testPKI(t).AuthCA.Cert},
		Now:          h.clock.Now,
	}
	if edit != nil {
		edit(&c)
	}
	srv, err := demoserver.New(c)
	if err != nil {
		t.Fatal(err)
	}
	h.srv = srv
	return h
}

var cardOnce struct {
	sync.Mutex
	c *card
}

// sharedCard opens the virtual card once: opening it costs a few APDUs,
// and the signatures are what the tests are about.
func sharedCard(t *testing.T) *card {
	cardOnce.Lock()
	defer cardOnce.Unlock()
	if cardOnce.c == nil {
		cardOnce.c = newCard(t)
	}
	return cardOnce.c
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
	// session is the session cookie the response set, if any.
	session *http.Cookie
}

func (r response) code() string { s, _ := r.body["error"].(string); return s }

// do sends a request straight to the handler, with the session cookie
// (nil: none), as the page's fetch would.
func (h *harness) do(method, path, contentType, body string, session *http.Cookie, origin string) response {
	h.t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1:8443"+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if session != nil {
		req.AddCookie(session)
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	res := rec.Result()
	out := response{status: res.StatusCode, header: res.Header, raw: rec.Body.String()}
	for _, c := range res.Cookies() {
		if strings.HasPrefix(c.Name, "mynaconnect_demo_session") {
			out.session = c
		}
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &out.body); err != nil {
			h.t.Fatalf("%s %s: body %q: %v", method, path, out.raw, err)
		}
	}
	return out
}

// challenge starts a login; session nil starts a new session too.
func (h *harness) challenge(session *http.Cookie) (nonce string, _ *http.Cookie) {
	h.t.Helper()
	r := h.do("POST", "/api/challenge", "application/json", "{}", session, siteOrigin)
	if r.status != http.StatusOK {
		h.t.Fatalf("challenge: %d %s", r.status, r.raw)
	}
	if r.session != nil {
		session = r.session
	}
	nonce, _ = r.body["nonce"].(string)
	return nonce, session
}

func (h *harness) login(token []byte, session *http.Cookie) response {
	h.t.Helper()
	return h.do("POST", "/api/login", "application/json", `{"token":`+string(token)+`}`, session, siteOrigin)
}

func TestSiteIsServedWithStrictHeaders(t *testing.T) {
	h := newHarness(t, nil)
	tests := []struct {
		method, path string
		wantStatus   int
		wantType     string
		wantBody     string
	}{
		{"GET", "/", 200, "text/html", "<title>test - sign</title>"},
		{"HEAD", "/", 200, "text/html", ""},
		{"GET", "/app.js", 200, "text/javascript", "mynaconnect_authenticate"},
		{"GET", "/style.css", 200, "text/css", ""},
		{"GET", "/frame.html?src=" + url.QueryEscape("http://localhost:9000/"), 200, "text/html", `<iframe id="frame"`},
		{"GET", "/frame.html?src=" + url.QueryEscape("http://[::1]:9000/"), 200, "text/html", ""},
		{"GET", "/frame.html?src=" + url.QueryEscape("https://example.com/"), 400, "text/plain", "loopback"},
		{"GET", "/frame.html?src=" + url.QueryEscape("javascript:alert(1)"), 400, "text/plain", ""},
		{"GET", "/frame.html?src=" + url.QueryEscape("http://user@127.0.0.1:9000/"), 400, "text/plain", ""},
		{"GET", "/frame.html", 400, "text/plain", "src"},
		{"GET", "/nothing-here.html", 404, "text/plain", ""},
		{"GET", "/README.md", 404, "text/plain", ""},
		{"GET", "/api/nothing", 404, "application/json", demoserver.CodeNotFound},
		{"POST", "/", 405, "text/plain", ""},
		{"GET", "/../testsign.go", 404, "text/plain", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := h.do(tt.method, tt.path, "", "", nil, "")
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.raw)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("Content-Type %q, want %s", ct, tt.wantType)
			}
			if !strings.Contains(r.raw, tt.wantBody) {
				t.Errorf("body does not contain %q:\n%.300s", tt.wantBody, r.raw)
			}
			csp := r.header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "frame-ancestors 'self' http://127.0.0.1:*", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP %q allows inline or eval", csp)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no X-Content-Type-Options: nosniff")
			}
		})
	}
}

func TestFrameAncestorsCanBeNarrowedToLoopbackOriginsOnly(t *testing.T) {
	h := newHarness(t, func(c *demoserver.Config) { c.FrameAncestors = []string{"http://127.0.0.1:9000"} })
	csp := h.do("GET", "/", "", "", nil, "").header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'self' http://127.0.0.1:9000") || strings.Contains(csp, "frame-ancestors 'self' http://127.0.0.1:*") {
		t.Errorf("CSP %q", csp)
	}
	for _, bad := range []string{"https://example.com", "http://127.0.0.1:9000/", "*", "http://127.0.0.1:x", "http://localhost.example.com:*"} {
		_, err := demoserver.New(demoserver.Config{
			Origin:         siteOrigin,
			TrustAnchors:   []*x509.Certificate{testPKI(t).AuthCA.Cert},
			FrameAncestors: []string{bad},
		})
		if err == nil {
			t.Errorf("FrameAncestors %q accepted", bad)
		}
	}
}

func TestNewRejectsMisconfiguration(t *testing.T) {
	ca := testPKI(t).AuthCA.Cert
	tests := map[string]demoserver.Config{
		"no origin":             {TrustAnchors: []*x509.Certificate{ca}},
		"origin with a slash":   {Origin: siteOrigin + "/", TrustAnchors: []*x509.Certificate{ca}},
		"http on a public host": {Origin: "http://example.com", TrustAnchors: []*x509.Certificate{ca}},
		"no trust anchors":      {Origin: siteOrigin},
	}
	for name, c := range tests {
		if _, err := demoserver.New(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The page must run under default-src 'self': no inline script, no inline
// style, no event handler attributes, nothing from another origin.
func TestPagesHaveNothingInlineForTheCSPToBlock(t *testing.T) {
	site := mynaconnect.TestSignSite()
	script := regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`)
	inline := regexp.MustCompile(`(?i)\sstyle=|\son[a-z]+=|(?:src|href)="(?:[a-z]+:)?//`)
	for _, name := range []string{"index.html", "frame.html"} {
		b, err := fs.ReadFile(site, name)
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		for _, m := range script.FindAllStringSubmatch(page, -1) {
			if !strings.Contains(m[1], "src=") || strings.TrimSpace(m[2]) != "" {
				t.Errorf("%s: inline script %q", name, m[0])
			}
		}
		if m := inline.FindString(page); m != "" {
			t.Errorf("%s: %q would need a CSP exception", name, m)
		}
	}
}

func TestListenNamesTheOriginOfTheBoundPort(t *testing.T) {
	for _, tt := range []struct{ addr, prefix string }{
		{"127.0.0.1:0", "http://127.0.0.1:"},
		{"localhost:0", "http://localhost:"},
	} {
		ln, origin, err := demoserver.Listen(tt.addr)
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
		if !strings.HasPrefix(origin, tt.prefix) || authtoken.ValidateOrigin(origin) != nil {
			t.Errorf("Listen(%q) origin %q", tt.addr, origin)
		}
	}
	for _, addr := range []string{"0.0.0.0:0", "example.com:0", ":0", "127.0.0.1"} {
		if ln, _, err := demoserver.Listen(addr); err == nil {
			ln.Close()
			t.Errorf("Listen(%q) accepted", addr)
		}
	}
}

// Two servers at once, over real HTTP with a cookie jar, as the demo runs
// them: a login made for one is refused by the other.
func TestTwoServersOverHTTP(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := sharedCard(t)
	cfg := demoserver.Config{TrustAnchors: []*x509.Certificate{testPKI(t).AuthCA.Cert}, Now: func() time.Time { return testNow }}
	a, err := demoserver.Start(ctx, "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := demoserver.Start(ctx, "localhost:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if a.Origin() == b.Origin() || !strings.HasPrefix(b.Origin(), "http://localhost:") {
		t.Fatalf("origins %s and %s", a.Origin(), b.Origin())
	}

	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar, Timeout: 5 * time.Second}
	post := func(origin, path, body string) map[string]any {
		t.Helper()
		req, err := http.NewRequest("POST", origin+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	nonceA := post(a.Origin(), "/api/challenge", "{}")["nonce"].(string)
	nonceB := post(b.Origin(), "/api/challenge", "{}")["nonce"].(string)

	// The token for B's page, posted to A (with A's session, whose challenge
	// is nonceA): refused, whatever challenge it carries.
	if r := post(a.Origin(), "/api/login", `{"token":`+string(c.token(t, b.Origin(), nonceA))+`}`); r["error"] != demoserver.CodeWrongOrigin {
		t.Errorf("B's token at A: %v", r)
	}
	if r := post(b.Origin(), "/api/login", `{"token":`+string(c.token(t, b.Origin(), nonceB))+`}`); r["verified"] != true {
		t.Errorf("B's token at B: %v", r)
	}
	if err := a.Close(); err != nil {
		t.Error(err)
	}
	if _, err := client.Get(a.Origin() + "/"); err == nil {
		t.Error("A still serves after Close")
	}
}
