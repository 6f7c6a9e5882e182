package e2e

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/citest"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/mynaconnect/mynaconnect/extension/build"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoflow"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// built is what TestMain builds once for every test: the host binary and
// the unpacked Chromium extension.
var built struct {
	dir       string // temporary; removed after the run
	host      string // mynaconnect-host
	extension string // the unpacked extension directory
}

// testTimeout bounds each test: a login takes a few seconds, a hung step
// is reported by demoflow.StepTimeout long before this.
const testTimeout = 90 * time.Second

// The APDU instruction bytes the tests look for in the card's log.
const (
	insVerify = 0x20 // VERIFY: with data it presents a PIN
	insSign   = 0x2A // JPKI's COMPUTE DIGITAL SIGNATURE (CLA 0x80)
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		code = 1
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	root, err := repoRoot()
	if err != nil {
		return 0, err
	}
	built.dir, err = os.MkdirTemp("", "mynaconnect-e2e-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(built.dir)

	built.host = filepath.Join(built.dir, "mynaconnect-host")
	cmd := exec.Command("go", "build", "-o", built.host, "./host/cmd/mynaconnect-host")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("go build ./host/cmd/mynaconnect-host: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r, err := build.Build(ctx, build.Options{Root: root, Out: filepath.Join(built.dir, "extension"), Browser: manifesttemplates.Chromium})
	if err != nil {
		return 0, fmt.Errorf("building the extension: %w", err)
	}
	built.extension = r.Dir
	return m.Run(), nil
}

// repoRoot is the directory of go.mod, above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// env is one test's world: pcscd, a browser with the extension (and the
// host, unless it is the host-missing test), and the demo sites it opens.
type env struct {
	tb      testing.TB
	ctx     context.Context
	daemon  *pcsctest.Daemon
	browser *chromium.Browser
	walker  *demoflow.Walker
	shots   string
	chain   *devchain.Chain // with envOptions.chain
	chains  string          // its chains.json
}

type envOptions struct {
	noHost  bool          // register no native host
	card    *vcard.Card   // plugged into reader 0 before the browser starts; nil for none
	timeout time.Duration // for everything the env does; zero means testTimeout
	chain   bool          // start a dev chain and point the host at it (MYNACONNECT_CHAINS)
	bundler bool          // with chain: Alto in ERC-7562 safe mode takes the UserOperations, not the built-in relayer
	chains  string        // without chain: a chains.json of the test's own for the host
	profile string        // the browser's user data directory, kept; empty for a fresh one
}

// newEnv starts pcscd, plugs the card and starts Chromium. Everything stops
// at the end of the test, the browser first.
func newEnv(tb testing.TB, o envOptions) *env {
	tb.Helper()
	if o.timeout == 0 {
		o.timeout = testTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	tb.Cleanup(cancel)
	e := &env{tb: tb, ctx: ctx}
	e.daemon = pcsctest.StartDaemon(tb)
	if o.card != nil {
		e.plug(o.card)
	}

	var env []string
	if o.chain {
		e.chain, e.chains = startChain(tb, ctx, o.bundler)
	} else if o.chains != "" {
		e.chains = o.chains
	}
	if e.chains != "" {
		env = append(env, "MYNACONNECT_CHAINS="+e.chains)
	}

	hostPath := built.host
	if o.noHost {
		hostPath = ""
	}
	var out chromium.Output
	b, err := chromium.Start(ctx, chromium.Options{
		Extension:  built.extension,
		HostPath:   hostPath,
		ProfileDir: o.profile,
		Headless:   true,
		Stderr:     &out,
		Env:        env,
	})
	if err != nil {
		if errors.Is(err, chromium.ErrNoChromium) && !citest.Enabled() {
			tb.Skip(err)
		}
		tb.Fatalf("starting Chromium (under CI=true a missing browser is a failure): %v", err)
	}
	tb.Cleanup(func() {
		b.Close()
		if tb.Failed() {
			tb.Logf("Chromium's and the host's output (last 16 KiB):\n%s", out.Tail(16<<10))
		}
	})
	e.browser = b
	e.shots = screenshotDir(tb)
	e.walker = &demoflow.Walker{Browser: b, ScreenshotDir: e.shots}
	return e
}

// screenshotDir is $MYNACONNECT_SCREENSHOT_DIR/<test name>, or a temporary
// directory.
func screenshotDir(tb testing.TB) string {
	base := os.Getenv("MYNACONNECT_SCREENSHOT_DIR")
	if base == "" {
		return tb.TempDir()
	}
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' || r == os.PathSeparator {
			return '_'
		}
		return r
	}, tb.Name())
	dir := filepath.Join(base, name)
	// Shots of an earlier run would mix with this run's numbering.
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// plug inserts card into vpcd's reader 0 until the end of the test.
func (e *env) plug(card *vcard.Card) *vcard.Conn {
	e.tb.Helper()
	return vcardtest.Plug(e.tb, e.daemon.VPCDAddr(0), card)
}

// site starts a test-sign server on a free port of 127.0.0.1, trusting the
// test CA only; with envOptions.chain its Ethereum section uses the chain.
func (e *env) site() *demoserver.Server {
	e.tb.Helper()
	s, err := demoserver.Start(e.ctx, "127.0.0.1:0", demoserver.Config{TrustAnchors: []*x509.Certificate{testCA(e.tb)}, ChainConfig: e.chains})
	if err != nil {
		e.tb.Fatal(err)
	}
	e.tb.Cleanup(func() { s.Close() })
	return s
}

func testCA(tb testing.TB) *x509.Certificate {
	tb.Helper()
	p, err := testpki.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return p.AuthCA.Cert
}

// open opens the test-sign page at url in a new tab, closed at the end.
func (e *env) open(url string) context.Context {
	e.tb.Helper()
	page, cancel, err := e.walker.OpenSite(e.ctx, url)
	if err != nil {
		e.tb.Fatal(err)
	}
	e.tb.Cleanup(cancel)
	return page
}

// tab opens url in a new tab that need not be the test-sign page.
func (e *env) tab(url string) context.Context {
	e.tb.Helper()
	page, cancel, err := e.browser.NewPage(e.ctx, url)
	if err != nil {
		e.tb.Fatal(err)
	}
	e.tb.Cleanup(cancel)
	return page
}

// consent waits for the consent window and attaches to it.
func (e *env) consent() context.Context {
	e.tb.Helper()
	c, cancel, err := e.walker.ConsentWindow(e.ctx)
	if err != nil {
		e.tb.Fatal(err)
	}
	e.tb.Cleanup(cancel)
	return c
}

// consentTargets lists the open consent windows.
func (e *env) consentTargets() []*target.Info {
	e.tb.Helper()
	ts, err := chromedp.Targets(e.browser.Context())
	if err != nil {
		e.tb.Fatal(err)
	}
	var found []*target.Info
	for _, t := range ts {
		if t.Type == "page" && strings.HasPrefix(t.URL, e.browser.ExtensionURL("consent.html")) {
			found = append(found, t)
		}
	}
	return found
}

// waitClosed waits until the consent window of ctx is closed: the
// extension closes it when the request ends (after a moment on the done
// screen), and only then opens the next one.
func (e *env) waitClosed(consent context.Context) {
	e.tb.Helper()
	c := chromedp.FromContext(consent)
	if c == nil || c.Target == nil {
		e.tb.Fatal("waitClosed: not an attached target")
	}
	deadline := time.Now().Add(demoflow.StepTimeout)
	for {
		open := false
		for _, t := range e.consentTargets() {
			open = open || t.TargetID == c.Target.TargetID
		}
		if !open {
			return
		}
		if time.Now().After(deadline) {
			e.tb.Fatalf("the consent window is still open after %s", demoflow.StepTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// closeTarget closes the window of the target of ctx through CDP, as the
// person closing it with the window manager's close button does.
func (e *env) closeTarget(ctx context.Context) {
	e.tb.Helper()
	c := chromedp.FromContext(ctx)
	if c == nil || c.Target == nil {
		e.tb.Fatal("closeTarget: not an attached target")
	}
	if _, err := chromedp.CallBrowser(e.browser.Context(), target.CloseTarget, target.CloseTargetParams{TargetID: c.Target.TargetID}); err != nil {
		e.tb.Fatalf("closing the consent window: %v", err)
	}
}

// shot saves a screenshot of the target of ctx.
func (e *env) shot(ctx context.Context, name string) {
	e.tb.Helper()
	if err := e.walker.Shot(ctx, name); err != nil {
		e.tb.Errorf("screenshot %s: %v", name, err)
	}
}

// step, approve, typePIN and result are the walker's steps, failing the
// test on error.
func (e *env) step(consent context.Context, step string) {
	e.tb.Helper()
	if err := e.walker.WaitStep(consent, step); err != nil {
		e.tb.Fatal(err)
	}
}

func (e *env) approve(consent context.Context) {
	e.tb.Helper()
	if err := e.walker.Approve(consent); err != nil {
		e.tb.Fatal(err)
	}
}

func (e *env) cancelConsent(consent context.Context) {
	e.tb.Helper()
	if err := e.walker.Cancel(consent); err != nil {
		e.tb.Fatal(err)
	}
}

func (e *env) typePIN(consent context.Context, pin string, confirmLastTry bool) {
	e.tb.Helper()
	if err := e.walker.TypePIN(consent, pin, confirmLastTry); err != nil {
		e.tb.Fatal(err)
	}
}

func (e *env) startLogin(page context.Context) {
	e.tb.Helper()
	if err := e.walker.StartLogin(page); err != nil {
		e.tb.Fatal(err)
	}
}

func (e *env) result(page context.Context) demoflow.Result {
	e.tb.Helper()
	r, err := e.walker.SiteResult(page)
	if err != nil {
		e.tb.Fatal(err)
	}
	return r
}

// eval evaluates expr in the target of ctx, failing the test on error.
func eval[T any](tb testing.TB, ctx context.Context, expr string) T {
	tb.Helper()
	v, err := chromium.Eval[T](ctx, expr)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// waitTrue waits for expr to be truthy in the target of ctx.
func waitTrue(tb testing.TB, ctx context.Context, expr string) {
	tb.Helper()
	if err := chromium.WaitTrue(ctx, expr, demoflow.StepTimeout); err != nil {
		tb.Fatal(err)
	}
}

// sheetOrigin is the origin the consent sheet's question names
// ([data-field="origin"]) and the one its header shows
// ([data-field="askerOrigin"]).
func sheetOrigin(tb testing.TB, consent context.Context) (question, asker string) {
	tb.Helper()
	v := eval[[2]string](tb, consent, `[
		document.querySelector('[data-field="origin"]')?.textContent ?? '',
		document.querySelector('[data-field="askerOrigin"]')?.textContent ?? '']`)
	return v[0], v[1]
}

// checkSheetNames fails the test unless the sheet names origin, in the
// question and in the header, and nowhere mentions any of others.
func checkSheetNames(tb testing.TB, consent context.Context, origin string, others ...string) {
	tb.Helper()
	q, a := sheetOrigin(tb, consent)
	if q != origin || a != origin {
		tb.Errorf("the sheet names %q (question) and %q (header), want %q", q, a, origin)
	}
	text := eval[string](tb, consent, `document.body.innerText`)
	for _, o := range others {
		// Followed by a digit it is another origin: :8080 is not :80.
		if regexp.MustCompile(regexp.QuoteMeta(o) + `($|[^0-9])`).MatchString(text) {
			tb.Errorf("the consent window mentions %q:\n%s", o, text)
		}
	}
}

// rpc is the outcome of a window.ethereum.request call, as the page saw it.
type rpc struct {
	Done    bool            `json:"done"`
	OK      bool            `json:"ok"`
	Result  json.RawMessage `json:"result"`
	Code    int             `json:"code"`
	Reason  string          `json:"reason"`
	Message string          `json:"message"`
}

func (r rpc) String() string {
	if r.OK {
		return "result " + string(r.Result)
	}
	return fmt.Sprintf("error %d %s: %s", r.Code, r.Reason, r.Message)
}

// settle turns the promise expression p into an rpc, in the page.
func settle(p string) string {
	return `(` + p + `).then(
		(r) => ({done: true, ok: true, result: r === undefined ? null : r}),
		(e) => ({done: true, ok: false, code: e?.code, reason: e?.data?.reason ?? '', message: String(e?.message ?? e)}))`
}

// request calls window.ethereum.request in the page and waits for its
// answer. params is marshalled to JSON and written into the script as a
// literal; nil sends none.
func request(tb testing.TB, page context.Context, method string, params any) rpc {
	tb.Helper()
	return eval[rpc](tb, page, settle(`window.ethereum.request(`+requestArgs(tb, method, params)+`)`))
}

// startRequest calls window.ethereum.request in the page without waiting;
// requestResult collects the answer under name.
func startRequest(tb testing.TB, page context.Context, name, method string, params any) {
	tb.Helper()
	eval[bool](tb, page, `(() => {
		const calls = (window.__e2e ??= {});
		calls[`+strconv.Quote(name)+`] = {done: false};
		`+settle(`window.ethereum.request(`+requestArgs(tb, method, params)+`)`)+`.then((r) => { calls[`+strconv.Quote(name)+`] = r; });
		return true;
	})()`)
}

func requestResult(tb testing.TB, page context.Context, name string) rpc {
	tb.Helper()
	expr := `window.__e2e?.[` + strconv.Quote(name) + `]?.done`
	waitTrue(tb, page, expr)
	return eval[rpc](tb, page, `window.__e2e[`+strconv.Quote(name)+`]`)
}

func requestArgs(tb testing.TB, method string, params any) string {
	tb.Helper()
	args := map[string]any{"method": method}
	if params != nil {
		args["params"] = params
	}
	b, err := json.Marshal(args)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// newNonce is a challenge as a site's server makes one: base64 of 32
// random bytes.
func newNonce() string {
	return base64.StdEncoding.EncodeToString(randomBytes(32))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// fixedNonce is a NonceStore with one pending challenge for every session,
// for verifying a token against a challenge the test chose.
type fixedNonce string

func (f fixedNonce) Issue(context.Context, string) (string, error) { return string(f), nil }
func (f fixedNonce) Take(context.Context, string) (string, error)  { return string(f), nil }

// verifyToken checks token as a relying party at origin does, for the
// challenge nonce, against the test CA.
func verifyToken(tb testing.TB, token []byte, origin, nonce string) error {
	tb.Helper()
	v, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       origin,
		TrustAnchors: []*x509.Certificate{testCA(tb)},
		Nonces:       fixedNonce(nonce),
	})
	if err != nil {
		tb.Fatal(err)
	}
	_, err = v.Verify(context.Background(), token, "session")
	return err
}

// checkSignedFor fails the test unless token is a valid login for origin
// and nonce, and for none of the others.
func checkSignedFor(tb testing.TB, token []byte, origin, nonce string, others ...string) {
	tb.Helper()
	if err := verifyToken(tb, token, origin, nonce); err != nil {
		tb.Errorf("the token is not a login for %s: %v\n%s", origin, err, token)
	}
	for _, o := range others {
		if err := verifyToken(tb, token, o, nonce); !errors.Is(err, authtoken.ErrBadSignature) {
			tb.Errorf("verified for %s: %v, want %v", o, err, authtoken.ErrBadSignature)
		}
	}
}

// verifies lists the VERIFY commands the card received, as status words.
// A VERIFY without data asks for the retry counter and answers 63Cx; one
// that carries a PIN answers 9000, 63Cx or, on a blocked PIN, 6983.
func verifies(card *vcard.Card) []uint16 {
	var sws []uint16
	for _, ex := range card.Log() {
		if ex.INS == insVerify {
			sws = append(sws, ex.SW)
		}
	}
	return sws
}

// countTargets counts the open targets whose URL starts with prefix.
func (e *env) countTargets(prefix string) int {
	e.tb.Helper()
	ts, err := chromedp.Targets(e.browser.Context())
	if err != nil {
		e.tb.Fatal(err)
	}
	n := 0
	for _, t := range ts {
		if t.Type == "page" && strings.HasPrefix(t.URL, prefix) {
			n++
		}
	}
	return n
}

// b64 is base64 of n random bytes.
func b64(n int) string { return base64.StdEncoding.EncodeToString(randomBytes(n)) }

// plusSlashNonce is a 32-byte nonce whose base64 has '+' and '/' in it.
func plusSlashNonce() string {
	for {
		s := b64(32)
		if strings.ContainsAny(s, "+/") {
			return s
		}
	}
}

// containsPIN reports whether any VERIFY status word is not a retry-counter
// answer (63Cx): such a VERIFY carried a PIN.
func containsPIN(sws []uint16) bool {
	for _, sw := range sws {
		if sw&0xFFF0 != 0x63C0 {
			return true
		}
	}
	return false
}
