// Package demoserver is the relying party of MynaConnect's demo and browser
// tests: it serves the test-sign page (testdata/testsign, "test - sign"),
// issues login challenges bound to a session cookie, and verifies the login
// tokens the page posts with host/relyingparty/authtoken, as a real site's server would.
//
// The HTTP API, both under the site's own origin:
//
//	POST /api/challenge   -> 200 {"nonce": "<base64>"}; sets the session cookie if absent
//	POST /api/login       {"token": {...}}
//	                      -> 200 {"verified": true, "subject", "issuer", "notBefore",
//	                              "notAfter", "prefecture", "municipality", "origin"}
//	                      -> 4xx {"verified": false, "error": "<CODE>", "message": "..."}
//
// The error codes are listed with Code* below; each names one reason a
// login fails, so a browser test can assert the exact failure.
//
// With Config.ChainConfig the page's Ethereum section works too: /api/eth/*
// (see eth.go) gives the chain, verifies personal_sign and
// eth_signTypedData_v4 signatures of any account (ERC-1271, ERC-6492 or
// ecrecover, through host/relyingparty/sigcheck), runs Sign-In with Ethereum
// (host/relyingparty/siwe) with nonces bound to the session, and on a dev chain funds
// accounts from the configuration's faucet key.
//
// The server checks every signature against Config.Origin, the origin it is
// configured for, never one taken from the request: a token a person made
// for another site fails here with WRONG_ORIGIN.
//
// It is a demo, not a template for production: sessions live in memory, the
// session cookie is not Secure (the demo runs on http://127.0.0.1), and the
// page may be framed by any loopback origin so the cross-origin iframe test
// can run.
package demoserver

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/mynaconnect/mynaconnect"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

// Config is what a Server is started with.
type Config struct {
	// Origin is the exact origin browsers reach the server at, for example
	// "http://127.0.0.1:8443" (see authtoken.ValidateOrigin). Tokens are
	// verified against it, never against the request's Host header.
	// Required; Listen returns it for a listener.
	Origin string

	// TrustAnchors are the CA certificates that may issue login
	// certificates: the test PKI's auth CA in the demo. Required.
	TrustAnchors []*x509.Certificate

	// NonceTTL is how long a challenge stays usable; zero means
	// authtoken.DefaultNonceTTL.
	NonceTTL time.Duration

	// Now returns the time certificates and challenges are checked at; nil
	// means time.Now. Tests pin it inside the test certificate's validity.
	Now func() time.Time

	// Log receives one line per challenge and per login attempt (never the
	// token); nil discards them.
	Log *slog.Logger

	// FrameAncestors are the origins allowed to show the site in a frame,
	// besides its own (CSP frame-ancestors). Each must be an http(s) origin
	// on a loopback host; a port of "*" allows every port. Nil allows
	// every loopback origin, because the demo's second server gets its port
	// only when it starts.
	FrameAncestors []string

	// Site is the page served; nil means mynaconnect.TestSignSite().
	Site fs.FS

	// ChainConfig is the path of a chain configuration file (host/chainconfig format) for the
	// page's Ethereum section: the network's JSON-RPC endpoint checks signatures, its tokens are shown, and
	// its dev section (a dev chain only) enables the faucet. Empty leaves the section off: its API answers
	// ETH_NOT_CONFIGURED. The demo passes the dev chain's file (devchain.Options.ConfigPath).
	ChainConfig string

	// ChainID picks the network of ChainConfig; zero means its first network.
	ChainID uint64
}

// A Server is the test-sign site: an http.Handler.
type Server struct {
	origin   string
	verifier *authtoken.Verifier
	nonces   *trackingStore
	log      *slog.Logger
	site     fs.FS
	csp      string
	cookie   string // the session cookie's name
	now      func() time.Time
	nonceTTL time.Duration // of sign-in messages, as of login challenges
	eth      *eth          // nil without Config.ChainConfig

	http *http.Server // set by Start
}

// loopbackSources are CSP sources for every loopback origin, on any port.
var loopbackSources = []string{
	"http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*",
	"https://127.0.0.1:*", "https://localhost:*", "https://[::1]:*",
}

// New checks c and returns the Server. Misconfiguration (a bad origin, no
// trust anchors, a frame ancestor that is not loopback) is an error here.
func New(c Config) (*Server, error) {
	if err := authtoken.ValidateOrigin(c.Origin); err != nil {
		return nil, fmt.Errorf("demoserver: Config.Origin: %w", err)
	}
	u, _ := url.Parse(c.Origin) // ValidateOrigin accepted it
	now := c.Now
	if now == nil {
		now = time.Now
	}
	mem := authtoken.NewMemoryNonceStore(c.NonceTTL, 0)
	mem.Now = now
	nonces := newTrackingStore(mem, c.Origin)
	v, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       c.Origin,
		TrustAnchors: c.TrustAnchors,
		Nonces:       nonces,
		Now:          now,
	})
	if err != nil {
		return nil, fmt.Errorf("demoserver: %w", err)
	}
	ancestors := c.FrameAncestors
	if ancestors == nil {
		ancestors = loopbackSources
	}
	for _, a := range ancestors {
		if !isLoopbackSource(a) {
			return nil, fmt.Errorf("demoserver: Config.FrameAncestors: %q is not an http(s) origin on a loopback host", a)
		}
	}
	site := c.Site
	if site == nil {
		site = mynaconnect.TestSignSite()
	}
	if _, err := fs.Stat(site, "index.html"); err != nil {
		return nil, fmt.Errorf("demoserver: the site has no index.html: %w", err)
	}
	log := c.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	port := u.Port()
	if port == "" {
		port = "default"
	}
	var e *eth
	if c.ChainConfig != "" {
		if e, err = newEth(c.ChainConfig, c.ChainID); err != nil {
			return nil, fmt.Errorf("demoserver: Config.ChainConfig: %w", err)
		}
	}
	return &Server{
		origin:   c.Origin,
		verifier: v,
		nonces:   nonces,
		log:      log.With("origin", c.Origin),
		site:     site,
		// frame-src: frame.html embeds pages of other loopback origins.
		csp: "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
			"frame-src 'self' " + strings.Join(loopbackSources, " ") + "; " +
			"frame-ancestors 'self' " + strings.Join(ancestors, " "),
		// Cookies are scoped to a host, not to a port: two demo servers on
		// 127.0.0.1 would overwrite each other's cookie of one name.
		cookie:   "mynaconnect_demo_session_" + port,
		now:      now,
		nonceTTL: nonceTTLOrDefault(c.NonceTTL),
		eth:      e,
	}, nil
}

// isLoopbackSource reports whether s is http(s)://<loopback host>[:port|:*].
func isLoopbackSource(s string) bool {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || (scheme != "http" && scheme != "https") {
		return false
	}
	host, port := rest, ""
	if i := strings.LastIndex(rest, ":"); i >= 0 && !strings.HasSuffix(rest, "]") {
		host, port = rest[:i], rest[i+1:]
		if port == "" {
			return false
		}
		if port != "*" {
			for _, c := range port {
				if c < '0' || c > '9' {
					return false
				}
			}
		}
	}
	return isLoopbackHost(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
}

// isLoopbackHost is the rule frame.html applies to its src, in Go.
func isLoopbackHost(h string) bool {
	return h == "localhost" || h == "127.0.0.1" || h == "::1"
}

// Origin returns the origin tokens are verified against.
func (s *Server) Origin() string { return s.origin }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	switch r.URL.Path {
	case "/api/challenge":
		s.challenge(w, r)
	case "/api/login":
		s.login(w, r)
	default:
		if strings.HasPrefix(r.URL.Path, "/api/eth/") {
			s.ethAPI(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeError(w, http.StatusNotFound, CodeNotFound, "no such API: "+r.URL.Path)
			return
		}
		s.static(w, r)
	}
}

// static serves the embedded site: GET and HEAD, files only.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	if name == "frame.html" {
		if err := checkFrameSrc(r.URL.Query().Get("src")); err != nil {
			http.Error(w, "400 frame.html: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	b, err := fs.ReadFile(s.site, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	// The page changes with the build; a stale app.js against a new server
	// would show confusing failures.
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// checkFrameSrc allows frame.html to embed only http(s) pages on loopback
// hosts: the page is a test harness, not an open redirector into a frame.
func checkFrameSrc(src string) error {
	if src == "" {
		return errors.New("missing ?src=<url of the page to embed>")
	}
	u, err := url.Parse(src)
	if err != nil {
		return fmt.Errorf("src: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || !isLoopbackHost(u.Hostname()) {
		return fmt.Errorf("src %q: only http(s) pages on a loopback host (localhost, 127.0.0.1, [::1]) may be embedded", src)
	}
	return nil
}

// Close stops a server made by Start, waiting up to 2 s for requests in
// flight, and lets go of the chain's endpoint.
func (s *Server) Close() error {
	if s.eth != nil {
		defer s.eth.client.Close()
	}
	if s.http == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		s.http.Close()
		return fmt.Errorf("demoserver: stopping %s: %w", s.origin, err)
	}
	return nil
}

// limitedRead reads at most limit bytes of body; more is errTooLarge.
func limitedRead(body io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

var errTooLarge = errors.New("request body too large")
