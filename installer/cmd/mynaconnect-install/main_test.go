package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	"github.com/mynaconnect/mynaconnect/host/testbed/hostclient"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// hostBin is the real host, built once: the installed copy of it must
// answer a browser's hello.
var hostBin string

func TestMain(m *testing.M) {
	os.Exit(buildtest.Run(m, buildtest.Cmd{Package: buildtest.Host, Binary: &hostBin}))
}

// install runs the installer as a person would, with an empty environment
// apart from what the test passes.
func runInstaller(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut, func(k string) string { return env[k] })
	return out.String(), errOut.String(), code
}

func mustInstall(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := runInstaller(t, nil, args...)
	if code != 0 {
		t.Fatalf("mynaconnect-install %q: exit %d\n%s\n%s", args, code, out, errOut)
	}
	return out
}

// snapshot lists every file and directory below root with its content and
// permissions.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[rel+"/"] = fi.Mode().String()
			return nil
		}
		b, err := os.ReadFile(path)
		out[rel] = fi.Mode().String() + " " + string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func linuxOnly(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the real install runs the Linux paths")
	}
}

func TestInstallThenReinstallThenUninstallInATemporaryHome(t *testing.T) {
	linuxOnly(t)
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, "Documents"), 0o755) // the person's own files stay
	before := snapshot(t, home)
	args := []string{"--home", home, "--host", hostBin, "--all-browsers", "--development-extension"}

	out := mustInstall(t, args...)
	installed := filepath.Join(home, ".local/share/mynaconnect/bin/mynaconnect-host")
	chrome := []string{
		".config/google-chrome/NativeMessagingHosts",
		".config/chromium/NativeMessagingHosts",
		".config/microsoft-edge/NativeMessagingHosts",
		".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
		".config/vivaldi/NativeMessagingHosts",
	}
	for _, dir := range append(chrome, ".mozilla/native-messaging-hosts") {
		path := filepath.Join(home, dir, "jp.mynaconnect.host.json")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		h, err := manifesttemplates.ParseHost(b)
		if err != nil {
			t.Fatal(err)
		}
		if h.Path != installed {
			t.Errorf("%s: path %q, want %q", dir, h.Path, installed)
		}
		firefox := strings.HasPrefix(dir, ".mozilla")
		if firefox != h.AllowsFirefoxAddon(manifesttemplates.GeckoID) || firefox == h.AllowsChromeExtension(manifesttemplates.DevelopmentExtensionID()) {
			t.Errorf("%s allows the wrong extensions: %s", dir, b)
		}
		if !strings.Contains(out, "created       manifest       "+path) {
			t.Errorf("output does not report %s:\n%s", path, out)
		}
	}
	want, _ := os.ReadFile(hostBin)
	if got, err := os.ReadFile(installed); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("installed host differs from the built one (%v)", err)
	}
	helloFromInstalledHost(t, installed)
	after := snapshot(t, home)

	// Again: nothing changes, and each item says "unchanged".
	out = mustInstall(t, args...)
	if got := snapshot(t, home); !reflect.DeepEqual(got, after) {
		t.Errorf("the second install changed the home")
	}
	lines := itemLines(out)
	if len(lines) != 8 { // host, 6 manifests, record
		t.Errorf("second install reported %d items:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "unchanged") {
			t.Errorf("second install: %q", l)
		}
	}

	// Uninstall: the home is exactly as before.
	out = mustInstall(t, "--home", home, "--uninstall")
	if got := snapshot(t, home); !reflect.DeepEqual(got, before) {
		t.Errorf("after uninstall:\n%v\nwant\n%v\noutput:\n%s", got, before, out)
	}
	if !strings.Contains(out, "removed       host binary") && !strings.Contains(out, "removed       file") {
		t.Errorf("uninstall output:\n%s", out)
	}
}

// itemLines are the per-item lines of the output.
func itemLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		for _, s := range []string{"created ", "replaced ", "unchanged ", "would ", "removed ", "kept ", "already gone "} {
			if strings.HasPrefix(l, s) {
				lines = append(lines, l)
				break
			}
		}
	}
	return lines
}

func helloFromInstalledHost(t *testing.T, path string) {
	t.Helper()
	c, err := hostclient.Start(path, nil, "chrome-extension://"+manifesttemplates.DevelopmentExtensionID()+"/")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, err := c.Hello(ctx, "0.1.0")
	if err != nil {
		t.Fatalf("the installed host does not answer hello: %v", err)
	}
	if r.Protocol != 1 || r.HostVersion == "" {
		t.Errorf("hello = %+v", r)
	}
}

func TestDryRunWritesNothingAndPrintsEveryPath(t *testing.T) {
	linuxOnly(t)
	home := t.TempDir()
	before := snapshot(t, home)
	out := mustInstall(t, "--home", home, "--host", hostBin, "--all-browsers", "--dry-run", "--development-extension")
	if got := snapshot(t, home); !reflect.DeepEqual(got, before) {
		t.Errorf("dry run changed the home: %v", got)
	}
	for _, p := range []string{
		".local/share/mynaconnect/bin/mynaconnect-host",
		".config/vivaldi/NativeMessagingHosts/jp.mynaconnect.host.json",
		".mozilla/native-messaging-hosts/jp.mynaconnect.host.json",
		".local/share/mynaconnect/install-record.json",
		".config/BraveSoftware",
	} {
		if !strings.Contains(out, "would create") || !strings.Contains(out, filepath.Join(home, p)) {
			t.Errorf("dry run does not list %s:\n%s", p, out)
		}
	}
	// A dry uninstall with nothing installed says so and changes nothing.
	out = mustInstall(t, "--home", home, "--uninstall", "--dry-run")
	if !strings.Contains(out, "nothing was installed here") {
		t.Errorf("dry uninstall:\n%s", out)
	}
}

func TestInstallWritesManifestsForTheBrowsersItFinds(t *testing.T) {
	linuxOnly(t)
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".config", "google-chrome"), 0o700)
	os.MkdirAll(filepath.Join(home, ".var", "app", "org.mozilla.firefox"), 0o700)
	out := mustInstall(t, "--home", home, "--host", hostBin, "--development-extension")
	if !strings.Contains(out, "Google Chrome   ("+filepath.Join(home, ".config", "google-chrome")+")") {
		t.Errorf("Chrome not reported as found:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(home, ".config/google-chrome/NativeMessagingHosts/jp.mynaconnect.host.json")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(home, ".config/vivaldi")); err == nil {
		t.Error("a manifest was written for Vivaldi, which is not there")
	}
	if !strings.Contains(out, "WARNING: Firefox is installed as a Flatpak") || !strings.Contains(out, "cannot reach the MynaConnect host") {
		t.Errorf("no Flatpak warning:\n%s", out)
	}
	mustInstall(t, "--home", home, "--uninstall")
}

func TestInstallIntoAChromiumProfile(t *testing.T) {
	linuxOnly(t)
	home, profile := t.TempDir(), t.TempDir()
	other := "abcdefghijklmnopabcdefghijklmnop"
	mustInstall(t, "--home", home, "--host", hostBin, "--browser", "chromium", "--user-data-dir", profile,
		"--extension-id", manifesttemplates.DevelopmentExtensionID(), "--extension-id", other)
	b, err := os.ReadFile(filepath.Join(profile, "NativeMessagingHosts", "jp.mynaconnect.host.json"))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := manifesttemplates.ParseHost(b)
	if !h.AllowsChromeExtension(other) || !h.AllowsChromeExtension(manifesttemplates.DevelopmentExtensionID()) {
		t.Errorf("profile manifest: %s", b)
	}
	if _, err := os.Stat(filepath.Join(home, ".mozilla")); err == nil {
		t.Error("--browser chromium wrote Firefox's manifest")
	}
	mustInstall(t, "--home", home, "--uninstall")
	if entries, _ := os.ReadDir(profile); len(entries) != 0 {
		t.Errorf("profile not emptied by uninstall: %v", entries)
	}
}

func TestDryRunForWindowsShowsTheRegistryKeys(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("plans Windows from elsewhere")
	}
	out := mustInstall(t, "--dry-run", "--os", "windows", "--browser", "edge", "--browser", "firefox", "--development-extension")
	for _, want := range []string{
		`C:\Users\you\AppData\Local\MynaConnect\mynaconnect-host.exe`,
		`HKCU\Software\Microsoft\Edge\NativeMessagingHosts\jp.mynaconnect.host`,
		`HKCU\Software\Mozilla\NativeMessagingHosts\jp.mynaconnect.host (default value C:\Users\you\AppData\Local\MynaConnect\jp.mynaconnect.host-firefox.json`,
		"Dry run: nothing was changed.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q:\n%s", want, out)
		}
	}
	out = mustInstall(t, "--dry-run", "--os", "windows", "--system", "--browser", "chrome", "--extension-id", "abcdefghijklmnopabcdefghijklmnop")
	if !strings.Contains(out, `HKLM\Software\Google\Chrome\NativeMessagingHosts\jp.mynaconnect.host`) ||
		!strings.Contains(out, `C:\Program Files\MynaConnect\mynaconnect-host.exe`) {
		t.Errorf("system plan:\n%s", out)
	}
}

// The development id comes from a key anyone can copy: without the flag the
// installer never allows it, and with no published extension yet it asks
// which extension to allow instead of writing a manifest for nobody.
func TestTheDevelopmentExtensionIsAllowedOnlyWhenAsked(t *testing.T) {
	linuxOnly(t)
	home := t.TempDir()
	_, errOut, code := runInstaller(t, nil, "--home", home, "--host", hostBin, "--browser", "chromium")
	if code != 2 || !strings.Contains(errOut, "--development-extension") || !strings.Contains(errOut, "--extension-id") {
		t.Errorf("no extension to allow: exit %d, stderr %q", code, errOut)
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("a refused install wrote %v", entries)
	}
	store := "abcdefghijklmnopabcdefghijklmnop"
	mustInstall(t, "--home", home, "--host", hostBin, "--browser", "chromium", "--extension-id", store)
	b, err := os.ReadFile(filepath.Join(home, ".config/chromium/NativeMessagingHosts/jp.mynaconnect.host.json"))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := manifesttemplates.ParseHost(b)
	if !h.AllowsChromeExtension(store) || h.AllowsChromeExtension(manifesttemplates.DevelopmentExtensionID()) {
		t.Errorf("without --development-extension the manifest allows %v", h.AllowedOrigins)
	}
	out := mustInstall(t, "--home", home, "--host", hostBin, "--browser", "chromium", "--extension-id", store, "--development-extension")
	if !strings.Contains(out, "development extension id "+manifesttemplates.DevelopmentExtensionID()) {
		t.Errorf("the install does not say it allows the development id:\n%s", out)
	}
	mustInstall(t, "--home", home, "--uninstall")
}

func TestBadUsageExitsWith2AndAHint(t *testing.T) {
	tests := [][]string{
		{"--extension-id", "not-an-id"},
		{"--os", "windows"}, // without --dry-run
		{"--os", "beos", "--dry-run"},
		{"--uninstall", "--host", "/x"},
		{"--uninstall", "--development-extension"},
		{"--browser", "netscape"},
		{"--no-such-flag"},
		{"extra-argument"},
	}
	for _, args := range tests {
		_, errOut, code := runInstaller(t, nil, args...)
		if code != 2 || !strings.Contains(errOut, "--help") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
}

func TestMissingHostBinaryOrHomeIsAPlainError(t *testing.T) {
	linuxOnly(t)
	home := t.TempDir()
	_, errOut, code := runInstaller(t, nil, "--home", home, "--host", filepath.Join(home, "none"), "--development-extension")
	if code != 1 || !strings.Contains(errOut, "make build") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = runInstaller(t, nil, "--home", filepath.Join(home, "typo"), "--host", hostBin, "--development-extension")
	if code != 1 || !strings.Contains(errOut, "does not exist") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestHelpDescribesEveryFlag(t *testing.T) {
	out, _, code := runInstaller(t, nil, "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, f := range []string{"--host", "--extension-id", "--development-extension", "--browser", "--all-browsers", "--user-data-dir", "--home",
		"--system", "--uninstall", "--dry-run", "--os", "Snap", "Flatpak", "EXIT STATUS", "mynaconnect doctor"} {
		if !strings.Contains(out, f) {
			t.Errorf("--help does not mention %s", f)
		}
	}
}
