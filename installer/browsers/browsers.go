// Package browsers knows where each supported browser looks for a native
// messaging host manifest, on Linux, macOS and Windows, per user and
// system-wide, and how to tell which browsers are installed. Everything but
// OnDisk is pure: it computes paths and registry keys from an Env, so the
// rules of all three systems are unit-tested on any one of them.
package browsers

import (
	"fmt"

	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// ID names a browser on the command line and in the install record.
type ID string

// The supported browsers.
const (
	Chrome   ID = "chrome"
	Chromium ID = "chromium"
	Edge     ID = "edge"
	Brave    ID = "brave"
	Vivaldi  ID = "vivaldi"
	Firefox  ID = "firefox"
)

// Family says which host manifest a browser reads.
type Family string

const (
	// ChromeFamily browsers read allowed_origins (chrome-extension://<id>/).
	ChromeFamily Family = "chrome"
	// FirefoxFamily browsers read allowed_extensions (the gecko id).
	FirefoxFamily Family = "firefox"
)

// Browser is one supported browser.
type Browser struct {
	ID     ID
	Name   string // for people
	Family Family
}

var all = []Browser{
	{Chrome, "Google Chrome", ChromeFamily},
	{Chromium, "Chromium", ChromeFamily},
	{Edge, "Microsoft Edge", ChromeFamily},
	{Brave, "Brave", ChromeFamily},
	{Vivaldi, "Vivaldi", ChromeFamily},
	{Firefox, "Firefox", FirefoxFamily},
}

// All returns every supported browser, in the order they are reported.
func All() []Browser { return append([]Browser(nil), all...) }

// Lookup returns the browser with this id.
func Lookup(id ID) (Browser, bool) {
	for _, b := range all {
		if b.ID == id {
			return b, true
		}
	}
	return Browser{}, false
}

// Name returns the browser's name for people, or the id itself.
func (id ID) Name() string {
	if b, ok := Lookup(id); ok {
		return b.Name
	}
	return string(id)
}

// Scope is whose browsers an install serves.
type Scope string

const (
	// User installs for the person running the installer; no privileges.
	User Scope = "user"
	// System installs for every user of the machine; needs root or an
	// administrator.
	System Scope = "system"
)

// ManifestFile is the file name browsers look for in a manifest directory.
const ManifestFile = manifesttemplates.HostName + ".json"

// RegKey is a Windows registry key.
type RegKey struct {
	Root string // "HKCU" or "HKLM"
	Path string // below Root, `\`-separated, without a leading `\`
}

func (k RegKey) String() string { return k.Root + `\` + k.Path }

// Target is one place where a browser looks for the host manifest: a
// directory holding ManifestFile (Linux, macOS), or a registry key whose
// default value is the manifest file's path (Windows; the file itself may
// be anywhere, so the installer chooses where).
type Target struct {
	Browser ID
	Dir     string // Linux and macOS
	Key     RegKey // Windows
}

// Targets returns where browser id looks for the host manifest on env's
// operating system in this scope. Several browsers can share a target
// (Windows Brave, Vivaldi and Chromium read Chrome's key).
func Targets(env Env, scope Scope, id ID) ([]Target, error) {
	if err := env.check(scope); err != nil {
		return nil, err
	}
	if _, ok := Lookup(id); !ok {
		return nil, fmt.Errorf("browsers: unknown browser %q", id)
	}
	var rel []string
	switch env.OS {
	case "linux":
		rel = linuxDirs(env, scope)[id]
	case "darwin":
		rel = darwinDirs(env, scope)[id]
	case "windows":
		root := "HKCU"
		if scope == System {
			root = "HKLM"
		}
		var ts []Target
		for _, vendor := range windowsKeys[id] {
			ts = append(ts, Target{Browser: id, Key: RegKey{Root: root,
				Path: `Software\` + vendor + `\NativeMessagingHosts\` + manifesttemplates.HostName}})
		}
		return ts, nil
	}
	var ts []Target
	for _, d := range rel {
		ts = append(ts, Target{Browser: id, Dir: d})
	}
	return ts, nil
}
