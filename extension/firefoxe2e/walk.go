//go:build unix

package firefoxe2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Firefox is Debian's firefox-esr binary. /usr/bin/firefox is a shell
// wrapper; puppeteer needs the real executable.
const Firefox = "/usr/lib/firefox-esr/firefox-esr"

// DefaultWalkTimeout bounds one run of e2e.mjs (which bounds itself at
// 150 s) when WalkConfig.Timeout is zero.
const DefaultWalkTimeout = 180 * time.Second

// ErrUnavailable is wrapped by Available's errors: a tool the walk needs
// is not installed. Tests skip on it, or fail under CI.
var ErrUnavailable = errors.New("firefoxe2e: not installed")

// Available reports whether what a walk needs is installed: Firefox, node,
// and puppeteer-core under root/extension/firefox/node_modules (root is the
// repository root). Its error says what to install, and wraps
// ErrUnavailable.
func Available(root string) error {
	if _, err := os.Stat(Firefox); err != nil {
		return fmt.Errorf("%w: Firefox: %v; install it with: apt-get install -y firefox-esr", ErrUnavailable, err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("%w: node is not installed (Node 20 or later is needed)", ErrUnavailable)
	}
	mod := filepath.Join(root, "extension", "firefox", "node_modules", "puppeteer-core", "package.json")
	if _, err := os.Stat(mod); err != nil {
		return fmt.Errorf("%w: puppeteer-core is not installed: run PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix extension/firefox (%v)", ErrUnavailable, err)
	}
	return nil
}

// WalkConfig says what to walk, and where. Everything around the walk is
// the caller's: pcscd with a card in a reader, the demo site, and a HOME
// in which the host is registered for Firefox.
type WalkConfig struct {
	// Root is the repository root, holding extension/firefox/e2e.mjs and
	// its node_modules.
	Root string
	// Extension is the unpacked Firefox build of the extension.
	Extension string
	// Home is Firefox's $HOME: it looks for the host manifest in
	// Home/.mozilla/native-messaging-hosts.
	Home string
	// Site is the test-sign site's URL (http://127.0.0.1:<port>/).
	Site string
	// Scenario is "happy" (approve and type the PIN) or "cancel".
	Scenario string
	// PIN is the card's authentication PIN; empty means e2e.mjs's default.
	PIN string
	// Screenshots is a folder for the walk's screenshots; empty takes none.
	Screenshots string
	// TempDir is TMPDIR for node, puppeteer and Firefox (its profile goes
	// there). Empty keeps the environment's.
	TempDir string
	// Timeout bounds the walk; zero means DefaultWalkTimeout.
	Timeout time.Duration
}

// Outcome is the JSON line e2e.mjs prints, and what Walk saw of the run.
type Outcome struct {
	OK       bool             `json:"ok"`
	Scenario string           `json:"scenario"`
	Status   string           `json:"status"` // the site's: verified, failed or rejected
	Reason   string           `json:"reason"`
	Code     string           `json:"code"`
	Text     string           `json:"text"`
	Shots    []string         `json:"shots"`
	Steps    map[string]int64 `json:"steps"` // milliseconds per step, and total
	Error    string           `json:"error"`

	// Elapsed is how long the run of e2e.mjs took.
	Elapsed time.Duration `json:"-"`
	// Stderr is e2e.mjs's progress and Firefox's own output. (The host's
	// stderr goes to Firefox's browser console, not here.)
	Stderr []byte `json:"-"`
}

// Walk runs extension/firefox/e2e.mjs: Firefox (headless, driven by
// puppeteer-core over WebDriver BiDi) with the extension installed as a
// temporary add-on opens the site, presses #login and walks the consent
// window as the scenario says. It returns the outcome, and an error unless
// the scenario ended as it should (a verified login, or USER_REJECTED for
// "cancel"). node, Firefox and the host run in a process group of their
// own, and nothing of it outlives Walk.
func Walk(ctx context.Context, c WalkConfig) (Outcome, error) {
	if c.Timeout == 0 {
		c.Timeout = DefaultWalkTimeout
	}
	if c.Root == "" || c.Extension == "" || c.Home == "" || c.Site == "" || c.Scenario == "" {
		return Outcome{}, errors.New("firefoxe2e: WalkConfig needs Root, Extension, Home, Site and Scenario")
	}
	dir := filepath.Join(c.Root, "extension", "firefox")
	wctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	cmd := exec.CommandContext(wctx, "node", filepath.Join(dir, "e2e.mjs"))
	cmd.Dir = dir
	env := append(os.Environ(),
		"HOME="+c.Home,
		"MYNACONNECT_SITE="+c.Site,
		"MYNACONNECT_EXTENSION="+c.Extension,
		"MYNACONNECT_SCENARIO="+c.Scenario,
		"MYNACONNECT_SCREENSHOTS="+c.Screenshots,
		"MYNACONNECT_FIREFOX="+Firefox,
	)
	if c.PIN != "" {
		env = append(env, "MYNACONNECT_PIN="+c.PIN)
	}
	if c.TempDir != "" {
		env = append(env, "TMPDIR="+c.TempDir)
	}
	cmd.Env = env
	// node, Firefox and the host form one process group: a walk that
	// overruns is stopped whole, leaving no browser behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	runErr := cmd.Run()
	if cmd.Process != nil {
		reap(-cmd.Process.Pid)
	}

	var out Outcome
	line := lastLine(stdout.Bytes())
	jsonErr := json.Unmarshal(line, &out)
	out.Elapsed = time.Since(start)
	out.Stderr = stderr.Bytes()
	if jsonErr != nil {
		return out, fmt.Errorf("firefoxe2e: e2e.mjs printed no outcome (%v, exit: %v)\nstdout:\n%s\nstderr:\n%s", jsonErr, runErr, stdout.Bytes(), stderr.Bytes())
	}
	if runErr != nil || !out.OK {
		var exit *exec.ExitError
		if errors.As(runErr, &exit) || runErr == nil {
			return out, fmt.Errorf("firefoxe2e: the %s walk failed (exit: %v): %s\nsite: %s %s %s %q\nstderr:\n%s",
				c.Scenario, runErr, out.Error, out.Status, out.Reason, out.Code, out.Text, stderr.Bytes())
		}
		return out, fmt.Errorf("firefoxe2e: running e2e.mjs: %v\nstderr:\n%s", runErr, stderr.Bytes())
	}
	return out, nil
}

// CheckShots checks that the walk took the screenshots want names, in that
// order ("site", "consent-sheet", ...), each a PNG file.
func CheckShots(out Outcome, want ...string) error {
	if len(out.Shots) != len(want) {
		return fmt.Errorf("screenshots %v, want %d: %v", out.Shots, len(want), want)
	}
	var errs []error
	for i, s := range out.Shots {
		if !strings.HasSuffix(s, "-"+want[i]+".png") {
			errs = append(errs, fmt.Errorf("screenshot %d is %s, want one of %q", i+1, s, want[i]))
		}
		b, err := os.ReadFile(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			errs = append(errs, fmt.Errorf("%s is not a PNG", s))
		}
	}
	return errors.Join(errs...)
}

// reap gives what is left of the process group pgid (Firefox's content
// processes, the host finishing its card session after stdin closed) a few
// seconds to exit, then kills it: nothing the walk started may outlive it.
func reap(pgid int) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(pgid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = syscall.Kill(pgid, syscall.SIGKILL)
}

func lastLine(b []byte) []byte {
	var last []byte
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 {
			last = append([]byte(nil), l...)
		}
	}
	return last
}
