package apply

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/plan"
	"github.com/mynaconnect/mynaconnect/installer/record"
	"github.com/mynaconnect/mynaconnect/installer/winreg"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// tree lists every file and directory below root with its content, so
// tests can compare a whole home before and after.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(path)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// setup makes a home with a Chromium profile directory and a host binary
// to install, and the plan for Chromium and Firefox there.
func setup(t *testing.T) (home string, p plan.Plan) {
	t.Helper()
	home = t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".config", "chromium"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "mynaconnect-host")
	if err := os.WriteFile(src, []byte("#!/bin/sh\necho host\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := plan.Compute(plan.Input{
		Env:          browsers.Env{OS: "linux", Home: home},
		Scope:        browsers.User,
		Browsers:     []browsers.ID{browsers.Chromium, browsers.Firefox},
		HostSource:   src,
		ExtensionIDs: []string{manifesttemplates.DevelopmentExtensionID()},
		AddonIDs:     []string{manifesttemplates.GeckoID},
	})
	if err != nil {
		t.Fatal(err)
	}
	return home, p
}

func statuses(rs []Result) map[string]Status {
	m := map[string]Status{}
	for _, r := range rs {
		m[r.Target] = r.Status
	}
	return m
}

func skipUnlessLinux(t *testing.T) {
	if _, err := os.Stat("/proc/self"); err != nil {
		t.Skip("these tests exercise the Linux paths for real")
	}
}

func TestInstallTwiceThenUninstallLeavesTheHomeAsItWas(t *testing.T) {
	skipUnlessLinux(t)
	home, p := setup(t)
	before := tree(t, home)

	res, err := Install(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Status{
		home + "/.local":                                Created,
		home + "/.local/share":                          Created,
		home + "/.local/share/mynaconnect":              Created,
		home + "/.local/share/mynaconnect/bin":          Created,
		p.HostPath:                                      Created,
		home + "/.config/chromium/NativeMessagingHosts": Created,
		home + "/.config/chromium/NativeMessagingHosts/jp.mynaconnect.host.json": Created,
		home + "/.mozilla":                                                 Created,
		home + "/.mozilla/native-messaging-hosts":                          Created,
		home + "/.mozilla/native-messaging-hosts/jp.mynaconnect.host.json": Created,
		p.RecordPath: Created,
	}
	if got := statuses(res); !reflect.DeepEqual(got, want) {
		t.Errorf("first install:\n%v\nwant\n%v", got, want)
	}
	for _, a := range p.Actions[1:] {
		b, err := os.ReadFile(a.Path)
		if err != nil || string(b) != string(a.Content) {
			t.Errorf("%s: %q, %v", a.Path, b, err)
		}
		if fi, _ := os.Stat(a.Path); fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v", a.Path, fi.Mode())
		}
	}
	if fi, err := os.Stat(p.HostPath); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("host binary: %v, %v", fi, err)
	}
	installed := tree(t, home)

	// Second install: nothing changes, and every item says so.
	res, err = Install(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != Unchanged {
			t.Errorf("second install: %s", r)
		}
	}
	if len(res) != len(p.Actions)+1 {
		t.Errorf("second install reported %d items, want %d (each action and the record)", len(res), len(p.Actions)+1)
	}
	if got := tree(t, home); !reflect.DeepEqual(got, installed) {
		t.Errorf("second install changed the home")
	}

	// Uninstall: back to exactly the home before.
	res, err = Uninstall(p.RecordPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != Removed {
			t.Errorf("uninstall: %s", r)
		}
	}
	if got := tree(t, home); !reflect.DeepEqual(got, before) {
		t.Errorf("after uninstall:\n%v\nwant\n%v", got, before)
	}
	// And again: nothing to do.
	res, err = Uninstall(p.RecordPath, Options{})
	if err != nil || len(res) != 1 || res[0].Status != Gone {
		t.Errorf("second uninstall: %v, %v", res, err)
	}
}

func TestDryRunChangesNothingAndListsEverything(t *testing.T) {
	skipUnlessLinux(t)
	home, p := setup(t)
	before := tree(t, home)
	res, err := Install(p, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := tree(t, home); !reflect.DeepEqual(got, before) {
		t.Errorf("dry run changed the home:\n%v", got)
	}
	got := statuses(res)
	for _, a := range p.Actions {
		if got[a.Path] != WouldCreate {
			t.Errorf("%s: %q, want %q", a.Path, got[a.Path], WouldCreate)
		}
	}
	for _, d := range []string{home + "/.local", home + "/.mozilla/native-messaging-hosts", p.RecordPath} {
		if got[d] != WouldCreate {
			t.Errorf("%s: %q, want %q", d, got[d], WouldCreate)
		}
	}

	// A dry uninstall after a real install lists every removal and
	// removes nothing.
	if _, err := Install(p, Options{}); err != nil {
		t.Fatal(err)
	}
	installed := tree(t, home)
	res, err = Uninstall(p.RecordPath, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := tree(t, home); !reflect.DeepEqual(got, installed) {
		t.Errorf("dry uninstall changed the home")
	}
	for _, r := range res {
		if r.Status != WouldRemove {
			t.Errorf("dry uninstall: %s", r)
		}
	}
	// A dry install now finds everything in place.
	res, _ = Install(p, Options{DryRun: true})
	for _, r := range res {
		if r.Status != Unchanged {
			t.Errorf("dry reinstall: %s", r)
		}
	}
}

func TestInstallRepairsWhatChanged(t *testing.T) {
	skipUnlessLinux(t)
	_, p := setup(t)
	if _, err := Install(p, Options{}); err != nil {
		t.Fatal(err)
	}
	manifest := p.Actions[1].Path
	os.WriteFile(manifest, []byte(`{"stale":true}`), 0o644)
	os.Chmod(p.HostPath, 0o600)
	res, err := Install(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(res)
	if got[manifest] != Replaced || got[p.HostPath] != Replaced || got[p.Actions[2].Path] != Unchanged {
		t.Errorf("statuses %v", got)
	}
	if b, _ := os.ReadFile(manifest); string(b) != string(p.Actions[1].Content) {
		t.Errorf("manifest not repaired: %s", b)
	}
}

func TestUninstallKeepsFilesItDidNotWrite(t *testing.T) {
	skipUnlessLinux(t)
	home, p := setup(t)
	if _, err := Install(p, Options{}); err != nil {
		t.Fatal(err)
	}
	// Someone else's manifest replaced ours, and someone put a file of
	// their own into a directory the installer created.
	manifest := p.Actions[2].Path // Firefox
	os.WriteFile(manifest, []byte(`{"name":"jp.mynaconnect.host","path":"/elsewhere"}`), 0o644)
	mine := filepath.Join(home, ".mozilla", "native-messaging-hosts", "other.json")
	os.WriteFile(mine, []byte("{}"), 0o644)

	res, err := Uninstall(p.RecordPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(res)
	if got[manifest] != Kept || got[filepath.Dir(manifest)] != Kept || got[p.HostPath] != Removed || got[p.RecordPath] != Removed {
		t.Errorf("statuses %v", got)
	}
	var warned []string
	for _, r := range res {
		if r.Warn {
			warned = append(warned, r.Target)
		}
	}
	if !reflect.DeepEqual(warned, []string{manifest}) {
		t.Errorf("warnings for %v, want only the changed manifest", warned)
	}
	for _, f := range []string{manifest, mine} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s removed: %v", f, err)
		}
	}
}

func TestUninstallTouchesNothingTheRecordDoesNotList(t *testing.T) {
	skipUnlessLinux(t)
	home := t.TempDir()
	other := filepath.Join(home, ".config", "chromium", "NativeMessagingHosts", "jp.mynaconnect.host.json")
	os.MkdirAll(filepath.Dir(other), 0o755)
	os.WriteFile(other, []byte("{}"), 0o644)
	recPath := filepath.Join(home, "install-record.json")
	rec := record.New("linux", "user")
	// A record naming a file with other content, and a non-empty directory.
	rec.AddFile(other, digest([]byte("something else")))
	rec.AddDir(filepath.Join(home, ".config"))
	if err := record.Save(recPath, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := Uninstall(recPath, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a file with other content was removed: %v", err)
	}
}

func TestInstallFailsClearlyWithoutTheHostBinary(t *testing.T) {
	skipUnlessLinux(t)
	home, p := setup(t)
	p.Actions[0].Source = filepath.Join(home, "no-such-host")
	_, err := Install(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(p.RecordPath); err == nil {
		t.Error("a record was written for an install that did nothing")
	}
}

func TestInstallRefusesAPlanForAnotherSystem(t *testing.T) {
	other := "windows"
	if runtime.GOOS == "windows" {
		other = "linux"
	}
	if _, err := Install(plan.Plan{OS: other}, Options{}); err == nil {
		t.Error("a plan for another system was applied")
	}
}

// The registry half of install and uninstall runs against winreg.Memory:
// a plan with registry actions, as Windows plans have.
func TestRegistryKeysAreSetOnceAndRemovedWithTheParentsTheyNeeded(t *testing.T) {
	skipUnlessLinux(t)
	dir := t.TempDir()
	manifest := filepath.Join(dir, "jp.mynaconnect.host-chrome.json")
	chrome := browsers.RegKey{Root: "HKCU", Path: `Software\Google\Chrome\NativeMessagingHosts\jp.mynaconnect.host`}
	edge := browsers.RegKey{Root: "HKCU", Path: `Software\Microsoft\Edge\NativeMessagingHosts\jp.mynaconnect.host`}
	p := plan.Plan{OS: "linux", RecordPath: filepath.Join(dir, "install-record.json"), Actions: []plan.Action{
		{Kind: plan.WriteFile, Path: manifest, Content: []byte("{}"), Mode: 0o644},
		{Kind: plan.SetRegistry, Key: chrome, Path: manifest, For: []string{"Google Chrome"}},
		{Kind: plan.SetRegistry, Key: edge, Path: manifest, For: []string{"Microsoft Edge"}},
	}}
	// Chrome is installed (its key exists); Edge has never run.
	reg := winreg.NewMemory(`HKCU\Software\Google\Chrome`, `HKCU\Software\Microsoft`)
	before := reg.Keys()

	res, err := Install(p, Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(res); got[chrome.String()] != Created || got[edge.String()] != Created {
		t.Errorf("install: %v", got)
	}
	if v, ok, _ := reg.Get(edge); !ok || v != manifest {
		t.Errorf("edge key = %q, %v", v, ok)
	}
	res, _ = Install(p, Options{Registry: reg})
	for _, r := range res {
		if r.Status != Unchanged {
			t.Errorf("second install: %s", r)
		}
	}

	// Someone points Edge's key elsewhere: uninstall leaves that one.
	reg.Set(edge, `C:\other.json`)
	res, err = Uninstall(p.RecordPath, Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(res); got[chrome.String()] != Removed || got[edge.String()] != Kept {
		t.Errorf("uninstall: %v", got)
	}
	reg.Delete(edge)
	got := reg.Keys()
	sort.Strings(before)
	// What is left is what was there, plus Edge's parents, which were
	// not empty when uninstall looked (the foreign value's key was there).
	for _, k := range before {
		if !contains(got, k) {
			t.Errorf("key %s removed", k)
		}
	}
	if contains(got, `HKCU\Software\Google\Chrome\NativeMessagingHosts`) {
		t.Errorf("the NativeMessagingHosts key the install created is still there: %v", got)
	}
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func TestPreviewListsEveryTargetOfAWindowsPlan(t *testing.T) {
	p, err := plan.Compute(plan.Input{Env: browsers.ExampleEnv("windows"), Scope: browsers.User,
		Browsers: []browsers.ID{browsers.Chrome, browsers.Firefox}, HostSource: "/src/mynaconnect-host.exe",
		ExtensionIDs: []string{manifesttemplates.DevelopmentExtensionID()}, AddonIDs: []string{manifesttemplates.GeckoID}})
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, r := range Preview(p) {
		targets = append(targets, r.Target)
		if r.Status != WouldCreate {
			t.Errorf("%s", r)
		}
	}
	want := []string{
		`C:\Users\you\AppData\Local\MynaConnect\mynaconnect-host.exe`,
		`C:\Users\you\AppData\Local\MynaConnect\jp.mynaconnect.host-chrome.json`,
		`C:\Users\you\AppData\Local\MynaConnect\jp.mynaconnect.host-firefox.json`,
		`HKCU\Software\Google\Chrome\NativeMessagingHosts\jp.mynaconnect.host`,
		`HKCU\Software\Mozilla\NativeMessagingHosts\jp.mynaconnect.host`,
		`C:\Users\you\AppData\Local\MynaConnect\install-record.json`,
	}
	if !reflect.DeepEqual(targets, want) {
		t.Errorf("targets\n%q\nwant\n%q", targets, want)
	}
}
