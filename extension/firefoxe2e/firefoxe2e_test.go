//go:build unix

package firefoxe2e

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	"github.com/mynaconnect/mynaconnect/host/testbed/citest"

	"github.com/mynaconnect/mynaconnect/extension/build"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// shared holds what every test of the process uses: built once, removed
// by TestMain.
var shared struct {
	once      sync.Once
	err       error
	dir       string // scratch directory for both builds
	root      string // the repository root
	host      string // the mynaconnect-host binary
	extension string // the unpacked Firefox extension
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// requireTools checks for Firefox, node and the installed node modules.
func requireTools(t *testing.T, root string) {
	t.Helper()
	if err := Available(root); err != nil {
		citest.Unavailable(t, "%v", err)
	}
}

// prepare builds the host and the Firefox extension, once per process.
func prepare(t *testing.T) {
	t.Helper()
	root := buildtest.RepoRoot(t)
	requireTools(t, root)
	shared.once.Do(func() {
		shared.root = root
		shared.dir, shared.err = os.MkdirTemp("", "mynaconnect-firefoxe2e-")
		if shared.err != nil {
			return
		}
		shared.host = filepath.Join(shared.dir, "mynaconnect-host")
		cmd := exec.Command("go", "build", "-o", shared.host, "./host/cmd/mynaconnect-host")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			shared.err = fmt.Errorf("go build mynaconnect-host: %v\n%s", err, out)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		r, err := build.Build(ctx, build.Options{Root: root, Out: shared.dir, Browser: manifesttemplates.Firefox})
		if err != nil {
			shared.err = fmt.Errorf("building the Firefox extension: %w", err)
			return
		}
		shared.extension = r.Dir
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
}

// walk sets up the card, the site and a HOME with the host registered for
// Firefox, runs the scenario in Firefox and returns its outcome.
func walk(t *testing.T, scenario string) Outcome {
	t.Helper()
	prepare(t)

	daemon := pcsctest.StartDaemon(t)
	vcardtest.Plug(t, daemon.VPCDAddr(0), vcardtest.NewCard(t, nil))

	pki, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	site, err := demoserver.Start(ctx, "127.0.0.1:0", demoserver.Config{TrustAnchors: []*x509.Certificate{pki.AuthCA.Cert}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Close() })

	// Firefox looks for host manifests in $HOME/.mozilla/native-messaging-hosts.
	home := t.TempDir()
	manifest, err := manifesttemplates.FirefoxHost(shared.host, manifesttemplates.GeckoID)
	if err != nil {
		t.Fatal(err)
	}
	hosts := filepath.Join(home, ".mozilla", "native-messaging-hosts")
	if err := os.MkdirAll(hosts, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(hosts, manifesttemplates.HostName+".json"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}

	out, err := Walk(context.Background(), WalkConfig{
		Root:        shared.root,
		Extension:   shared.extension,
		Home:        home,
		Site:        site.Origin() + "/",
		Scenario:    scenario,
		PIN:         vcard.DefaultAuthPIN,
		Screenshots: screenshots(t),
		// Firefox's profile, puppeteer's scratch files and anything else
		// that goes to TMPDIR stay inside the test's own directory.
		TempDir: t.TempDir(),
	})
	t.Logf("e2e.mjs %s: %v", scenario, out.Elapsed.Round(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("steps (ms): %v", out.Steps)
	return out
}

// screenshots is $FIREFOXE2E_SCREENSHOTS/<test>, or a temporary directory.
func screenshots(t *testing.T) string {
	if dir := os.Getenv("FIREFOXE2E_SCREENSHOTS"); dir != "" {
		return filepath.Join(dir, t.Name())
	}
	return t.TempDir()
}

// checkShots checks that the walk took the screenshots it names, each a
// PNG file.
func checkShots(t *testing.T, out Outcome, want ...string) {
	t.Helper()
	if err := CheckShots(out, want...); err != nil {
		t.Error(err)
	}
}

func TestFirefoxLoginHappyPath(t *testing.T) {
	out := walk(t, "happy")
	if out.Status != "verified" {
		t.Fatalf("site status %q, want verified: %s", out.Status, out.Text)
	}
	checkShots(t, out, "site", "consent-sheet", "pin-pad", "site-result")
}

func TestFirefoxCancel(t *testing.T) {
	out := walk(t, "cancel")
	if out.Status != "rejected" || out.Reason != "USER_REJECTED" {
		t.Fatalf("site status %q reason %q, want rejected USER_REJECTED: %s", out.Status, out.Reason, out.Text)
	}
	checkShots(t, out, "site", "consent-sheet", "site-result")
}

// TestWebExtLint runs Mozilla's linter (web-ext lint, the checks AMO runs
// on upload) on the Firefox build: no errors, warnings or notices, among
// them none about unsafe HTML (innerHTML and friends).
func TestWebExtLint(t *testing.T) {
	prepare(t)
	webExt := filepath.Join(shared.root, "extension", "firefox", "node_modules", ".bin", "web-ext")
	if _, err := os.Stat(webExt); err != nil {
		citest.Unavailable(t, "web-ext is not installed: run npm ci --prefix extension/firefox (%v)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, webExt, "lint", "--source-dir", shared.extension, "--output", "json", "--warnings-as-errors", "--no-input")
	cmd.Dir = filepath.Join(shared.root, "extension", "firefox")
	// web-ext must not look for its own updates (nor write their state).
	cmd.Env = append(os.Environ(), "NO_UPDATE_NOTIFIER=1", "HOME="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, runErr := cmd.Output()
	type message struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		File    string `json:"file"`
		Line    int    `json:"line"`
	}
	var report struct {
		Count    int       `json:"count"`
		Errors   []message `json:"errors"`
		Warnings []message `json:"warnings"`
		Notices  []message `json:"notices"`
	}
	if err := json.Unmarshal(lastLine(stdout), &report); err != nil {
		t.Fatalf("web-ext lint printed no report (%v, exit: %v)\nstdout:\n%s\nstderr:\n%s", err, runErr, stdout, stderr.Bytes())
	}
	for kind, msgs := range map[string][]message{"error": report.Errors, "warning": report.Warnings, "notice": report.Notices} {
		for _, m := range msgs {
			t.Errorf("web-ext lint %s %s at %s:%d: %s", kind, m.Code, m.File, m.Line, m.Message)
		}
	}
	if runErr != nil && !t.Failed() {
		t.Errorf("web-ext lint: %v\n%s", runErr, stderr.Bytes())
	}
}
