package chromium_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/citest"

	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// The test extension's service worker offers two functions to the test,
// which calls them with Eval: hello() opens a native port, sends the host
// protocol's hello and resolves with the answer or the port's error;
// openWindow() opens an extension window the way the consent window is
// opened, and the window reports its button's click back to the worker.
const testWorker = `
self.clicked = false;
self.hello = () => new Promise((resolve) => {
  const port = chrome.runtime.connectNative(%q);
  // The answer to hello, not an event the host may push beside it (readersChanged).
  port.onMessage.addListener((m) => { if (m.id === 1) { resolve({answer: m}); port.disconnect(); } });
  port.onDisconnect.addListener(() => resolve({
    error: chrome.runtime.lastError ? chrome.runtime.lastError.message : 'disconnected',
  }));
  port.postMessage({id: 1, method: 'hello', params: {protocol: 1, extensionVersion: '0.0.0'}});
});
self.openWindow = () => chrome.windows.create({url: 'window.html', type: 'popup', width: 400, height: 300})
  .then(() => true);
chrome.runtime.onMessage.addListener((m) => { if (m === 'clicked') self.clicked = true; });
`

const testWindowHTML = `<!doctype html><title>test window</title>
<button id="close" style="width:200px;height:80px">close</button>
<script src="window.js"></script>`

// The button closes its own window, as the consent window's buttons do.
const testWindowJS = `document.getElementById('close').addEventListener('click', async () => {
  await chrome.runtime.sendMessage('clicked');
  window.close();
});`

// testExtension writes an unpacked MV3 extension into a temporary directory.
// withKey false leaves the manifest's "key" out, so Chromium derives another
// id from the directory's path.
func testExtension(t *testing.T, withKey bool) string {
	t.Helper()
	dir := t.TempDir()
	manifest := map[string]any{
		"manifest_version": 3,
		"name":             "MynaConnect chromium package test",
		"version":          "0.0.0",
		"permissions":      []string{"nativeMessaging"},
		"background":       map[string]any{"service_worker": "worker.js"},
	}
	if withKey {
		manifest["key"] = manifesttemplates.ExtensionKey
	}
	m, err := json.Marshal(manifest)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"manifest.json": string(m),
		"worker.js":     fmt.Sprintf(testWorker, manifesttemplates.HostName),
		"window.html":   testWindowHTML,
		"window.js":     testWindowJS,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var hostBinary = struct {
	once sync.Once
	dir  string
	path string
	err  error
}{}

// buildHost builds the real mynaconnect-host once for the test binary.
func buildHost(t *testing.T) string {
	t.Helper()
	hostBinary.once.Do(func() {
		hostBinary.dir, hostBinary.err = os.MkdirTemp("", "mynaconnect-chromium-test-")
		if hostBinary.err != nil {
			return
		}
		hostBinary.path = filepath.Join(hostBinary.dir, "mynaconnect-host")
		out, err := exec.Command("go", "build", "-o", hostBinary.path,
			"github.com/mynaconnect/mynaconnect/host/cmd/mynaconnect-host").CombinedOutput()
		if err != nil {
			hostBinary.err = fmt.Errorf("go build mynaconnect-host: %v\n%s", err, out)
		}
	})
	if hostBinary.err != nil {
		t.Fatal(hostBinary.err)
	}
	return hostBinary.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if hostBinary.dir != "" {
		os.RemoveAll(hostBinary.dir)
	}
	os.Exit(code)
}

// start starts Chromium and closes it at the end of the test. Without
// Chromium it skips, except under CI, where a browser test must not pass
// by not running.
func start(t *testing.T, o chromium.Options) *chromium.Browser {
	t.Helper()
	o.Headless = true
	var stderr chromium.Output
	o.Stderr = &stderr
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := chromium.Start(ctx, o)
	if errors.Is(err, chromium.ErrNoChromium) {
		citest.Unavailable(t, "%v", err)
	}
	if err != nil {
		t.Fatalf("Start: %v\nChromium's output:\n%s", err, stderr.String())
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			t.Logf("Chromium's output:\n%s", stderr.String())
		}
	})
	return b
}

type helloOutcome struct {
	Answer *struct {
		ID     int `json:"id"`
		Result struct {
			Protocol    int    `json:"protocol"`
			HostVersion string `json:"hostVersion"`
		} `json:"result"`
	} `json:"answer"`
	Error string `json:"error"`
}

func hello(t *testing.T, b *chromium.Browser) helloOutcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sw, done, err := b.ServiceWorker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	// The worker is listed as soon as it starts, possibly before its
	// script has defined hello.
	if err := chromium.WaitTrue(sw, `typeof self.hello === 'function'`, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	out, err := chromium.Eval[helloOutcome](sw, "self.hello()")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExtensionGetsTheFixedIDAndReachesTheRegisteredHost(t *testing.T) {
	b := start(t, chromium.Options{Extension: testExtension(t, true), HostPath: buildHost(t)})

	if got, want := b.ExtensionID(), manifesttemplates.DevelopmentExtensionID(); got != want {
		t.Fatalf("ExtensionID() = %s, want %s", got, want)
	}
	out := hello(t, b)
	if out.Answer == nil {
		t.Fatalf("connectNative failed: %q", out.Error)
	}
	if out.Answer.ID != 1 || out.Answer.Result.Protocol != 1 || out.Answer.Result.HostVersion == "" {
		t.Fatalf("hello answered %+v", *out.Answer)
	}

	// Close leaves nothing behind: not the temporary profile (nor the
	// TMPDIR beside it, where Chromium's org.chromium.Chromium.* go), not
	// the host process.
	scratch := filepath.Dir(b.ProfileDir())
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(scratch); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after Close, %s: %v; want it removed", scratch, err)
	}
	if pids := processesOf(buildHost(t)); len(pids) > 0 {
		t.Errorf("after Close, the host still runs as %v", pids)
	}
}

func TestStartRefusesAnExtensionWithoutTheKey(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := chromium.Start(ctx, chromium.Options{Extension: testExtension(t, false), Headless: true})
	if errors.Is(err, chromium.ErrNoChromium) {
		citest.Unavailable(t, "%v", err)
	}
	if err == nil {
		b.Close()
		t.Fatal("Start accepted an extension whose id the host manifest does not allow")
	}
	if !strings.Contains(err.Error(), manifesttemplates.DevelopmentExtensionID()) {
		t.Fatalf("Start: %v; want an error naming the expected id", err)
	}
}

// TestExternalHostIsLeftAlone starts Chromium on a profile whose host
// manifest someone else wrote (as mynaconnect-install --user-data-dir
// does): Start leaves it as it is, and the extension reaches the host it
// names. A manifest naming a binary that is gone fails as Chromium says.
func TestExternalHostIsLeftAlone(t *testing.T) {
	ext := testExtension(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := chromium.Start(ctx, chromium.Options{Extension: ext, ExternalHost: true, HostPath: buildHost(t), Headless: true}); err == nil ||
		!strings.Contains(err.Error(), "ExternalHost") {
		t.Fatalf("Start with ExternalHost and a HostPath: %v, want a refusal", err)
	}

	profile := t.TempDir()
	file := filepath.Join(profile, "NativeMessagingHosts", manifesttemplates.HostName+".json")
	register := func(hostPath string) []byte {
		m, err := manifesttemplates.ChromeHost(hostPath, manifesttemplates.DevelopmentExtensionID())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, m, 0o600); err != nil {
			t.Fatal(err)
		}
		return m
	}
	check := func(t *testing.T, want []byte) {
		t.Helper()
		got, err := os.ReadFile(file)
		if err != nil || string(got) != string(want) {
			t.Errorf("the profile's host manifest is now %q (%v), want it untouched: %q", got, err, want)
		}
		if fi, err := os.Stat(file); err == nil && fi.Mode().Perm() != 0o600 {
			t.Errorf("the manifest's mode is now %v", fi.Mode())
		}
	}

	t.Run("registered host", func(t *testing.T) {
		want := register(buildHost(t))
		b := start(t, chromium.Options{Extension: ext, ProfileDir: profile, ExternalHost: true})
		check(t, want)
		if out := hello(t, b); out.Answer == nil || out.Answer.Result.Protocol != 1 {
			t.Errorf("hello through the manifest someone else wrote: %+v", out)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		check(t, want)
	})
	t.Run("registered host binary gone", func(t *testing.T) {
		want := register(filepath.Join(t.TempDir(), "gone", "mynaconnect-host"))
		b := start(t, chromium.Options{Extension: ext, ProfileDir: profile, ExternalHost: true})
		out := hello(t, b)
		// Chromium says the same as for no manifest at all, so the
		// onboarding page (extension/src/onboarding.js) offers both causes.
		if out.Answer != nil || out.Error != "Specified native messaging host not found." {
			t.Errorf("hello with the host binary gone = %+v, want the error \"Specified native messaging host not found.\"", out)
		}
		check(t, want)
	})
}

// One browser with no host registered: connectNative fails as it does for
// a person who has not installed the host, and the page helpers work (a tab,
// a click, a wait, a screenshot, and a window the service worker opens that
// closes itself when clicked).
func TestWithoutAHost(t *testing.T) {
	b := start(t, chromium.Options{Extension: testExtension(t, true)})

	t.Run("connectNative reports the host missing", func(t *testing.T) {
		out := hello(t, b)
		if out.Answer != nil || out.Error != "Specified native messaging host not found." {
			t.Fatalf("hello with no host registered = %+v, want the error \"Specified native messaging host not found.\"", out)
		}
	})

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>helpers</title>
<button id="go" style="width:200px;height:80px">go</button><p id="out"></p>
<script>
document.getElementById('go').addEventListener('click', (e) => {
  setTimeout(() => { document.getElementById('out').textContent = e.isTrusted ? 'trusted' : 'synthetic'; }, 200);
});
</script>`)
	}))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	t.Run("page helpers", func(t *testing.T) {
		tab, closeTab, err := b.NewPage(ctx, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer closeTab()
		if title, err := chromium.Eval[string](tab, "document.title"); err != nil || title != "helpers" {
			t.Fatalf("title = %q, %v", title, err)
		}
		if err := chromium.WaitTrue(tab, "document.getElementById('out').textContent", 300*time.Millisecond); err == nil {
			t.Fatal("WaitTrue returned before the click")
		}
		if err := chromium.Click(tab, "#go"); err != nil {
			t.Fatal(err)
		}
		if err := chromium.WaitTrue(tab, "document.getElementById('out').textContent === 'trusted'", 5*time.Second); err != nil {
			t.Fatal(err)
		}
		shot := filepath.Join(t.TempDir(), "shots", "page.png")
		if err := b.Screenshot(tab, shot); err != nil {
			t.Fatal(err)
		}
		png, err := os.ReadFile(shot)
		if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
			t.Fatalf("screenshot: %d bytes, %v", len(png), err)
		}
	})

	t.Run("window opened by the service worker", func(t *testing.T) {
		sw, done, err := b.ServiceWorker(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer done()
		if err := chromium.WaitTrue(sw, `typeof self.openWindow === 'function'`, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		if _, err := chromium.Eval[bool](sw, "self.openWindow()"); err != nil {
			t.Fatal(err)
		}
		win, detach, err := b.WaitForTarget(ctx, b.ExtensionURL("window.html"))
		if err != nil {
			t.Fatal(err)
		}
		defer detach()
		if err := chromium.WaitTrue(win, "document.readyState === 'complete'", 5*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := chromium.Click(win, "#close"); err != nil {
			t.Fatalf("a click that closes its window: %v", err)
		}
		if err := chromium.WaitTrue(sw, "self.clicked", 5*time.Second); err != nil {
			t.Fatal(err)
		}
	})
}
