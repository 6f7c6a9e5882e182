package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	"github.com/mynaconnect/mynaconnect/installer/apply"
	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/doctor"
	"github.com/mynaconnect/mynaconnect/installer/findings"
	"github.com/mynaconnect/mynaconnect/installer/plan"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// The doctor's runs here happen in a child process (this test binary,
// re-executed) whose PC/SC client is pointed at a socket where no daemon
// listens: that is a real "pcscd not running", and it keeps these tests
// off the machine's pcscd, which other test processes take turns on.
const childArgsEnv = "MYNACONNECT_TEST_ARGS"

var hostBin string

func TestMain(m *testing.M) {
	if encoded := os.Getenv(childArgsEnv); encoded != "" {
		var args []string
		if err := json.Unmarshal([]byte(encoded), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(99)
		}
		os.Exit(run(context.Background(), args, os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(buildtest.Run(m, buildtest.Cmd{Package: buildtest.Host, Binary: &hostBin}))
}

// mynaconnect runs the command in a child process without a PC/SC daemon.
func mynaconnect(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	encoded, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+string(encoded),
		"PCSCLITE_CSOCK_NAME="+filepath.Join(t.TempDir(), "no-pcscd.comm"), "LANG=C",
		chainconfig.EnvPath+"="+filepath.Join(t.TempDir(), "no-chains.json"))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func doctorJSON(t *testing.T, args ...string) (doctor.Report, int) {
	t.Helper()
	out, errOut, code := mynaconnect(t, append([]string{"doctor", "--json"}, args...)...)
	var r doctor.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\nstdout: %s\nstderr: %s", err, out, errOut)
	}
	return r, code
}

func wantPCSCDDown(t *testing.T, r doctor.Report) {
	t.Helper()
	want := doctor.CodePCSCDNotRunning
	if _, err := os.Stat("/usr/sbin/pcscd"); err != nil {
		if _, err := exec.LookPath("pcscd"); err != nil {
			want = doctor.CodePCSCDNotInstalled
		}
	}
	if len(r.Findings) == 0 || r.Findings[0].Code != want || r.Findings[0].Status != doctor.Fail {
		t.Errorf("first finding %+v, want %s", r.Findings, want)
	}
	if r.Has(doctor.CodeNoReader) || r.Has(doctor.CodeNoCard) {
		t.Errorf("reader findings without a PC/SC service: %+v", r.Findings)
	}
}

func TestDoctorSaysPCSCDIsNotRunning(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("pcscd is Linux's")
	}
	r, code := doctorJSON(t, "--home", t.TempDir())
	wantPCSCDDown(t, r)
	if code != 1 || r.Status != doctor.Fail {
		t.Errorf("exit %d, status %s", code, r.Status)
	}
	// Last, the networks: here none is configured ($MYNACONNECT_CHAINS names a missing file), which is fine.
	if last := r.Findings[len(r.Findings)-1]; last.Code != findings.ChainsNone || last.Status != doctor.OK {
		t.Errorf("the last finding is %s (%s), want CHAINS_NONE", last.Code, last.Status)
	}
}

func TestDoctorAfterAnInstallFindsTheHostRegisteredAndWorking(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("installs the Linux way")
	}
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".config", "chromium"), 0o700)
	env := browsers.Env{OS: "linux", Home: home}
	found, _ := browsers.Detect(env, browsers.OnDisk)
	var ids []browsers.ID
	for _, f := range found {
		ids = append(ids, f.Browser)
	}

	// Before: Chromium's manifest is missing.
	r, _ := doctorJSON(t, "--home", home)
	if !r.Has(doctor.CodeManifestMissing) {
		t.Errorf("before the install: %+v", r.Findings)
	}

	p, err := plan.Compute(plan.Input{Env: env, Scope: browsers.User, Browsers: ids, HostSource: hostBin,
		ExtensionIDs: []string{manifesttemplates.DevelopmentExtensionID()}, AddonIDs: []string{manifesttemplates.GeckoID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apply.Install(p, apply.Options{}); err != nil {
		t.Fatal(err)
	}
	r, _ = doctorJSON(t, "--home", home)
	wantPCSCDDown(t, r)
	var ok, hostOK, development int
	for _, f := range r.Findings[1:] {
		switch {
		case f.Code == doctor.CodeManifestOK:
			ok++
		case f.Code == doctor.CodeHostOK:
			hostOK++
		case f.Code == doctor.CodeDevelopmentExtension && f.Status == doctor.Warn:
			// Installed for the unpacked build, as make install does: said, not failed.
			development++
		case f.Code == doctor.CodeBrowserSandboxed: // the machine's own, if any
		case f.Code == findings.ChainsNone: // no networks configured here, which is fine
		default:
			t.Errorf("after the install: %s %s (%s)", f.Code, f.En, f.Detail)
		}
	}
	if development == 0 {
		t.Error("the doctor does not say the development extension id is allowed")
	}
	if ok != len(ids) || hostOK != 1 {
		t.Errorf("%d MANIFEST_OK for %d browsers, %d HOST_OK", ok, len(ids), hostOK)
	}

	// Another extension id than the installed one is not allowed.
	r, _ = doctorJSON(t, "--home", home, "--extension-id", "abcdefghijklmnopabcdefghijklmnop")
	if !r.Has(doctor.CodeExtensionNotAllow) {
		t.Errorf("with another extension id: %+v", r.Findings)
	}

	// The binary goes away: the manifests now point at nothing.
	os.Remove(p.HostPath)
	r, _ = doctorJSON(t, "--home", home)
	if !r.Has(doctor.CodeHostBinaryMissing) || r.Has(doctor.CodeHostOK) {
		t.Errorf("without the binary: %+v", r.Findings)
	}
}

func TestDoctorSpeaksJapaneseOrEnglish(t *testing.T) {
	home := t.TempDir()
	ja, _, _ := mynaconnect(t, "doctor", "--home", home, "--lang", "ja")
	en, _, _ := mynaconnect(t, "doctor", "--home", home, "--lang", "en")
	if !strings.Contains(ja, "カードリーダーのサービス") || !strings.Contains(ja, "要対応") {
		t.Errorf("Japanese output:\n%s", ja)
	}
	if !strings.Contains(en, "card reader service") || !strings.Contains(en, "to fix") || strings.Contains(en, "カード") {
		t.Errorf("English output:\n%s", en)
	}
	if !strings.Contains(ja, "[FAIL]") || !strings.Contains(ja, "PCSCD_NOT") {
		t.Errorf("codes and statuses missing:\n%s", ja)
	}
}

func TestDefaultLanguageFollowsTheLocale(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "ja_JP.UTF-8"}, "ja"},
		{map[string]string{"LANG": "ja_JP.UTF-8", "LC_ALL": "C"}, "en"},
		{map[string]string{"LC_MESSAGES": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}, "ja"},
		{map[string]string{}, "en"},
	}
	for _, tt := range tests {
		if got := defaultLang(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%v: %s, want %s", tt.env, got, tt.want)
		}
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &out, &errOut, os.Getenv); code != 0 {
		t.Errorf("--help: exit %d", code)
	}
	for _, want := range []string{"doctor", "--json", "--lang", "--home", "--extension-id", "PCSCD_NOT_RUNNING", "EXIT STATUS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help does not mention %s", want)
		}
	}
	for _, args := range [][]string{{}, {"fix"}, {"doctor", "--lang", "fr"}, {"doctor", "--bogus"},
		{"doctor", "--extension-id", "x"}, {"doctor", "extra"}} {
		errOut.Reset()
		if code := run(context.Background(), args, &out, &errOut, os.Getenv); code != 2 || errOut.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}
