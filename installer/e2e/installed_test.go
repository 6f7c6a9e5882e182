package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	"github.com/mynaconnect/mynaconnect/host/testbed/citest"

	"github.com/mynaconnect/mynaconnect/extension/build"
	"github.com/mynaconnect/mynaconnect/extension/firefoxe2e"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoflow"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// Where a per-user Linux install puts things, below the HOME given with
// --home (the installer's --help; --home makes it ignore $XDG_*).
const (
	installedHost  = ".local/share/mynaconnect/bin/mynaconnect-host"
	chromiumConfig = ".config/chromium/NativeMessagingHosts/" + manifesttemplates.HostName + ".json"
	firefoxConfig  = ".mozilla/native-messaging-hosts/" + manifesttemplates.HostName + ".json"
	profileHosts   = "NativeMessagingHosts/" + manifesttemplates.HostName + ".json"
)

// testTimeout bounds the whole test; a browser step that hangs is reported
// by demoflow.StepTimeout or the Firefox walk's own limit long before.
const testTimeout = 6 * time.Minute

// built is what the test installs and loads.
type built struct {
	bin       string // the directory holding mynaconnect-host and mynaconnect-install, as dist/bin does
	host      string // bin/mynaconnect-host
	installer string // bin/mynaconnect-install
	chromium  string // the unpacked Chromium extension
	firefox   string // the unpacked Firefox extension
}

// buildAll builds the host and the installer next to each other, and both
// builds of the extension.
func buildAll(t *testing.T, root string) built {
	t.Helper()
	start := time.Now()
	dir := t.TempDir()
	b := built{bin: filepath.Join(dir, "bin")}
	b.host = filepath.Join(b.bin, "mynaconnect-host")
	b.installer = filepath.Join(b.bin, "mynaconnect-install")
	cmd := exec.Command("go", "build", "-trimpath", "-o", b.bin+"/", "./host/cmd/mynaconnect-host", "./installer/cmd/mynaconnect-install")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for _, browser := range []string{manifesttemplates.Chromium, manifesttemplates.Firefox} {
		r, err := build.Build(ctx, build.Options{Root: root, Out: filepath.Join(dir, "extension"), Browser: browser})
		if err != nil {
			t.Fatalf("building the %s extension: %v", browser, err)
		}
		if browser == manifesttemplates.Chromium {
			b.chromium = r.Dir
		} else {
			b.firefox = r.Dir
		}
	}
	t.Logf("built the host, the installer and both extensions in %v", time.Since(start).Round(time.Millisecond))
	return b
}

// install runs the built installer as a person would, with a HOME of its
// own, and returns its output; a failure fails the test.
func install(t *testing.T, b built, home string, args ...string) string {
	t.Helper()
	args = append([]string{"--home", home}, args...)
	cmd := exec.Command(b.installer, args...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("mynaconnect-install %s: %v\n%s\n%s", strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Errorf("mynaconnect-install %s wrote to stderr:\n%s", strings.Join(args, " "), stderr.Bytes())
	}
	return stdout.String()
}

// entry is one path of a snapshot: its kind and permissions, and for a
// file its size, SHA-256 and modification time.
type entry struct {
	mode    fs.FileMode
	sum     string // files: size and SHA-256; symlinks: the target
	modTime time.Time
}

func (e entry) String() string {
	if e.mode.IsDir() {
		return e.mode.String()
	}
	return e.mode.String() + " " + e.sum + " " + e.modTime.Format(time.RFC3339Nano)
}

// same compares two entries, directories by kind and permissions only
// (their modification time follows their children), everything else by
// content too, and by modification time if withTimes.
func (e entry) same(o entry, withTimes bool) bool {
	if e.mode != o.mode || e.sum != o.sum {
		return false
	}
	return !withTimes || e.mode.IsDir() || e.modTime.Equal(o.modTime)
}

// snapshot is every path below some roots, keyed "<root name>/<relative path>".
type snapshot map[string]entry

func takeSnapshot(t *testing.T, roots map[string]string) snapshot {
	t.Helper()
	s := snapshot{}
	for name, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			e := entry{mode: fi.Mode(), modTime: fi.ModTime()}
			switch {
			case fi.Mode()&fs.ModeSymlink != 0:
				e.sum, _ = os.Readlink(path)
			case fi.Mode().IsRegular():
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				h := sha256.Sum256(b)
				e.sum = strconv.Itoa(len(b)) + " " + hex.EncodeToString(h[:])
			}
			s[filepath.ToSlash(filepath.Join(name, rel))] = e
			return nil
		})
		if err != nil {
			t.Fatalf("snapshot of %s: %v", root, err)
		}
	}
	return s
}

// minus lists the paths of s that o lacks, sorted.
func (s snapshot) minus(o snapshot) []string {
	var out []string
	for k := range s {
		if _, ok := o[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// changed lists the paths of both that differ, sorted.
func (s snapshot) changed(o snapshot, withTimes bool) []string {
	var out []string
	for k, e := range s {
		if oe, ok := o[k]; ok && !e.same(oe, withTimes) {
			out = append(out, fmt.Sprintf("%s: %v -> %v", k, e, oe))
		}
	}
	sort.Strings(out)
	return out
}

// hostProcess is a process seen running the installed host.
type hostProcess struct {
	pid  int
	args []string // after argv[0]
}

// hostWatch polls /proc for processes whose executable is the installed
// host: /proc/<pid>/exe names the file the kernel runs, whatever argv[0]
// says, so it tells the installed copy from any other.
type hostWatch struct {
	exe  string
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	seen map[int]hostProcess
}

func watchHosts(exe string) *hostWatch {
	w := &hostWatch{exe: exe, stop: make(chan struct{}), done: make(chan struct{}), seen: map[int]hostProcess{}}
	go func() {
		defer close(w.done)
		tick := time.NewTicker(40 * time.Millisecond)
		defer tick.Stop()
		for {
			w.scan()
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

func (w *hostWatch) scan() {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		w.mu.Lock()
		_, known := w.seen[pid]
		w.mu.Unlock()
		if known {
			continue
		}
		exe, err := os.Readlink("/proc/" + e.Name() + "/exe")
		if err != nil || exe != w.exe {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || len(cmdline) == 0 {
			// Caught inside execve: the new executable is in place, its
			// arguments not yet. The next scan reads them.
			continue
		}
		args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
		w.mu.Lock()
		w.seen[pid] = hostProcess{pid: pid, args: args[1:]}
		w.mu.Unlock()
	}
}

// Stop ends the watch and returns the processes seen, by pid.
func (w *hostWatch) Stop() []hostProcess {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []hostProcess
	for _, p := range w.seen {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pid < out[j].pid })
	return out
}

// running lists the processes running the file exe now.
func running(exe string) []int {
	w := &hostWatch{exe: exe, seen: map[int]hostProcess{}}
	w.scan()
	var pids []int
	for pid := range w.seen {
		pids = append(pids, pid)
	}
	return pids
}

// screenshotDir is $MYNACONNECT_SCREENSHOT_DIR/<test name>, or a temporary
// directory.
func screenshotDir(t *testing.T) string {
	base := os.Getenv("MYNACONNECT_SCREENSHOT_DIR")
	if base == "" {
		return t.TempDir()
	}
	dir := filepath.Join(base, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// hostLogLine is the line the host logs first: its version, pid and caller.
var hostLogLine = regexp.MustCompile(`mynaconnect-host: .*version \S+, pid (\d+), started by (.*)`)

func TestInstalledHostEndToEnd(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the real install runs the Linux paths")
	}
	root := buildtest.RepoRoot(t)
	if _, err := chromium.FindExec(); err != nil {
		citest.Unavailable(t, "%v", err)
	}
	if err := firefoxe2e.Available(root); err != nil {
		citest.Unavailable(t, "%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	b := buildAll(t, root)

	// A person's machine: a HOME with their own files in it, and the
	// Chromium profile the installer is pointed at (--user-data-dir).
	base := t.TempDir()
	home, profile := filepath.Join(base, "home"), filepath.Join(base, "profile")
	for _, d := range []string{filepath.Join(home, "Documents"), profile} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(home, "Documents", "note.txt"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	roots := map[string]string{"home": home, "profile": profile}
	beforeInstall := takeSnapshot(t, roots)

	hostPath := filepath.Join(home, installedHost)
	// The browsers load the unpacked build from this repository, as a
	// developer's do: its id is allowed only when asked.
	args := []string{"--browser", "chromium", "--browser", "firefox", "--user-data-dir", profile, "--development-extension"}
	var installed snapshot
	var added []string

	ok := t.Run("install", func(t *testing.T) {
		start := time.Now()
		out := install(t, b, home, args...)
		t.Logf("mynaconnect-install: %v\n%s", time.Since(start).Round(time.Millisecond), out)
		if !strings.Contains(out, "Host: "+hostPath+"\n") {
			t.Errorf("the installer does not name %s as the host:\n%s", hostPath, out)
		}
		installed = takeSnapshot(t, roots)
		added = installed.minus(beforeInstall)
		if ch := beforeInstall.changed(installed, true); len(ch) > 0 {
			t.Errorf("the install changed what was there: %v", ch)
		}
		t.Logf("the install added %d paths: %v", len(added), added)

		// The installed host is the built one, runnable.
		want, err := os.ReadFile(b.host)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(hostPath)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("installed host %s: %d bytes (%v), want a copy of %s", hostPath, len(got), err, b.host)
		}
		if fi, err := os.Stat(hostPath); err != nil || fi.Mode().Perm()&0o111 == 0 {
			t.Errorf("installed host %s is not executable: %v %v", hostPath, fi.Mode(), err)
		}

		// Exactly these manifests, each naming the installed host and
		// allowing the extension.
		manifests := map[string]bool{ // path -> Firefox
			"home/" + chromiumConfig:  false,
			"home/" + firefoxConfig:   true,
			"profile/" + profileHosts: false,
		}
		var found []string
		for k := range installed {
			if strings.HasSuffix(k, "/"+manifesttemplates.HostName+".json") {
				found = append(found, k)
			}
		}
		sort.Strings(found)
		if want := slices.Sorted(maps.Keys(manifests)); !slices.Equal(found, want) {
			t.Errorf("manifests %v, want %v", found, want)
		}
		for rel, firefox := range manifests {
			path := filepath.Join(base, filepath.FromSlash(rel))
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Error(err)
				continue
			}
			m, err := manifesttemplates.ParseHost(raw)
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				continue
			}
			if m.Path != hostPath {
				t.Errorf("%s names %s, want the installed host %s (not the build directory %s)", rel, m.Path, hostPath, b.bin)
			}
			if firefox && !m.AllowsFirefoxAddon(manifesttemplates.GeckoID) {
				t.Errorf("%s does not allow the add-on %s: %v", rel, manifesttemplates.GeckoID, m.AllowedExtensions)
			}
			if !firefox && !m.AllowsChromeExtension(manifesttemplates.DevelopmentExtensionID()) {
				t.Errorf("%s does not allow the extension %s: %v", rel, manifesttemplates.DevelopmentExtensionID(), m.AllowedOrigins)
			}
		}
	})
	if !ok {
		return
	}

	ok = t.Run("second install is a no-op", func(t *testing.T) {
		out := install(t, b, home, args...)
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "created") || strings.HasPrefix(line, "replaced") || strings.HasPrefix(line, "removed") {
				t.Errorf("the second install did something: %s", line)
			}
		}
		if !regexp.MustCompile(`(?m)^Done: \d+ unchanged\.$`).MatchString(out) {
			t.Errorf("the second install does not say everything was unchanged:\n%s", out)
		}
		again := takeSnapshot(t, roots)
		if d := again.minus(installed); len(d) > 0 {
			t.Errorf("the second install added %v", d)
		}
		if d := installed.minus(again); len(d) > 0 {
			t.Errorf("the second install removed %v", d)
		}
		if ch := installed.changed(again, true); len(ch) > 0 {
			t.Errorf("the second install rewrote %v", ch)
		}
	})
	if !ok {
		return
	}

	// From here on only the installed copy of the host exists: a browser
	// that ran any other could not have logged in.
	if err := os.Remove(b.host); err != nil {
		t.Fatal(err)
	}

	daemon := pcsctest.StartDaemon(t)
	card := vcardtest.NewCard(t, nil)
	vcardtest.Plug(t, daemon.VPCDAddr(0), card)
	pki, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	site, err := demoserver.Start(ctx, "127.0.0.1:0", demoserver.Config{TrustAnchors: []*x509.Certificate{pki.AuthCA.Cert}})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()

	ok = t.Run("Chromium with the installed profile", func(t *testing.T) {
		manifest := filepath.Join(profile, filepath.FromSlash(profileHosts))
		before := takeSnapshot(t, map[string]string{"m": manifest})
		watch := watchHosts(hostPath)
		var out chromium.Output
		start := time.Now()
		br, err := chromium.Start(ctx, chromium.Options{
			Extension:    b.chromium,
			ProfileDir:   profile,
			ExternalHost: true, // the installer registered it
			Headless:     true,
			Stderr:       &out,
		})
		if err != nil {
			watch.Stop()
			t.Fatalf("starting Chromium: %v\n%s", err, out.String())
		}
		closed := false
		closeBrowser := func() {
			if !closed {
				closed = true
				if err := br.Close(); err != nil {
					t.Error(err)
				}
			}
		}
		defer closeBrowser()
		if ch := before.changed(takeSnapshot(t, map[string]string{"m": manifest}), true); len(ch) > 0 {
			t.Errorf("the launcher touched the installer's manifest: %v", ch)
		}
		w := &demoflow.Walker{Browser: br, ScreenshotDir: screenshotDir(t)}
		res, err := w.Login(ctx, site.Origin(), vcard.DefaultAuthPIN)
		elapsed := time.Since(start)
		closeBrowser()
		procs := watch.Stop()
		if err != nil {
			t.Fatalf("login: %v (site: %+v)\nChromium's and the host's output:\n%s", err, res, out.String())
		}
		t.Logf("Chromium: start and login %v, site: %q; screenshots %v", elapsed.Round(time.Millisecond), firstLine(res.Text), w.Shots)

		// The host the browser ran is the installed one, started for
		// the extension, and it said so on the stderr it shares with
		// Chromium.
		wantArgs := []string{"chrome-extension://" + manifesttemplates.DevelopmentExtensionID() + "/"}
		if len(procs) == 0 {
			t.Fatalf("no process ran %s during the login\n%s", hostPath, out.String())
		}
		logged := map[int]string{}
		for _, m := range hostLogLine.FindAllStringSubmatch(out.String(), -1) {
			pid, _ := strconv.Atoi(m[1])
			logged[pid] = m[2]
		}
		for _, p := range procs {
			if !slices.Equal(p.args, wantArgs) {
				t.Errorf("host pid %d ran with %q, want %q", p.pid, p.args, wantArgs)
			}
			if by, ok := logged[p.pid]; !ok || !strings.Contains(by, manifesttemplates.DevelopmentExtensionID()) {
				t.Errorf("host pid %d did not log its start for the extension (logged: %v)", p.pid, logged)
			}
		}
		if len(logged) != len(procs) {
			t.Errorf("hosts logged their start as pids %v; the installed binary ran as %v", logged, procs)
		}
		if len(card.Log()) == 0 {
			t.Error("the card received nothing")
		}
	})
	if !ok {
		return
	}

	ok = t.Run("Firefox with the installed HOME", func(t *testing.T) {
		watch := watchHosts(hostPath)
		out, err := firefoxe2e.Walk(ctx, firefoxe2e.WalkConfig{
			Root:        root,
			Extension:   b.firefox,
			Home:        home, // where the installer wrote .mozilla/native-messaging-hosts
			Site:        site.Origin() + "/",
			Scenario:    "happy",
			PIN:         vcard.DefaultAuthPIN,
			Screenshots: screenshotDir(t),
			// Firefox's profile and puppeteer's files go here, not in HOME.
			TempDir: t.TempDir(),
		})
		procs := watch.Stop()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("Firefox: walk %v, steps (ms) %v, site: %q", out.Elapsed.Round(time.Millisecond), out.Steps, firstLine(out.Text))
		if out.Status != "verified" {
			t.Errorf("site status %q, want verified: %s", out.Status, out.Text)
		}
		if err := firefoxe2e.CheckShots(out, "site", "consent-sheet", "pin-pad", "site-result"); err != nil {
			t.Error(err)
		}
		// Firefox starts the host with the manifest's path and the
		// add-on's id: the manifest the installer wrote into HOME.
		wantArgs := []string{filepath.Join(home, filepath.FromSlash(firefoxConfig)), manifesttemplates.GeckoID}
		if len(procs) == 0 {
			t.Fatalf("no process ran %s during the walk", hostPath)
		}
		for _, p := range procs {
			if !slices.Equal(p.args, wantArgs) {
				t.Errorf("host pid %d ran with %q, want %q", p.pid, p.args, wantArgs)
			}
		}
	})
	if !ok {
		return
	}

	t.Run("uninstall leaves nothing behind", func(t *testing.T) {
		// The browsers are closed; their own files stay where they are.
		deadline := time.Now().Add(5 * time.Second)
		for len(running(hostPath)) > 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if pids := running(hostPath); len(pids) > 0 {
			t.Errorf("the host still runs as %v after the browsers closed", pids)
		}
		used := takeSnapshot(t, roots)
		browsersWrote := used.minus(installed)
		var inHome []string
		for _, k := range browsersWrote {
			if strings.HasPrefix(k, "home/") {
				inHome = append(inHome, k)
			}
		}
		t.Logf("the browsers wrote %d paths into the profile, and into the HOME %v", len(browsersWrote)-len(inHome), inHome)

		out := install(t, b, home, "--uninstall")
		t.Logf("mynaconnect-install --uninstall:\n%s", out)
		after := takeSnapshot(t, roots)

		if d := after.minus(used); len(d) > 0 {
			t.Errorf("the uninstall created %v", d)
		}
		if ch := used.changed(after, true); len(ch) > 0 {
			t.Errorf("the uninstall changed %v", ch)
		}
		for k := range after {
			if strings.Contains(k, "mynaconnect") || strings.Contains(k, manifesttemplates.HostName) ||
				strings.HasSuffix(k, "NativeMessagingHosts") || strings.HasSuffix(k, "native-messaging-hosts") {
				t.Errorf("left behind: %s", k)
			}
		}
		// Compared with the snapshot from before the install, only what
		// the browsers wrote (and the directories holding it) differs.
		keep := map[string]bool{}
		for _, k := range browsersWrote {
			for p := k; p != "." && p != "/"; p = filepath.ToSlash(filepath.Dir(p)) {
				keep[p] = true
			}
		}
		var extra []string
		for _, k := range after.minus(beforeInstall) {
			if !keep[k] {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 {
			t.Errorf("after the uninstall, these were not there before the install (and are not the browsers'): %v", extra)
		}
		if gone := beforeInstall.minus(after); len(gone) > 0 {
			t.Errorf("the install and uninstall took away %v", gone)
		}
		if ch := beforeInstall.changed(after, true); len(ch) > 0 {
			t.Errorf("the install and uninstall changed %v", ch)
		}

		again := install(t, b, home, "--uninstall")
		if !strings.Contains(again, "nothing was installed here") {
			t.Errorf("a second uninstall:\n%s", again)
		}
		if d := takeSnapshot(t, roots).changed(after, true); len(d) > 0 {
			t.Errorf("a second uninstall changed %v", d)
		}
	})
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
