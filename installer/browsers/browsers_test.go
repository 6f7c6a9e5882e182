package browsers

import (
	"reflect"
	"strings"
	"testing"
)

func TestTargetsForEveryOperatingSystemScopeAndBrowser(t *testing.T) {
	linux := Env{OS: "linux", Home: "/home/a"}
	darwin := Env{OS: "darwin", Home: "/Users/a"}
	windows := Env{OS: "windows", Home: `C:\Users\a`}
	dir := func(d string) []Target { return []Target{{Dir: d}} }
	keys := func(root string, vendors ...string) []Target {
		var ts []Target
		for _, v := range vendors {
			ts = append(ts, Target{Key: RegKey{Root: root, Path: `Software\` + v + `\NativeMessagingHosts\jp.mynaconnect.host`}})
		}
		return ts
	}
	tests := []struct {
		env     Env
		scope   Scope
		browser ID
		want    []Target
	}{
		{linux, User, Chrome, dir("/home/a/.config/google-chrome/NativeMessagingHosts")},
		{linux, User, Chromium, dir("/home/a/.config/chromium/NativeMessagingHosts")},
		{linux, User, Edge, dir("/home/a/.config/microsoft-edge/NativeMessagingHosts")},
		{linux, User, Brave, dir("/home/a/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts")},
		{linux, User, Vivaldi, dir("/home/a/.config/vivaldi/NativeMessagingHosts")},
		{linux, User, Firefox, dir("/home/a/.mozilla/native-messaging-hosts")},
		{Env{OS: "linux", Home: "/home/a", XDGConfigHome: "/xdg"}, User, Chromium, dir("/xdg/chromium/NativeMessagingHosts")},
		{Env{OS: "linux", Home: "/home/a", XDGConfigHome: "/xdg", ChromeConfigHome: "/cch"}, User, Brave,
			dir("/cch/BraveSoftware/Brave-Browser/NativeMessagingHosts")},
		{Env{OS: "linux", Home: "/home/a", XDGConfigHome: "/xdg"}, User, Firefox, dir("/home/a/.mozilla/native-messaging-hosts")},
		{linux, System, Chrome, dir("/etc/opt/chrome/native-messaging-hosts")},
		{linux, System, Chromium, dir("/etc/chromium/native-messaging-hosts")},
		{linux, System, Edge, dir("/etc/opt/edge/native-messaging-hosts")},
		{linux, System, Brave, dir("/etc/opt/brave/native-messaging-hosts")},
		{linux, System, Vivaldi, dir("/etc/opt/vivaldi/native-messaging-hosts")},
		{linux, System, Firefox, dir("/usr/lib/mozilla/native-messaging-hosts")},

		{darwin, User, Chrome, dir("/Users/a/Library/Application Support/Google/Chrome/NativeMessagingHosts")},
		{darwin, User, Chromium, dir("/Users/a/Library/Application Support/Chromium/NativeMessagingHosts")},
		{darwin, User, Edge, dir("/Users/a/Library/Application Support/Microsoft Edge/NativeMessagingHosts")},
		{darwin, User, Brave, dir("/Users/a/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts")},
		{darwin, User, Vivaldi, dir("/Users/a/Library/Application Support/Vivaldi/NativeMessagingHosts")},
		{darwin, User, Firefox, dir("/Users/a/Library/Application Support/Mozilla/NativeMessagingHosts")},
		{darwin, System, Chrome, dir("/Library/Google/Chrome/NativeMessagingHosts")},
		{darwin, System, Chromium, dir("/Library/Application Support/Chromium/NativeMessagingHosts")},
		{darwin, System, Edge, dir("/Library/Microsoft/Edge/NativeMessagingHosts")},
		{darwin, System, Brave, dir("/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts")},
		{darwin, System, Vivaldi, dir("/Library/Application Support/Vivaldi/NativeMessagingHosts")},
		{darwin, System, Firefox, dir("/Library/Application Support/Mozilla/NativeMessagingHosts")},

		{windows, User, Chrome, keys("HKCU", `Google\Chrome`)},
		{windows, User, Chromium, keys("HKCU", `Chromium`, `Google\Chrome`)},
		{windows, User, Edge, keys("HKCU", `Microsoft\Edge`)},
		{windows, User, Brave, keys("HKCU", `BraveSoftware\Brave-Browser`, `Google\Chrome`)},
		{windows, User, Vivaldi, keys("HKCU", `Google\Chrome`)},
		{windows, User, Firefox, keys("HKCU", `Mozilla`)},
		{windows, System, Chrome, keys("HKLM", `Google\Chrome`)},
		{windows, System, Edge, keys("HKLM", `Microsoft\Edge`)},
		{windows, System, Firefox, keys("HKLM", `Mozilla`)},
	}
	for _, tt := range tests {
		t.Run(tt.env.OS+"/"+string(tt.scope)+"/"+string(tt.browser), func(t *testing.T) {
			got, err := Targets(tt.env, tt.scope, tt.browser)
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.want {
				tt.want[i].Browser = tt.browser
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Targets = %+v\nwant      %+v", got, tt.want)
			}
		})
	}
}

func TestTargetsRefuseWhatCannotBeComputed(t *testing.T) {
	for name, tt := range map[string]struct {
		env   Env
		scope Scope
		id    ID
	}{
		"unknown OS":       {Env{OS: "plan9", Home: "/usr/a"}, User, Chrome},
		"relative home":    {Env{OS: "linux", Home: "home/a"}, User, Chrome},
		"posix home on NT": {Env{OS: "windows", Home: "/home/a"}, User, Chrome},
		"unknown browser":  {Env{OS: "linux", Home: "/home/a"}, User, "netscape"},
		"unknown scope":    {Env{OS: "linux", Home: "/home/a"}, "machine", Chrome},
	} {
		if _, err := Targets(tt.env, tt.scope, tt.id); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// System scope does not need a home.
	if _, err := Targets(Env{OS: "linux"}, System, Chrome); err != nil {
		t.Errorf("system scope without home: %v", err)
	}
}

func TestFromEnvironIgnoresRelativeAndOverriddenDirectories(t *testing.T) {
	env := map[string]string{
		"XDG_CONFIG_HOME":    "/xdg/config",
		"XDG_DATA_HOME":      "relative/data",
		"CHROME_CONFIG_HOME": "/chrome",
		"LOCALAPPDATA":       `C:\Users\a\AppData\Local`,
	}
	getenv := func(k string) string { return env[k] }
	got := FromEnviron("linux", "/home/a", false, getenv)
	want := Env{OS: "linux", Home: "/home/a", XDGConfigHome: "/xdg/config", ChromeConfigHome: "/chrome"}
	if got != want {
		t.Errorf("FromEnviron = %+v, want %+v", got, want)
	}
	// --home: nothing per-user from the environment.
	if got := FromEnviron("linux", "/tmp/h", true, getenv); got != (Env{OS: "linux", Home: "/tmp/h"}) {
		t.Errorf("FromEnviron with --home = %+v", got)
	}
	if got := FromEnviron("windows", `C:\Users\a`, false, getenv); got.LocalAppData != `C:\Users\a\AppData\Local` || got.XDGConfigHome != "" {
		t.Errorf("FromEnviron(windows) = %+v", got)
	}
}

func TestDetectFindsBrowsersByProfileOrProgram(t *testing.T) {
	tests := []struct {
		name    string
		env     Env
		present []string
		found   []Found
		sandbox []Sandboxed
	}{
		{"nothing", Env{OS: "linux", Home: "/home/a"}, nil, nil, nil},
		{"linux profiles and programs", Env{OS: "linux", Home: "/home/a"},
			[]string{"/home/a/.config/chromium", "/usr/lib/firefox-esr/firefox-esr", "/opt/brave.com/brave/brave"},
			[]Found{{Chromium, "/home/a/.config/chromium"}, {Brave, "/opt/brave.com/brave/brave"},
				{Firefox, "/usr/lib/firefox-esr/firefox-esr"}}, nil},
		{"linux CHROME_CONFIG_HOME", Env{OS: "linux", Home: "/home/a", ChromeConfigHome: "/c"},
			[]string{"/c/google-chrome", "/home/a/.config/google-chrome"},
			[]Found{{Chrome, "/c/google-chrome"}}, nil},
		{"linux snap and flatpak", Env{OS: "linux", Home: "/home/a"},
			[]string{"/snap/bin/firefox", "/home/a/.var/app/org.chromium.Chromium", "/var/lib/flatpak/app/org.chromium.Chromium"},
			nil, []Sandboxed{{Firefox, "Snap", "/snap/bin/firefox"},
				{Chromium, "Flatpak", "/var/lib/flatpak/app/org.chromium.Chromium"}}},
		{"darwin", Env{OS: "darwin", Home: "/Users/a"},
			[]string{"/Applications/Google Chrome.app", "/Users/a/Library/Application Support/Firefox", "/snap/bin/firefox"},
			[]Found{{Chrome, "/Applications/Google Chrome.app"}, {Firefox, "/Users/a/Library/Application Support/Firefox"}}, nil},
		{"windows", Env{OS: "windows", Home: `C:\Users\a`},
			[]string{`C:\Users\a\AppData\Local\Microsoft\Edge\User Data`, `C:\Program Files\Mozilla Firefox\firefox.exe`},
			[]Found{{Edge, `C:\Users\a\AppData\Local\Microsoft\Edge\User Data`}, {Firefox, `C:\Program Files\Mozilla Firefox\firefox.exe`}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exists := func(p string) bool {
				for _, q := range tt.present {
					if p == q {
						return true
					}
				}
				return false
			}
			found, sandboxed := Detect(tt.env, exists)
			if !reflect.DeepEqual(found, tt.found) {
				t.Errorf("found %+v, want %+v", found, tt.found)
			}
			if !reflect.DeepEqual(sandboxed, tt.sandbox) {
				t.Errorf("sandboxed %+v, want %+v", sandboxed, tt.sandbox)
			}
		})
	}
}

func TestSandboxWarningSaysWhyAndWhatToDo(t *testing.T) {
	w := Sandboxed{Browser: Firefox, Kind: "Snap", Evidence: "/snap/bin/firefox"}.Warning()
	for _, want := range []string{"Firefox", "Snap", "/snap/bin/firefox", "cannot reach", "apt-get install firefox-esr"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q lacks %q", w, want)
		}
	}
}
