package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	"github.com/mynaconnect/mynaconnect/host/testbed/citest"

	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/nativemsg"
	"github.com/mynaconnect/mynaconnect/host/pcsc"
	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/doctor"
	"github.com/mynaconnect/mynaconnect/installer/findings"
)

// fakeHostEnv makes this test binary act as a native host that speaks
// another protocol version (see TestMain): installed as the host, it is
// what a person with an old host has.
const fakeHostEnv = "MYNACONNECT_INSTALLERE2E_FAKE_HOST"

// fakeHostVersion is the version the fake host says it is.
const fakeHostVersion = "9.0.0"

func TestMain(m *testing.M) {
	if os.Getenv(fakeHostEnv) == "mismatch" {
		os.Exit(fakeHost())
	}
	os.Exit(m.Run())
}

// fakeHost answers every request with VERSION_MISMATCH, as a host of
// protocol 2 would answer an extension of protocol 1.
func fakeHost() int {
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
			"supportedProtocols": []int{2}, "hostVersion": fakeHostVersion}})
	}
}

// noReaders is a PC/SC without readers: this test is about the host.
type noReaders struct{}

func (noReaders) Readers() ([]pcsc.ReaderState, error) { return nil, nil }
func (noReaders) AuthPINRetries(string) (int, error)   { return 0, jpki.ErrNoReader }

// TestOnboardingSaysWhatTheDoctorSays installs a host of another protocol
// version, runs `mynaconnect doctor`'s diagnosis on that machine, and opens
// the extension's onboarding page in Chromium on the installed profile:
// without a click, the page shows the doctor's VERSION_MISMATCH finding,
// word for word, in Japanese and in English.
func TestOnboardingSaysWhatTheDoctorSays(t *testing.T) {
	root := buildtest.RepoRoot(t)
	if _, err := chromium.FindExec(); err != nil {
		citest.Unavailable(t, "%v", err)
	}
	b := buildAll(t, root)
	// The browser and the doctor start the installed copy of this test
	// binary with the environment of this process.
	t.Setenv(fakeHostEnv, "mismatch")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	home, profile := filepath.Join(base, "home"), filepath.Join(base, "profile")
	for _, d := range []string{home, profile} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	install(t, b, home, "--host", self, "--browser", "chromium", "--user-data-dir", profile, "--development-extension")
	hostPath := filepath.Join(home, installedHost)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	report := doctor.Run(ctx, doctor.Config{
		Env:            browsers.FromEnviron("linux", home, true, os.Getenv),
		PCSC:           noReaders{},
		PCSCDInstalled: func() bool { return true },
		Exists:         func(p string) bool { return strings.HasPrefix(p, home) },
	})
	var want *doctor.Finding
	for i, f := range report.Findings {
		if f.Code == findings.VersionMismatch && f.Subject == hostPath {
			want = &report.Findings[i]
		}
	}
	if want == nil {
		b, _ := json.MarshalIndent(report, "", "  ")
		t.Fatalf("the doctor does not find the installed host %s incompatible:\n%s", hostPath, b)
	}
	t.Logf("doctor: %s: %s / %s", want.Code, want.Ja, want.En)

	var out chromium.Output
	br, err := chromium.Start(ctx, chromium.Options{Extension: b.chromium, ProfileDir: profile, ExternalHost: true, Headless: true, Stderr: &out})
	if err != nil {
		t.Fatalf("starting Chromium: %v\n%s", err, out.String())
	}
	defer br.Close()
	page, closePage, err := br.NewPage(ctx, br.ExtensionURL("onboarding.html"))
	if err != nil {
		t.Fatal(err)
	}
	defer closePage()
	shots := screenshotDir(t)
	for i, lang := range []string{"ja", "en"} {
		if lang == "en" {
			if err := chromium.Click(page, "#lang"); err != nil {
				t.Fatal(err)
			}
		}
		ready := fmt.Sprintf(`document.documentElement.lang === %q && document.body.dataset.hostState === 'version' && document.querySelector('#findings li')`, lang)
		if err := chromium.WaitTrue(page, ready, 15*time.Second); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		got, err := chromium.Eval[[]string](page, `[...document.querySelectorAll('#findings li')].map((li) => li.dataset.code + ' ' + li.textContent)`)
		if err != nil {
			t.Fatal(err)
		}
		sentence := map[string]string{"ja": want.Ja, "en": want.En}[lang]
		if len(got) != 1 || got[0] != want.Code+" "+sentence {
			t.Errorf("the onboarding page (%s) says\n  %q\nthe doctor\n  %q", lang, got, want.Code+" "+sentence)
		}
		if err := br.Screenshot(page, filepath.Join(shots, fmt.Sprintf("%02d-onboarding-version-%s.png", i+1, lang))); err != nil {
			t.Error(err)
		}
	}
}
