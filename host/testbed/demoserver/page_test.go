package demoserver_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/citest"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoflow"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// The page's own logic in a real browser, under its real CSP, with a test
// double in place of the extension: window.ethereum is defined before the
// page's scripts (as the extension's MAIN-world content script does) and
// hands the request to Go, where the virtual card signs. The double takes
// the origin from location.origin, which the real extension must not do;
// the extension's own browser tests cover that part.
const fakeProvider = `
window.ethereum = Object.freeze({
  isMynaConnect: true,
  request: async ({ method, params }) => {
    const r = await window.fakeWallet({ origin: location.origin, method, params });
    if (r.error) {
      const e = new Error(r.error.message);
      e.code = r.error.code;
      e.data = { reason: r.error.reason };
      throw e;
    }
    return r.result;
  },
});`

type walletRequest struct {
	Origin string `json:"origin"`
	Method string `json:"method"`
	Params []struct {
		ChallengeNonce string `json:"challengeNonce"`
	} `json:"params"`
}

type walletError struct {
	Code    int    `json:"code"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

type walletAnswer struct {
	Result json.RawMessage `json:"result,omitempty"`
	Error  *walletError    `json:"error,omitempty"`
}

// wallet answers the fake provider's requests the way the test says.
type wallet struct {
	card *card
	mu   sync.Mutex
	// signFor, if set, is the origin the card signs for instead of the
	// page's (a wallet that got the origin wrong); reject answers with
	// this error instead of signing.
	signFor string
	reject  *walletError
}

func (w *wallet) set(signFor string, reject *walletError) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.signFor, w.reject = signFor, reject
}

func (w *wallet) answer(_ context.Context, req walletRequest) (walletAnswer, error) {
	w.mu.Lock()
	signFor, reject := w.signFor, w.reject
	w.mu.Unlock()
	if req.Method != "mynaconnect_authenticate" || len(req.Params) != 1 {
		return walletAnswer{Error: &walletError{Code: 4200, Reason: "UNSUPPORTED_METHOD", Message: req.Method}}, nil
	}
	if reject != nil {
		return walletAnswer{Error: reject}, nil
	}
	origin := req.Origin
	if signFor != "" {
		origin = signFor
	}
	tok, err := w.card.make(origin, req.Params[0].ChallengeNonce)
	if err != nil {
		return walletAnswer{Error: &walletError{Code: -32603, Reason: "CARD_ERROR", Message: err.Error()}}, nil
	}
	return walletAnswer{Result: tok}, nil
}

// pageExtension is the smallest extension chromium.Start accepts: the key,
// and a service worker for Start to find.
func pageExtension(t *testing.T) string {
	dir := t.TempDir()
	m, _ := json.Marshal(map[string]any{
		"manifest_version": 3,
		"name":             "demoserver page test",
		"version":          "0.0.0",
		"key":              manifesttemplates.ExtensionKey,
		"background":       map[string]any{"service_worker": "worker.js"},
	})
	for name, content := range map[string][]byte{"manifest.json": m, "worker.js": []byte("// nothing to do\n")} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestPageInChromium(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := demoserver.Config{TrustAnchors: []*x509.Certificate{testPKI(t).AuthCA.Cert}, Now: func() time.Time { return testNow }}
	start := func(addr string) *demoserver.Server {
		s, err := demoserver.Start(ctx, addr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	site, second, inner := start("127.0.0.1:0"), start("localhost:0"), start("127.0.0.1:0")

	var stderr strings.Builder
	var stderrMu sync.Mutex
	b, err := chromium.Start(ctx, chromium.Options{
		Extension: pageExtension(t),
		Headless:  true,
		Stderr:    writerFunc(func(p []byte) { stderrMu.Lock(); stderr.Write(p); stderrMu.Unlock() }),
	})
	if errors.Is(err, chromium.ErrNoChromium) {
		citest.Unavailable(t, "%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		b.Close()
		if t.Failed() {
			stderrMu.Lock()
			t.Logf("Chromium's output:\n%s", stderr.String())
			stderrMu.Unlock()
		}
	})
	w := &wallet{card: sharedCard(t)}
	shots := os.Getenv("MYNACONNECT_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	}

	// One tab without a wallet, and one with the fake wallet, reused by
	// the subtests: the wallet's binding and script survive navigations,
	// and opening a tab costs a few hundred milliseconds.
	bare, closeBare, err := b.NewPage(ctx, "about:blank")
	if err != nil {
		t.Fatal(err)
	}
	defer closeBare()
	withWallet, closeWithWallet, err := b.NewPage(ctx, "about:blank")
	if err != nil {
		t.Fatal(err)
	}
	defer closeWithWallet()
	err = chromedp.Do(withWallet,
		chromedp.ExposeFunc("fakeWallet", w.answer),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fakeProvider})
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	open := func(t *testing.T, url string, tab context.Context) context.Context {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
			t.Fatal(err)
		}
		return tab
	}
	// result waits for the page's verdict and returns #result's data-*.
	result := func(t *testing.T, tab context.Context, opts ...chromedp.QueryOption) map[string]string {
		t.Helper()
		wctx, cancel := context.WithTimeout(tab, 10*time.Second)
		defer cancel()
		attrs, err := chromium.Attributes(wctx, demoflow.SiteVerdict, opts...)
		if err != nil {
			t.Fatalf("waiting for #result: %v", err)
		}
		return attrs
	}
	text := func(t *testing.T, tab context.Context, sel string, opts ...chromedp.QueryOption) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.TextContent(chromedp.CSS(sel), opts...))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	t.Run("without the extension it says so", func(t *testing.T) {
		tab := open(t, site.Origin()+"/", bare)
		if err := chromium.Click(tab, "#login"); err != nil {
			t.Fatal(err)
		}
		if a := result(t, tab); a["data-status"] != "rejected" || a["data-reason"] != "EXTENSION_NOT_INSTALLED" {
			t.Fatalf("#result %v", a)
		}
		if s := text(t, tab, "#result"); !strings.Contains(s, "インストールされていません") {
			t.Errorf("#result says %q", s)
		}
	})

	t.Run("a login on the localhost origin is verified", func(t *testing.T) {
		w.set("", nil)
		tab := open(t, second.Origin()+"/", withWallet)
		if got := text(t, tab, "#origin"); got != second.Origin() {
			t.Errorf("#origin = %q, want %q", got, second.Origin())
		}
		if err := chromium.Click(tab, "#login"); err != nil {
			t.Fatal(err)
		}
		if a := result(t, tab); a["data-status"] != "verified" {
			t.Fatalf("#result %v: %s", a, text(t, tab, "#result"))
		}
		for _, want := range []string{"ログインしました", "Hokkaido Sapporo-shi-Minami-ku", second.Origin()} {
			if s := text(t, tab, "#result"); !strings.Contains(s, want) {
				t.Errorf("#result lacks %q: %s", want, s)
			}
		}
		if s := text(t, tab, "#token"); !strings.Contains(s, `"unverifiedCertificate"`) {
			t.Errorf("#token = %q", s)
		}
		if err := b.Screenshot(tab, filepath.Join(shots, "testsign-verified.png")); err != nil {
			t.Error(err)
		}
	})

	t.Run("a wallet error shows its code and reason", func(t *testing.T) {
		w.set("", &walletError{Code: 4001, Reason: "USER_REJECTED", Message: "User rejected the request."})
		tab := open(t, site.Origin()+"/", withWallet)
		if err := chromium.Click(tab, "#login"); err != nil {
			t.Fatal(err)
		}
		if a := result(t, tab); a["data-status"] != "rejected" || a["data-reason"] != "USER_REJECTED" {
			t.Fatalf("#result %v", a)
		}
		if s := text(t, tab, "#result"); !strings.Contains(s, "4001") {
			t.Errorf("#result lacks the code: %q", s)
		}
	})

	t.Run("a token for another origin is refused by the server", func(t *testing.T) {
		w.set(second.Origin(), nil)
		tab := open(t, site.Origin()+"/", withWallet)
		if err := chromium.Click(tab, "#login"); err != nil {
			t.Fatal(err)
		}
		if a := result(t, tab); a["data-status"] != "failed" || a["data-code"] != demoserver.CodeWrongOrigin {
			t.Fatalf("#result %v", a)
		}
		if err := b.Screenshot(tab, filepath.Join(shots, "testsign-wrong-origin.png")); err != nil {
			t.Error(err)
		}
	})

	t.Run("in a cross-origin iframe the login is the frame's", func(t *testing.T) {
		w.set("", nil)
		tab := open(t, site.Origin()+"/frame.html?src="+url.QueryEscape(inner.Origin()+"/"), withWallet)
		nodes, err := chromedp.Run(tab, chromedp.Nodes(chromedp.CSS("iframe#frame")))
		if err != nil {
			t.Fatal(err)
		}
		in := chromedp.FromNode(nodes[0])
		if got := text(t, tab, "#origin", in); got != inner.Origin() {
			t.Errorf("the frame shows origin %q, want %q", got, inner.Origin())
		}
		if err := chromium.Click(tab, "#login", in); err != nil {
			t.Fatal(err)
		}
		if a := result(t, tab, in); a["data-status"] != "verified" {
			t.Fatalf("#result in the frame %v: %s", a, text(t, tab, "#result", in))
		}
		if s := text(t, tab, "#result", in); !strings.Contains(s, inner.Origin()) {
			t.Errorf("the frame's login was not checked for its own origin: %s", s)
		}
		if err := b.Screenshot(tab, filepath.Join(shots, "testsign-frame.png")); err != nil {
			t.Error(err)
		}
	})
}

type writerFunc func([]byte)

func (f writerFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }
