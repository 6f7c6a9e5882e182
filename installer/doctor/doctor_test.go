package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/nativemsg"
	"github.com/mynaconnect/mynaconnect/host/pcsc"
	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/findings"
	"github.com/mynaconnect/mynaconnect/installer/winreg"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// fakeHostEnv makes the test binary act as a host (see TestMain): the
// doctor runs it through a manifest like any host.
const fakeHostEnv = "MYNACONNECT_DOCTOR_FAKE_HOST"

// hostBin is the real host, built once.
var hostBin string

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakeHostEnv); mode != "" {
		os.Exit(fakeHost(mode))
	}
	os.Exit(buildtest.Run(m, buildtest.Cmd{Package: buildtest.Host, Binary: &hostBin}))
}

// fakeHost answers like a host that speaks another protocol version
// ("mismatch"), or dies at once ("crash").
func fakeHost(mode string) int {
	if mode == "crash" {
		fmt.Fprintln(os.Stderr, "fake host: cannot start")
		return 3
	}
	r, w := nativemsg.NewReader(os.Stdin, 1<<16), nativemsg.NewWriter(os.Stdout, 1<<16)
	for {
		msg, err := r.ReadMessage()
		if err != nil {
			return 0
		}
		var req struct {
			ID uint64 `json:"id"`
		}
		json.Unmarshal(msg, &req)
		w.WriteJSON(map[string]any{"id": req.ID, "error": map[string]any{
			"code": "VERSION_MISMATCH", "message": "this host speaks protocol 2",
			"supportedProtocols": []int{2}, "hostVersion": "9.0.0"}})
	}
}

// fakePCSC is a machine's readers, as the tests want them.
type fakePCSC struct {
	readers    []pcsc.ReaderState
	readersErr error
	retries    int
	cardErr    error
}

func (f fakePCSC) Readers() ([]pcsc.ReaderState, error) { return f.readers, f.readersErr }
func (f fakePCSC) AuthPINRetries(string) (int, error)   { return f.retries, f.cardErr }

// storeID stands for the published extension's id: the scenes' manifests
// allow it, not the development id (which has a test of its own).
const storeID = "abcdefghijklmnopabcdefghijklmnop"

// goodCard is one reader with a My Number card, 3 tries left.
var goodCard = fakePCSC{readers: []pcsc.ReaderState{{Name: "Reader 0", CardPresent: true, ATR: []byte{0x3b}}}, retries: 3}

// scene is a home with browsers' profile directories, and the doctor's
// configuration for it. Only what is in the home counts as a browser:
// the machine's own browsers do not leak into the test.
type scene struct {
	home string
	cfg  Config
}

func newScene(t *testing.T, profiles ...string) *scene {
	t.Helper()
	home := t.TempDir()
	for _, p := range profiles {
		if err := os.MkdirAll(filepath.Join(home, p), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return &scene{home: home, cfg: Config{
		Env:            browsers.Env{OS: "linux", Home: home},
		PCSC:           goodCard,
		PCSCDInstalled: func() bool { return true },
		Exists: func(p string) bool {
			return strings.HasPrefix(p, home+"/") && browsers.OnDisk(p)
		},
		HostTimeout:  30 * time.Second,
		ExtensionIDs: []string{storeID},
	}}
}

// manifest writes a host manifest where browser dir looks for it.
func (s *scene) manifest(t *testing.T, dir, hostPath string, ids ...string) string {
	t.Helper()
	var b []byte
	var err error
	if strings.HasPrefix(dir, ".mozilla") {
		b, err = manifesttemplates.FirefoxHostFor("linux", hostPath, ids...)
	} else {
		b, err = manifesttemplates.ChromeHostFor("linux", hostPath, ids...)
	}
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.home, dir, browsers.ManifestFile)
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const (
	chromiumProfile  = ".config/chromium"
	chromiumManifest = ".config/chromium/NativeMessagingHosts"
	firefoxProfile   = ".mozilla/firefox"
	firefoxManifest  = ".mozilla/native-messaging-hosts"
)

func codes(r Report) []string {
	var c []string
	for _, f := range r.Findings {
		c = append(c, f.Code+"/"+string(f.Status))
	}
	return c
}

func TestEachProblemHasItsOwnFinding(t *testing.T) {
	id := storeID
	tests := []struct {
		name  string
		setup func(t *testing.T, s *scene)
		want  []string // code/status, in order
	}{
		{"all well", func(t *testing.T, s *scene) {
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_OK/ok", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"pcscd not running", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{readersErr: fmt.Errorf("pcsc: list readers: %w", jpki.ErrNoService)}
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_NOT_RUNNING/fail", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"pcscd not installed", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{readersErr: jpki.ErrNoService}
			s.cfg.PCSCDInstalled = func() bool { return false }
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_NOT_INSTALLED/fail", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"pcsc failing otherwise", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{readersErr: errors.New("pcsc: list readers: internal error")}
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSC_ERROR/fail", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"no reader", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{}
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_RUNNING/ok", "NO_READER/fail", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"no card", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{readers: []pcsc.ReaderState{{Name: "Reader 0"}, {Name: "Reader 1"}}}
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "NO_CARD/warn", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"not a My Number card", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{readers: goodCard.readers, cardErr: fmt.Errorf("jpki: %w", jpki.ErrNotMyNumberCard)}
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "NOT_MYNUMBER_CARD/fail", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"mute card", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{readers: []pcsc.ReaderState{{Name: "Reader 0", CardPresent: true, Mute: true}}}
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_MUTE/fail", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"card held by another program", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{readers: goodCard.readers, cardErr: jpki.ErrReaderBusy}
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "READER_BUSY/warn", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"unreadable card", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{readers: goodCard.readers, cardErr: jpki.ErrMalformedResponse}
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_ERROR/fail", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"PIN blocked", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{readers: goodCard.readers, retries: 0}
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_BLOCKED/fail", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"PIN last try", func(t *testing.T, s *scene) {
			s.cfg.PCSC = fakePCSC{readers: goodCard.readers, retries: 1}
			s.manifest(t, chromiumManifest, hostBin, id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_LAST_TRY/warn", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"development extension allowed", func(t *testing.T, s *scene) {
			s.manifest(t, chromiumManifest, hostBin, id, manifesttemplates.DevelopmentExtensionID())
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_OK/ok", "DEVELOPMENT_EXTENSION_ALLOWED/warn", "MANIFEST_OK/ok", "HOST_OK/ok"}},
		{"manifest missing", func(t *testing.T, s *scene) {
			// Chromium's profile is there, its manifest is not.
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_OK/ok", "MANIFEST_MISSING/fail"}},
		{"manifest pointing at a missing binary", func(t *testing.T, s *scene) {
			s.manifest(t, chromiumManifest, filepath.Join(s.home, "gone", "mynaconnect-host"), id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_OK/ok", "HOST_BINARY_MISSING/fail"}},
		{"manifest pointing at a file that cannot run", func(t *testing.T, s *scene) {
			p := filepath.Join(s.home, "mynaconnect-host")
			os.WriteFile(p, []byte("not a program"), 0o644)
			s.manifest(t, chromiumManifest, p, id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_OK/ok", "HOST_NOT_EXECUTABLE/fail"}},
		{"wrong extension id", func(t *testing.T, s *scene) {
			s.manifest(t, chromiumManifest, hostBin, "ponmlkjihgfedcbaponmlkjihgfedcba")
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_OK/ok", "EXTENSION_NOT_ALLOWED/fail", "HOST_OK/ok"}},
		{"damaged manifest", func(t *testing.T, s *scene) {
			p := s.manifest(t, chromiumManifest, hostBin, id)
			os.WriteFile(p, []byte(`{"name": "jp.mynaconnect.host", "path": `), 0o644)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_OK/ok", "MANIFEST_INVALID/fail"}},
		{"host of another protocol version", func(t *testing.T, s *scene) {
			t.Setenv(fakeHostEnv, "mismatch")
			s.manifest(t, chromiumManifest, os.Args[0], id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_OK/ok", "MANIFEST_OK/ok", "VERSION_MISMATCH/fail"}},
		{"host that does not start", func(t *testing.T, s *scene) {
			t.Setenv(fakeHostEnv, "crash")
			s.manifest(t, chromiumManifest, os.Args[0], id)
		}, []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_OK/ok", "MANIFEST_OK/ok", "HOST_NOT_WORKING/fail"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScene(t, chromiumProfile)
			tt.setup(t, s)
			r := Run(context.Background(), s.cfg)
			if got := strings.Join(codes(r), " "); got != strings.Join(tt.want, " ") {
				t.Errorf("findings\n  %s\nwant\n  %s", got, strings.Join(tt.want, " "))
				for _, f := range r.Findings {
					t.Logf("%s: %s [%s]", f.Code, f.En, f.Detail)
				}
			}
		})
	}
}

func TestPCSCServiceAdviceFitsTheOperatingSystem(t *testing.T) {
	for goos, want := range map[string]string{
		"linux":   "systemctl start pcscd.socket",
		"darwin":  "Reconnect the card reader",
		"windows": "Reconnect the card reader",
	} {
		home := map[string]string{"linux": "/home/a", "darwin": "/Users/a", "windows": `C:\Users\a`}[goos]
		r := Run(context.Background(), Config{
			Env:    browsers.Env{OS: goos, Home: home},
			PCSC:   fakePCSC{readersErr: jpki.ErrNoService},
			Exists: func(string) bool { return false },
		})
		f := r.Findings[0]
		if f.Code != CodePCSCDNotRunning || !strings.Contains(f.En, want) {
			t.Errorf("%s: %+v", goos, f)
		}
	}
}

func TestBrowsersAreCheckedOneByOne(t *testing.T) {
	s := newScene(t, chromiumProfile, firefoxProfile, ".var/app/com.brave.Browser")
	s.manifest(t, chromiumManifest, hostBin, storeID)
	s.manifest(t, firefoxManifest, hostBin, "someone-else@example.org")
	r := Run(context.Background(), s.cfg)
	want := []string{"PCSCD_RUNNING/ok", "READER_FOUND/ok", "CARD_READY/ok", "PIN_OK/ok",
		"BROWSER_SANDBOXED/warn", "MANIFEST_OK/ok", "EXTENSION_NOT_ALLOWED/fail", "HOST_OK/ok"}
	if got := codes(r); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findings %v\nwant     %v", got, want)
	}
	for _, f := range r.Findings {
		switch f.Code {
		case CodeBrowserSandboxed:
			if f.Subject != "Brave" || !strings.Contains(f.En, "Flatpak") {
				t.Errorf("%+v", f)
			}
		case CodeExtensionNotAllow:
			if f.Subject != "Firefox" || !strings.Contains(f.Ja, manifesttemplates.GeckoID) {
				t.Errorf("%+v", f)
			}
		case CodeHostOK:
			// One host binary serves both browsers: one handshake.
			if !strings.Contains(f.Detail, "Chromium, Firefox") {
				t.Errorf("%+v", f)
			}
		}
	}
	if r.Status != Fail {
		t.Errorf("status %s", r.Status)
	}
}

func TestNoBrowserIsAWarning(t *testing.T) {
	s := newScene(t)
	r := Run(context.Background(), s.cfg)
	if !r.Has(CodeNoBrowser) || r.Status != Warn {
		t.Errorf("findings %v, status %s", codes(r), r.Status)
	}
}

func TestASystemWideManifestCounts(t *testing.T) {
	// The manifest is looked for per user, then system-wide. A test cannot
	// write to /etc, so the system half is seen through Windows, whose
	// system-wide registration is a key in HKLM.
	dir := t.TempDir()
	manifest := filepath.Join(dir, "jp.mynaconnect.host-chrome.json")
	b, _ := manifesttemplates.ChromeHostFor("windows", `C:\Program Files\MynaConnect\mynaconnect-host.exe`, manifesttemplates.DevelopmentExtensionID())
	os.WriteFile(manifest, b, 0o644)
	chromeData := `C:\Users\a\AppData\Local\Google\Chrome\User Data`
	reg := winreg.NewMemory()
	cfg := Config{
		Env:    browsers.Env{OS: "windows", Home: `C:\Users\a`},
		PCSC:   fakePCSC{},
		Exists: func(p string) bool { return p == chromeData },
	}

	cfg.Registry = reg
	r := Run(context.Background(), cfg)
	if !r.Has(CodeManifestMissing) {
		t.Errorf("no key: %v", codes(r))
	}
	for _, f := range r.Findings {
		if f.Code == CodeManifestMissing && !strings.Contains(f.Detail, `HKCU\Software\Google\Chrome\NativeMessagingHosts\jp.mynaconnect.host`) {
			t.Errorf("detail does not name the key: %q", f.Detail)
		}
	}

	reg.Set(browsers.RegKey{Root: "HKLM", Path: `Software\Google\Chrome\NativeMessagingHosts\jp.mynaconnect.host`}, manifest)
	r = Run(context.Background(), cfg)
	// Found through HKLM; the host it names is not on this machine.
	if r.Has(CodeManifestMissing) || !r.Has(CodeHostBinaryMissing) {
		t.Errorf("HKLM key: %v", codes(r))
	}

	reg.Set(browsers.RegKey{Root: "HKCU", Path: `Software\Google\Chrome\NativeMessagingHosts\jp.mynaconnect.host`}, filepath.Join(dir, "gone.json"))
	r = Run(context.Background(), cfg)
	if r.Has(CodeManifestMissing) || !r.Has(CodeHostBinaryMissing) {
		t.Errorf("a key naming a missing file must fall through to HKLM: %v", codes(r))
	}
}

// TestFindingsUseTheCatalog checks that the doctor's sentences are
// package findings' (which the onboarding page shows too), filled in.
func TestFindingsUseTheCatalog(t *testing.T) {
	f := finding(CodeExtensionNotAllow, "Chromium", "detail", "Chromium", "abcdefghijklmnopabcdefghijklmnop")
	m, _ := findings.Lookup(findings.ExtensionNotAllowed)
	ja, en := m.Format("Chromium", "abcdefghijklmnopabcdefghijklmnop")
	if f.Ja != ja || f.En != en || f.Status != m.Status || f.Code != "EXTENSION_NOT_ALLOWED" {
		t.Errorf("finding %+v, catalog %q %q %s", f, ja, en, m.Status)
	}
	for _, key := range findings.Keys() {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: %v", key, r)
				}
			}()
			findingAs(CodeNoCard, key, "", "", "X", "Y")
		}()
	}
}

func TestReportMarshalsWithBothLanguages(t *testing.T) {
	s := newScene(t)
	s.cfg.PCSC = fakePCSC{}
	b, err := json.Marshal(Run(context.Background(), s.cfg))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Status   string
		Findings []map[string]string
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != "fail" || len(got.Findings) == 0 {
		t.Fatalf("%s", b)
	}
	for _, f := range got.Findings {
		if f["code"] == "" || f["status"] == "" || f["ja"] == "" || f["en"] == "" {
			t.Errorf("incomplete finding %v", f)
		}
	}
}
