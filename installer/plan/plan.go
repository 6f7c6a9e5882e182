// Package plan computes what an install does: which file to copy where,
// which manifests to write with which content, which registry keys to set.
// Compute is a pure function of its Input, with no access to the disk or the
// registry, so the installer's behaviour on Linux, macOS and Windows is
// unit-tested on any of them, and a dry run can show a Windows install on
// Linux. Package apply carries a plan out.
package plan

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/ospath"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// HostBinary is the host program's name, without .exe.
const HostBinary = "mynaconnect-host"

// RecordFile is the install record's file name in the install directory.
const RecordFile = "install-record.json"

// Input is everything an install depends on.
type Input struct {
	Env   browsers.Env
	Scope browsers.Scope
	// Browsers get a host manifest where they look for one.
	Browsers []browsers.ID
	// UserDataDirs are Chromium-family user data directories (what the
	// browser's --user-data-dir names) that get a manifest of their own
	// in <dir>/NativeMessagingHosts: a browser started with
	// --user-data-dir reads that one. Linux and macOS only.
	UserDataDirs []string
	// HostSource is the host binary to install, a path on this machine.
	HostSource string
	// ExtensionIDs are the Chromium extension ids the Chrome-family
	// manifest allows; AddonIDs the Firefox add-on ids. Both required when
	// a browser of that family is in the plan.
	ExtensionIDs []string
	AddonIDs     []string
}

// Kind is what an action does.
type Kind string

const (
	// CopyBinary copies Source to Path, executable.
	CopyBinary Kind = "copy"
	// WriteFile writes Content to Path.
	WriteFile Kind = "write"
	// SetRegistry sets Key's default value to Path (Windows).
	SetRegistry Kind = "registry"
)

// Action is one change an install makes.
type Action struct {
	Kind    Kind
	Path    string      // the file written, or the file a registry key names
	Source  string      // CopyBinary: the file copied
	Content []byte      // WriteFile: the file's content
	Mode    fs.FileMode // CopyBinary and WriteFile
	Key     browsers.RegKey
	// For says whom the action serves, for people: browser names, or
	// "Chromium-family profile <dir>".
	For []string
}

// Target is the path or key the action changes, as printed.
func (a Action) Target() string {
	if a.Kind == SetRegistry {
		return a.Key.String()
	}
	return a.Path
}

// Plan is a computed install.
type Plan struct {
	OS         string
	Scope      browsers.Scope
	InstallDir string // the host binary's directory, and the record's
	HostPath   string // the installed host binary
	RecordPath string // the install record
	Actions    []Action
}

// InstallDir is where the host binary and the install record go.
func InstallDir(env browsers.Env, scope browsers.Scope) (string, error) {
	if _, err := browsers.Targets(env, scope, browsers.Chrome); err != nil {
		return "", err // the same checks: OS, scope, home
	}
	j := func(elem ...string) string { return ospath.Join(env.OS, elem...) }
	switch {
	case env.OS == "linux" && scope == browsers.User:
		return j(env.DataHome(), "mynaconnect"), nil
	case env.OS == "linux":
		return "/usr/local/lib/mynaconnect", nil
	case env.OS == "darwin" && scope == browsers.User:
		return j(env.Home, "Library", "Application Support", "MynaConnect"), nil
	case env.OS == "darwin":
		return "/Library/Application Support/MynaConnect", nil
	case scope == browsers.User:
		return j(env.LocalAppDataDir(), "MynaConnect"), nil
	}
	return j(env.ProgramFilesDir(), "MynaConnect"), nil
}

// RecordPath is where the install record of env's scope lives; uninstall
// reads it from here.
func RecordPath(env browsers.Env, scope browsers.Scope) (string, error) {
	dir, err := InstallDir(env, scope)
	if err != nil {
		return "", err
	}
	return ospath.Join(env.OS, dir, RecordFile), nil
}

// hostPath is the installed host binary. On Linux per user it sits in a
// bin/ of its own, apart from the record.
func hostPath(env browsers.Env, scope browsers.Scope, dir string) string {
	if env.OS == "linux" && scope == browsers.User {
		return ospath.Join(env.OS, dir, "bin", HostBinary)
	}
	return ospath.Join(env.OS, dir, ospath.Exe(env.OS, HostBinary))
}

// Compute returns the plan for in.
func Compute(in Input) (Plan, error) {
	dir, err := InstallDir(in.Env, in.Scope)
	if err != nil {
		return Plan{}, fmt.Errorf("plan: %w", err)
	}
	goos := in.Env.OS
	p := Plan{OS: goos, Scope: in.Scope, InstallDir: dir, HostPath: hostPath(in.Env, in.Scope, dir),
		RecordPath: ospath.Join(goos, dir, RecordFile)}
	if in.HostSource == "" {
		return Plan{}, fmt.Errorf("plan: no host binary to install")
	}
	p.Actions = append(p.Actions, Action{Kind: CopyBinary, Path: p.HostPath, Source: in.HostSource, Mode: 0o755,
		For: []string{"every browser"}})

	families := map[browsers.Family][]browsers.ID{}
	for _, id := range in.Browsers {
		b, ok := browsers.Lookup(id)
		if !ok {
			return Plan{}, fmt.Errorf("plan: unknown browser %q", id)
		}
		if !slices.Contains(families[b.Family], id) {
			families[b.Family] = append(families[b.Family], id)
		}
	}
	if len(in.UserDataDirs) > 0 && goos == "windows" {
		return Plan{}, fmt.Errorf("plan: per-profile manifests (--user-data-dir) do not exist on Windows, where browsers read the registry")
	}
	chromeWanted := len(families[browsers.ChromeFamily]) > 0 || len(in.UserDataDirs) > 0
	manifests := map[browsers.Family][]byte{}
	if chromeWanted {
		for _, id := range in.ExtensionIDs {
			if !manifesttemplates.ValidExtensionID(id) {
				return Plan{}, fmt.Errorf("plan: %q is not a Chromium extension id (32 letters a to p)", id)
			}
		}
		if manifests[browsers.ChromeFamily], err = manifesttemplates.ChromeHostFor(goos, p.HostPath, in.ExtensionIDs...); err != nil {
			return Plan{}, fmt.Errorf("plan: Chrome-family manifest: %w", err)
		}
	}
	if len(families[browsers.FirefoxFamily]) > 0 {
		if manifests[browsers.FirefoxFamily], err = manifesttemplates.FirefoxHostFor(goos, p.HostPath, in.AddonIDs...); err != nil {
			return Plan{}, fmt.Errorf("plan: Firefox manifest: %w", err)
		}
	}

	if goos == "windows" {
		p.Actions = append(p.Actions, windowsActions(in, dir, families, manifests)...)
		return p, nil
	}
	// One manifest file per directory; browsers sharing a directory share it.
	var files []Action
	add := func(path string, content []byte, who string) {
		for i := range files {
			if files[i].Path == path {
				files[i].For = append(files[i].For, who)
				return
			}
		}
		files = append(files, Action{Kind: WriteFile, Path: path, Content: content, Mode: 0o644, For: []string{who}})
	}
	for _, b := range browsers.All() {
		if !slices.Contains(in.Browsers, b.ID) {
			continue
		}
		ts, err := browsers.Targets(in.Env, in.Scope, b.ID)
		if err != nil {
			return Plan{}, fmt.Errorf("plan: %w", err)
		}
		for _, t := range ts {
			add(ospath.Join(goos, t.Dir, browsers.ManifestFile), manifests[b.Family], b.Name)
		}
	}
	for _, d := range in.UserDataDirs {
		if ok, _ := manifesttemplates.IsAbsFor(goos, d); !ok {
			return Plan{}, fmt.Errorf("plan: user data directory %q is not absolute", d)
		}
		add(ospath.Join(goos, d, "NativeMessagingHosts", browsers.ManifestFile), manifests[browsers.ChromeFamily],
			"Chromium-family profile "+d)
	}
	p.Actions = append(p.Actions, files...)
	return p, nil
}

// windowsActions writes one manifest file per family into the install
// directory and points each browser's registry key at it. Keys shared by
// several browsers (Google Chrome's) are set once.
func windowsActions(in Input, dir string, families map[browsers.Family][]browsers.ID, manifests map[browsers.Family][]byte) []Action {
	var files, keys []Action
	file := map[browsers.Family]string{}
	for _, f := range []browsers.Family{browsers.ChromeFamily, browsers.FirefoxFamily} {
		if len(families[f]) == 0 {
			continue
		}
		file[f] = ospath.Join("windows", dir, strings.TrimSuffix(browsers.ManifestFile, ".json")+"-"+string(f)+".json")
		var who []string
		for _, id := range families[f] {
			who = append(who, id.Name())
		}
		files = append(files, Action{Kind: WriteFile, Path: file[f], Content: manifests[f], Mode: 0o644, For: who})
	}
	for _, b := range browsers.All() {
		if !slices.Contains(in.Browsers, b.ID) {
			continue
		}
		ts, _ := browsers.Targets(in.Env, in.Scope, b.ID) // checked by InstallDir
	next:
		for _, t := range ts {
			for i := range keys {
				if keys[i].Key == t.Key {
					keys[i].For = append(keys[i].For, b.Name)
					continue next
				}
			}
			keys = append(keys, Action{Kind: SetRegistry, Key: t.Key, Path: file[b.Family], For: []string{b.Name}})
		}
	}
	return append(files, keys...)
}
