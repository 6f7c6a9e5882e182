// Package chromium starts Chromium with an unpacked MynaConnect extension
// and the native messaging host registered in a throwaway profile, and drives
// it with chromedp. The browser tests and the demo use it; it is not part of
// what MynaConnect installs.
//
// Start writes the host manifest into the profile
// (<profile>/NativeMessagingHosts/<manifesttemplates.HostName>.json), so a
// test never touches the user's browsers or /etc, unless
// Options.ExternalHost leaves the registration to an installer; and it
// checks that Chromium gave the extension the id the manifest allows
// (manifesttemplates.DevelopmentExtensionID()). The Browser then opens tabs (NewPage),
// finds windows the extension opens itself (WaitForTarget, ServiceWorker),
// and the package-level helpers Eval, WaitTrue and Click act in them.
//
// The helpers poll with Runtime.evaluate from Go instead of chromedp.Poll:
// Poll runs its function in an isolated world, where the page's
// window.ethereum (set by a MAIN-world content script) does not exist.
package chromium

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// ErrNoChromium is returned by FindExec and Start when no Chromium binary is
// found. Tests skip on it outside CI and fail on it in CI.
var ErrNoChromium = errors.New("chromium: no Chromium binary found (install it with: apt-get install -y chromium)")

// DefaultWindowSize is the window size when Options.WindowSize is zero: wide
// enough for the consent sheet and the test page side by side in screenshots.
var DefaultWindowSize = [2]int{1280, 1000}

// startTimeout caps how long Start waits for the browser and the extension's
// service worker when the caller's context has no earlier deadline. A cold
// start on the 2-core test machines takes about a second.
const startTimeout = 30 * time.Second

// Options say how to start the browser.
type Options struct {
	// Extension is the unpacked extension directory (holding manifest.json).
	// Required. Its manifest must carry "key": manifesttemplates.ExtensionKey,
	// or Start fails: the host manifest allows only that id.
	Extension string

	// HostPath is the absolute path of the mynaconnect-host binary to
	// register in the profile. Empty registers no host (and removes one an
	// earlier run left in ProfileDir), to test the "host missing" path,
	// unless ExternalHost is set.
	HostPath string

	// ExternalHost says the host is registered by someone else, for
	// example mynaconnect-install --user-data-dir ProfileDir: Start
	// neither writes nor removes the profile's host manifest
	// (<ProfileDir>/NativeMessagingHosts), and Chromium finds whatever is
	// installed there or system-wide. HostPath must then be empty.
	ExternalHost bool

	// Headless runs Chromium with --headless=new. Otherwise it needs a
	// display (DISPLAY or WAYLAND_DISPLAY).
	Headless bool

	// ProfileDir is the user data directory. Empty means a temporary one
	// that Close removes. A given directory is kept.
	ProfileDir string

	// Exec is the Chromium binary. Empty means FindExec().
	Exec string

	// Stderr receives Chromium's standard output and error, and so also the
	// native host's standard error (the host inherits Chromium's). Nil
	// discards them.
	Stderr io.Writer

	// WindowSize is the window's width and height in pixels; zero means
	// DefaultWindowSize.
	WindowSize [2]int

	// ExtraFlags are more command line flags, each "--name" or
	// "--name=value", for example "--enable-logging=stderr".
	ExtraFlags []string

	// Env are more environment variables, each "NAME=value", for Chromium
	// and so for the native host it starts: MYNACONNECT_CHAINS points the
	// host at a dev chain's configuration.
	Env []string
}

// A Browser is a running Chromium. Close it.
type Browser struct {
	ctx         context.Context // chromedp's browser context: the root of every tab
	cancel      context.CancelFunc
	allocCancel context.CancelFunc

	scratch     string // temporary directory Close removes: profile (unless given) and TMPDIR
	profile     string
	extensionID string

	closeOnce sync.Once
	closeErr  error
}

// FindExec returns the Chromium binary to use. Debian's /usr/bin/chromium is a
// shell wrapper that adds flags from /etc/chromium.d (among them an empty
// --load-extension=), so the real binary behind it comes first.
func FindExec() (string, error) {
	for _, p := range []string{
		"/usr/lib/chromium/chromium",
		"/usr/lib/chromium-browser/chromium-browser",
	} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// Start starts Chromium as o says, waits for the extension's service worker
// and checks the extension's id. ctx bounds the start only; the browser runs
// until Close.
func Start(ctx context.Context, o Options) (_ *Browser, err error) {
	if o.Extension == "" {
		return nil, errors.New("chromium: Options.Extension is empty")
	}
	ext, err := filepath.Abs(o.Extension)
	if err != nil {
		return nil, fmt.Errorf("chromium: extension directory: %w", err)
	}
	if _, err := os.Stat(filepath.Join(ext, "manifest.json")); err != nil {
		return nil, fmt.Errorf("chromium: %s is not an unpacked extension: %w", ext, err)
	}
	if o.ExternalHost && o.HostPath != "" {
		return nil, fmt.Errorf("chromium: Options.ExternalHost leaves the host to someone else, but HostPath names %s: set one or the other", o.HostPath)
	}
	if o.HostPath != "" && !filepath.IsAbs(o.HostPath) {
		return nil, fmt.Errorf("chromium: host path %q is not absolute; Chromium requires an absolute path", o.HostPath)
	}
	execPath := o.Exec
	if execPath == "" {
		if execPath, err = FindExec(); err != nil {
			return nil, err
		}
	}
	if !o.Headless && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" && needsDisplayEnv() {
		return nil, errors.New("chromium: a visible window needs a display, but DISPLAY and WAYLAND_DISPLAY are not set: set Options.Headless or start one (xvfb-run)")
	}
	size := o.WindowSize
	if size[0] <= 0 || size[1] <= 0 {
		size = DefaultWindowSize
	}

	b := &Browser{}
	if b.scratch, err = os.MkdirTemp("", "mynaconnect-chromium-"); err != nil {
		return nil, fmt.Errorf("chromium: %w", err)
	}
	defer func() {
		if err != nil {
			b.Close()
		}
	}()
	b.profile = o.ProfileDir
	if b.profile == "" {
		b.profile = filepath.Join(b.scratch, "profile")
	}
	if b.profile, err = filepath.Abs(b.profile); err != nil {
		return nil, fmt.Errorf("chromium: profile directory: %w", err)
	}
	if !o.ExternalHost {
		if err := registerHost(b.profile, o.HostPath); err != nil {
			return nil, err
		}
	}
	// Chromium puts its process-singleton socket directory
	// (org.chromium.Chromium.<random>) and, with --disable-dev-shm-usage, its
	// shared memory files in $TMPDIR, and a killed browser leaves them
	// behind. A TMPDIR of our own is removed with the scratch directory.
	tmp := filepath.Join(b.scratch, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("chromium: %w", err)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.UserDataDir(b.profile),
		chromedp.Env(append([]string{"TMPDIR=" + tmp}, o.Env...)...),
		chromedp.CombinedOutput(o.Stderr),
	}
	for _, f := range flags(ext, o.Headless, size) {
		opts = append(opts, flagOption(f))
	}
	for _, f := range o.ExtraFlags {
		opts = append(opts, flagOption(f))
	}
	// The browser lives past ctx: ctx bounds only the start (below).
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	b.allocCancel = allocCancel
	b.ctx, b.cancel = chromedp.NewContext(allocCtx, chromedp.WithErrorf(dropHarmless(log.Printf)))

	startCtx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	stop := context.AfterFunc(startCtx, b.cancel)
	defer stop()
	if _, err := chromedp.Targets(b.ctx); err != nil {
		return nil, fmt.Errorf("chromium: starting %s: %w", execPath, firstErr(startCtx.Err(), err))
	}
	info, err := b.waitTarget(startCtx, func(t *target.Info) bool {
		return t.Type == "service_worker" && strings.HasPrefix(t.URL, "chrome-extension://")
	})
	if err != nil {
		return nil, fmt.Errorf("chromium: the extension in %s did not start its service worker: %w", ext, err)
	}
	u, err := url.Parse(info.URL)
	if err != nil {
		return nil, fmt.Errorf("chromium: service worker URL %q: %w", info.URL, err)
	}
	b.extensionID = u.Host
	if want := manifesttemplates.DevelopmentExtensionID(); b.extensionID != want {
		return nil, fmt.Errorf("chromium: Chromium gave the extension the id %s, want %s: its manifest.json must have \"key\": manifesttemplates.ExtensionKey, or the host manifest does not allow it",
			b.extensionID, want)
	}
	return b, nil
}

// harmlessErrors are chromedp's error messages (format strings) that say
// nothing is wrong. chromedp reports "received DOM.documentUpdated when
// there's no top-level frame" whenever it attaches to a window the
// extension opened (the consent window, the onboarding tab) before that
// window's frame tree reached it; the target works all the same.
var harmlessErrors = map[string]bool{
	"received DOM.documentUpdated when there's no top-level frame": true,
}

// dropHarmless returns chromedp's error logger: next, as chromedp's
// default ("ERROR: " and the message, through log.Printf), except for the
// messages in harmlessErrors.
func dropHarmless(next func(string, ...any)) func(string, ...any) {
	return func(format string, args ...any) {
		if harmlessErrors[format] {
			return
		}
		next("ERROR: "+format, args...)
	}
}

// flags are Chromium's command line, chosen instead of chromedp's defaults
// (which include --disable-extensions). They work headless, as root, on a
// machine without network: see docs/browser.md.
func flags(ext string, headless bool, size [2]int) []string {
	f := []string{
		// The sandbox needs user namespaces or a setuid helper, which
		// containers and root lack; the browser loads only local test pages.
		"--no-sandbox",
		"--no-first-run",
		"--no-default-browser-check",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		"--disable-quic",
		"--disable-default-apps",
		"--disable-gpu",
		"--disable-dev-shm-usage",
		// A consent window in the background must keep running its timers
		// and rendering, or a test waits forever.
		"--disable-background-timer-throttling",
		"--disable-backgrounding-occluded-windows",
		"--disable-renderer-backgrounding",
		"--password-store=basic",
		"--use-mock-keychain",
		"--disable-extensions-except=" + ext,
		"--load-extension=" + ext,
		fmt.Sprintf("--window-size=%d,%d", size[0], size[1]),
	}
	if headless {
		f = append(f, "--headless=new", "--hide-scrollbars", "--mute-audio")
	}
	return f
}

// flagOption turns "--name=value" or "--name" into a chromedp flag.
func flagOption(f string) chromedp.ExecAllocatorOption {
	name, value, ok := strings.Cut(strings.TrimPrefix(f, "--"), "=")
	if !ok {
		return chromedp.Flag(name, true)
	}
	return chromedp.Flag(name, value)
}

// registerHost writes the Chrome-family host manifest for hostPath into the
// profile, where Chromium looks first; an empty hostPath removes it.
func registerHost(profile, hostPath string) error {
	dir := filepath.Join(profile, "NativeMessagingHosts")
	file := filepath.Join(dir, manifesttemplates.HostName+".json")
	if hostPath == "" {
		if err := os.Remove(file); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("chromium: removing the host manifest: %w", err)
		}
		return nil
	}
	m, err := manifesttemplates.ChromeHost(hostPath, manifesttemplates.DevelopmentExtensionID())
	if err != nil {
		return fmt.Errorf("chromium: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("chromium: %w", err)
	}
	if err := os.WriteFile(file, m, 0o644); err != nil {
		return fmt.Errorf("chromium: writing the host manifest: %w", err)
	}
	return nil
}

// ExtensionID returns the id Chromium gave the extension; Start has checked
// that it is manifesttemplates.DevelopmentExtensionID().
func (b *Browser) ExtensionID() string { return b.extensionID }

// ExtensionURL returns the URL of path inside the extension, for example
// ExtensionURL("consent.html").
func (b *Browser) ExtensionURL(path string) string {
	return "chrome-extension://" + b.extensionID + "/" + strings.TrimPrefix(path, "/")
}

// ProfileDir returns the user data directory.
func (b *Browser) ProfileDir() string { return b.profile }

// Context returns chromedp's context of the browser, for chromedp calls
// this package does not wrap (chromedp.Targets, a chromedp.NewContext of
// one's own). Cancelling it is Close's job.
func (b *Browser) Context() context.Context { return b.ctx }

// Close closes the browser (gracefully for up to 5 s, then by killing it and
// every process still using its profile), and removes the temporary profile
// and the browser's TMPDIR. It is safe to call more than once.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		if b.ctx != nil {
			ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
			// A browser that is already gone reports an error here that
			// says nothing useful: the kill below is what counts.
			chromedp.Cancel(ctx)
			cancel()
			b.cancel()
			b.allocCancel() // kills the process if it is still there, and waits for it
			killLeftovers(b.profile)
		}
		if b.scratch != "" {
			b.closeErr = removeAllRetry(b.scratch)
		}
	})
	return b.closeErr
}

// removeAllRetry removes dir, retrying briefly: a child process killed a
// moment ago can still be writing into it.
func removeAllRetry(dir string) error {
	var err error
	for range 20 {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("chromium: removing %s: %w", dir, err)
}

// waitTarget polls the browser's target list until match accepts one. It
// polls rather than listening for targetCreated because windows the
// extension's service worker opens are not announced to a page's session
// (chromedp.WaitNewTarget misses them).
func (b *Browser) waitTarget(ctx context.Context, match func(*target.Info) bool) (*target.Info, error) {
	c := chromedp.FromContext(b.ctx)
	if c == nil || c.Browser == nil {
		return nil, errors.New("chromium: browser not started")
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var seen []string
	for {
		res, err := cdp.Call(ctx, c.Browser, target.GetTargets, target.GetTargetsParams{})
		if err != nil {
			return nil, fmt.Errorf("listing targets: %w", firstErr(ctx.Err(), err))
		}
		seen = seen[:0]
		for _, t := range res.TargetInfos {
			if match(t) {
				return t, nil
			}
			seen = append(seen, string(t.Type)+" "+t.URL)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w; targets open: %s", ctx.Err(), strings.Join(seen, ", "))
		case <-tick.C:
		}
	}
}

// firstErr returns the first non-nil error: the context's error explains a
// failed call better than the call's own "context canceled".
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
