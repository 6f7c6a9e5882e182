package browsers

import (
	"fmt"
	"os"
)

// Found is a browser that looks installed, and why the installer thinks so.
type Found struct {
	Browser  ID
	Evidence string // the directory or program that was there
}

// Sandboxed is a browser installed as a Snap or a Flatpak. Its sandbox
// does not let it start programs outside, so it cannot reach the host
// however the manifests are written.
type Sandboxed struct {
	Browser  ID
	Kind     string // "Snap" or "Flatpak"
	Evidence string
}

// Detect reports which browsers look installed on env's system: a browser
// counts when its profile directory or its program exists. exists is
// os.Stat in practice (OnDisk); tests pass a fake.
//
// Detection is deliberately generous: a manifest for a browser that turns
// out not to be there costs one small file, a missing one costs a browser
// that cannot log in.
func Detect(env Env, exists func(string) bool) (found []Found, sandboxed []Sandboxed) {
	markers := markersFor(env)
	for _, b := range all {
		for _, m := range markers[b.ID] {
			if exists(m) {
				found = append(found, Found{Browser: b.ID, Evidence: m})
				break
			}
		}
	}
	if env.OS == "linux" {
		seen := map[Sandboxed]bool{}
		for _, s := range linuxSandboxes(env) {
			key := Sandboxed{Browser: s.Browser, Kind: s.Kind}
			if !seen[key] && exists(s.Evidence) {
				seen[key] = true
				sandboxed = append(sandboxed, s)
			}
		}
	}
	return found, sandboxed
}

// OnDisk reports whether path exists on this machine.
func OnDisk(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func markersFor(e Env) map[ID][]string {
	switch e.OS {
	case "linux":
		m := map[ID][]string{
			// Not /usr/bin/firefox or /usr/bin/chromium-browser: on
			// Ubuntu those are wrappers that start the Snap.
			Chrome:   {"/opt/google/chrome/chrome"},
			Chromium: {"/usr/lib/chromium/chromium", "/usr/bin/chromium"},
			Edge:     {"/opt/microsoft/msedge/msedge"},
			Brave:    {"/opt/brave.com/brave/brave"},
			Vivaldi:  {"/opt/vivaldi/vivaldi"},
			Firefox: {e.join(e.Home, ".mozilla", "firefox"),
				"/usr/lib/firefox-esr/firefox-esr", "/usr/lib/firefox/firefox"},
		}
		for id, rel := range userDataDirsLinux {
			profile := e.join(append([]string{e.chromeConfig()}, rel...)...)
			m[id] = append([]string{profile}, m[id]...)
		}
		return m
	case "darwin":
		m := map[ID][]string{}
		apps := map[ID]string{Chrome: "Google Chrome.app", Chromium: "Chromium.app", Edge: "Microsoft Edge.app",
			Brave: "Brave Browser.app", Vivaldi: "Vivaldi.app", Firefox: "Firefox.app"}
		for id, rel := range appSupportDarwin {
			if id == Firefox {
				rel = []string{"Firefox"} // the profiles; Mozilla/ holds only manifests
			}
			m[id] = []string{
				e.join(append([]string{e.Home, "Library", "Application Support"}, rel...)...),
				e.join("/Applications", apps[id]),
				e.join(e.Home, "Applications", apps[id]),
			}
		}
		return m
	case "windows":
		local, pf, pf86 := e.LocalAppDataDir(), e.ProgramFilesDir(), e.programFilesX86Dir()
		return map[ID][]string{
			Chrome: {e.join(local, `Google\Chrome\User Data`), e.join(pf, `Google\Chrome\Application\chrome.exe`),
				e.join(pf86, `Google\Chrome\Application\chrome.exe`)},
			Chromium: {e.join(local, `Chromium\User Data`)},
			Edge: {e.join(local, `Microsoft\Edge\User Data`), e.join(pf86, `Microsoft\Edge\Application\msedge.exe`),
				e.join(pf, `Microsoft\Edge\Application\msedge.exe`)},
			Brave: {e.join(local, `BraveSoftware\Brave-Browser\User Data`),
				e.join(pf, `BraveSoftware\Brave-Browser\Application\brave.exe`)},
			Vivaldi: {e.join(local, `Vivaldi\User Data`), e.join(local, `Vivaldi\Application\vivaldi.exe`)},
			Firefox: {e.join(e.Home, `AppData\Roaming\Mozilla\Firefox`), e.join(pf, `Mozilla Firefox\firefox.exe`)},
		}
	}
	return nil
}

// flatpakIDs are the browsers' Flatpak application ids (Flathub).
var flatpakIDs = []struct {
	browser ID
	app     string
}{
	{Chrome, "com.google.Chrome"},
	{Chromium, "org.chromium.Chromium"},
	{Edge, "com.microsoft.Edge"},
	{Brave, "com.brave.Browser"},
	{Vivaldi, "com.vivaldi.Vivaldi"},
	{Firefox, "org.mozilla.firefox"},
}

// linuxSandboxes lists where a Snap or Flatpak browser shows: its command
// in /snap/bin, its Flatpak installation (per user or system-wide), or the
// per-app data directory Flatpak gives it in ~/.var/app.
func linuxSandboxes(e Env) []Sandboxed {
	var s []Sandboxed
	for _, snap := range []struct {
		browser ID
		cmd     string
	}{{Chromium, "chromium"}, {Firefox, "firefox"}, {Brave, "brave"}} {
		s = append(s, Sandboxed{Browser: snap.browser, Kind: "Snap", Evidence: "/snap/bin/" + snap.cmd})
	}
	for _, f := range flatpakIDs {
		for _, dir := range []string{
			e.join(e.DataHome(), "flatpak", "app", f.app),
			e.join("/var/lib/flatpak/app", f.app),
			e.join(e.Home, ".var", "app", f.app),
		} {
			s = append(s, Sandboxed{Browser: f.browser, Kind: "Flatpak", Evidence: dir})
		}
	}
	return s
}

// Warning explains, in plain words, why this browser cannot use MynaConnect
// and what to do instead.
func (s Sandboxed) Warning() string {
	return fmt.Sprintf("%s is installed as a %s (%s). %s browsers run in a sandbox that cannot start "+
		"programs outside it, so they cannot reach the MynaConnect host. Install %s from your "+
		"distribution's packages (on Debian: sudo apt-get install %s) or from its vendor's .deb, and use that one.",
		s.Browser.Name(), s.Kind, s.Evidence, s.Kind, s.Browser.Name(), debianPackage[s.Browser])
}

// debianPackage is the package that gives a browser outside any sandbox.
var debianPackage = map[ID]string{
	Chrome: "google-chrome-stable", Chromium: "chromium", Edge: "microsoft-edge-stable",
	Brave: "brave-browser", Vivaldi: "vivaldi-stable", Firefox: "firefox-esr",
}
