package plan

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

var allBrowsers = []browsers.ID{browsers.Chrome, browsers.Chromium, browsers.Edge, browsers.Brave, browsers.Vivaldi, browsers.Firefox}

// step is an action as the tests compare it: what it changes, and for whom.
type step struct {
	kind   Kind
	target string
	path   string // the file a registry key names
	who    string
}

func steps(p Plan) []step {
	var s []step
	for _, a := range p.Actions {
		st := step{kind: a.Kind, target: a.Target(), who: strings.Join(a.For, ", ")}
		if a.Kind == SetRegistry {
			st.path = a.Path
		}
		s = append(s, st)
	}
	return s
}

func TestComputeForEveryOperatingSystemAndScope(t *testing.T) {
	const mh = "jp.mynaconnect.host.json"
	tests := []struct {
		name       string
		in         Input
		hostPath   string
		recordPath string
		want       []step
	}{
		{
			name:       "linux user, all browsers",
			in:         Input{Env: browsers.Env{OS: "linux", Home: "/home/a"}, Scope: browsers.User, Browsers: allBrowsers},
			hostPath:   "/home/a/.local/share/mynaconnect/bin/mynaconnect-host",
			recordPath: "/home/a/.local/share/mynaconnect/install-record.json",
			want: []step{
				{kind: CopyBinary, target: "/home/a/.local/share/mynaconnect/bin/mynaconnect-host", who: "every browser"},
				{kind: WriteFile, target: "/home/a/.config/google-chrome/NativeMessagingHosts/" + mh, who: "Google Chrome"},
				{kind: WriteFile, target: "/home/a/.config/chromium/NativeMessagingHosts/" + mh, who: "Chromium"},
				{kind: WriteFile, target: "/home/a/.config/microsoft-edge/NativeMessagingHosts/" + mh, who: "Microsoft Edge"},
				{kind: WriteFile, target: "/home/a/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/" + mh, who: "Brave"},
				{kind: WriteFile, target: "/home/a/.config/vivaldi/NativeMessagingHosts/" + mh, who: "Vivaldi"},
				{kind: WriteFile, target: "/home/a/.mozilla/native-messaging-hosts/" + mh, who: "Firefox"},
			},
		},
		{
			name: "linux user, XDG directories and a test profile",
			in: Input{Env: browsers.Env{OS: "linux", Home: "/home/a", XDGDataHome: "/data", XDGConfigHome: "/cfg"},
				Scope: browsers.User, Browsers: []browsers.ID{browsers.Chromium}, UserDataDirs: []string{"/tmp/profile"}},
			hostPath:   "/data/mynaconnect/bin/mynaconnect-host",
			recordPath: "/data/mynaconnect/install-record.json",
			want: []step{
				{kind: CopyBinary, target: "/data/mynaconnect/bin/mynaconnect-host", who: "every browser"},
				{kind: WriteFile, target: "/cfg/chromium/NativeMessagingHosts/" + mh, who: "Chromium"},
				{kind: WriteFile, target: "/tmp/profile/NativeMessagingHosts/" + mh, who: "Chromium-family profile /tmp/profile"},
			},
		},
		{
			name:       "linux system",
			in:         Input{Env: browsers.Env{OS: "linux"}, Scope: browsers.System, Browsers: []browsers.ID{browsers.Chrome, browsers.Firefox}},
			hostPath:   "/usr/local/lib/mynaconnect/mynaconnect-host",
			recordPath: "/usr/local/lib/mynaconnect/install-record.json",
			want: []step{
				{kind: CopyBinary, target: "/usr/local/lib/mynaconnect/mynaconnect-host", who: "every browser"},
				{kind: WriteFile, target: "/etc/opt/chrome/native-messaging-hosts/" + mh, who: "Google Chrome"},
				{kind: WriteFile, target: "/usr/lib/mozilla/native-messaging-hosts/" + mh, who: "Firefox"},
			},
		},
		{
			name:       "darwin user",
			in:         Input{Env: browsers.Env{OS: "darwin", Home: "/Users/a"}, Scope: browsers.User, Browsers: []browsers.ID{browsers.Edge, browsers.Firefox}},
			hostPath:   "/Users/a/Library/Application Support/MynaConnect/mynaconnect-host",
			recordPath: "/Users/a/Library/Application Support/MynaConnect/install-record.json",
			want: []step{
				{kind: CopyBinary, target: "/Users/a/Library/Application Support/MynaConnect/mynaconnect-host", who: "every browser"},
				{kind: WriteFile, target: "/Users/a/Library/Application Support/Microsoft Edge/NativeMessagingHosts/" + mh, who: "Microsoft Edge"},
				{kind: WriteFile, target: "/Users/a/Library/Application Support/Mozilla/NativeMessagingHosts/" + mh, who: "Firefox"},
			},
		},
		{
			name:       "darwin system",
			in:         Input{Env: browsers.Env{OS: "darwin"}, Scope: browsers.System, Browsers: []browsers.ID{browsers.Chrome}},
			hostPath:   "/Library/Application Support/MynaConnect/mynaconnect-host",
			recordPath: "/Library/Application Support/MynaConnect/install-record.json",
			want: []step{
				{kind: CopyBinary, target: "/Library/Application Support/MynaConnect/mynaconnect-host", who: "every browser"},
				{kind: WriteFile, target: "/Library/Google/Chrome/NativeMessagingHosts/" + mh, who: "Google Chrome"},
			},
		},
		{
			name:       "windows user, all browsers",
			in:         Input{Env: browsers.Env{OS: "windows", Home: `C:\Users\a`}, Scope: browsers.User, Browsers: allBrowsers},
			hostPath:   `C:\Users\a\AppData\Local\MynaConnect\mynaconnect-host.exe`,
			recordPath: `C:\Users\a\AppData\Local\MynaConnect\install-record.json`,
			want: []step{
				{kind: CopyBinary, target: `C:\Users\a\AppData\Local\MynaConnect\mynaconnect-host.exe`, who: "every browser"},
				{kind: WriteFile, target: `C:\Users\a\AppData\Local\MynaConnect\jp.mynaconnect.host-chrome.json`,
					who: "Google Chrome, Chromium, Microsoft Edge, Brave, Vivaldi"},
				{kind: WriteFile, target: `C:\Users\a\AppData\Local\MynaConnect\jp.mynaconnect.host-firefox.json`, who: "Firefox"},
				{kind: SetRegistry, target: `HKCU\Software\Google\Chrome\NativeMessagingHosts\jp.mynaconnect.host`,
					path: `C:\Users\a\AppData\Local\MynaConnect\jp.mynaconnect.host-chrome.json`, who: "Google Chrome, Chromium, Brave, Vivaldi"},
				{kind: SetRegistry, target: `HKCU\Software\Chromium\NativeMessagingHosts\jp.mynaconnect.host`,
					path: `C:\Users\a\AppData\Local\MynaConnect\jp.mynaconnect.host-chrome.json`, who: "Chromium"},
				{kind: SetRegistry, target: `HKCU\Software\Microsoft\Edge\NativeMessagingHosts\jp.mynaconnect.host`,
					path: `C:\Users\a\AppData\Local\MynaConnect\jp.mynaconnect.host-chrome.json`, who: "Microsoft Edge"},
				{kind: SetRegistry, target: `HKCU\Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\jp.mynaconnect.host`,
					path: `C:\Users\a\AppData\Local\MynaConnect\jp.mynaconnect.host-chrome.json`, who: "Brave"},
				{kind: SetRegistry, target: `HKCU\Software\Mozilla\NativeMessagingHosts\jp.mynaconnect.host`,
					path: `C:\Users\a\AppData\Local\MynaConnect\jp.mynaconnect.host-firefox.json`, who: "Firefox"},
			},
		},
		{
			name: "windows user, LOCALAPPDATA elsewhere",
			in: Input{Env: browsers.Env{OS: "windows", Home: `C:\Users\a`, LocalAppData: `D:\Local`}, Scope: browsers.User,
				Browsers: []browsers.ID{browsers.Firefox}},
			hostPath:   `D:\Local\MynaConnect\mynaconnect-host.exe`,
			recordPath: `D:\Local\MynaConnect\install-record.json`,
			want: []step{
				{kind: CopyBinary, target: `D:\Local\MynaConnect\mynaconnect-host.exe`, who: "every browser"},
				{kind: WriteFile, target: `D:\Local\MynaConnect\jp.mynaconnect.host-firefox.json`, who: "Firefox"},
				{kind: SetRegistry, target: `HKCU\Software\Mozilla\NativeMessagingHosts\jp.mynaconnect.host`,
					path: `D:\Local\MynaConnect\jp.mynaconnect.host-firefox.json`, who: "Firefox"},
			},
		},
		{
			name:       "windows system",
			in:         Input{Env: browsers.Env{OS: "windows", ProgramFiles: `C:\Program Files`}, Scope: browsers.System, Browsers: []browsers.ID{browsers.Edge}},
			hostPath:   `C:\Program Files\MynaConnect\mynaconnect-host.exe`,
			recordPath: `C:\Program Files\MynaConnect\install-record.json`,
			want: []step{
				{kind: CopyBinary, target: `C:\Program Files\MynaConnect\mynaconnect-host.exe`, who: "every browser"},
				{kind: WriteFile, target: `C:\Program Files\MynaConnect\jp.mynaconnect.host-chrome.json`, who: "Microsoft Edge"},
				{kind: SetRegistry, target: `HKLM\Software\Microsoft\Edge\NativeMessagingHosts\jp.mynaconnect.host`,
					path: `C:\Program Files\MynaConnect\jp.mynaconnect.host-chrome.json`, who: "Microsoft Edge"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.HostSource = "/src/dist/bin/mynaconnect-host"
			tt.in.ExtensionIDs = []string{manifesttemplates.DevelopmentExtensionID()}
			tt.in.AddonIDs = []string{manifesttemplates.GeckoID}
			p, err := Compute(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if p.HostPath != tt.hostPath || p.RecordPath != tt.recordPath {
				t.Errorf("host %q, record %q; want %q, %q", p.HostPath, p.RecordPath, tt.hostPath, tt.recordPath)
			}
			if got := steps(p); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("actions:\n%s\nwant:\n%s", show(got), show(tt.want))
			}
			if p.Actions[0].Source != tt.in.HostSource || p.Actions[0].Mode != 0o755 {
				t.Errorf("copy action %+v", p.Actions[0])
			}
			// Every manifest names the installed host and the right ids.
			for _, a := range p.Actions {
				if a.Kind != WriteFile {
					continue
				}
				h, err := manifesttemplates.ParseHost(a.Content)
				if err != nil {
					t.Fatalf("%s: %v", a.Path, err)
				}
				if h.Path != tt.hostPath {
					t.Errorf("%s names %q, want %q", a.Path, h.Path, tt.hostPath)
				}
				firefox := strings.Contains(strings.Join(a.For, ","), "Firefox")
				if firefox != h.AllowsFirefoxAddon(manifesttemplates.GeckoID) ||
					firefox == h.AllowsChromeExtension(manifesttemplates.DevelopmentExtensionID()) {
					t.Errorf("%s for %v allows the wrong extensions: %s", a.Path, a.For, a.Content)
				}
			}
		})
	}
}

func show(s []step) string {
	var b strings.Builder
	for _, x := range s {
		b.WriteString("  " + string(x.kind) + " " + x.target + " -> " + x.path + " (" + x.who + ")\n")
	}
	return b.String()
}

func TestComputeRefusesBadInput(t *testing.T) {
	base := func() Input {
		return Input{Env: browsers.Env{OS: "linux", Home: "/home/a"}, Scope: browsers.User,
			Browsers: []browsers.ID{browsers.Chromium}, HostSource: "/h",
			ExtensionIDs: []string{manifesttemplates.DevelopmentExtensionID()}, AddonIDs: []string{manifesttemplates.GeckoID}}
	}
	tests := map[string]func(*Input){
		"no host binary":         func(in *Input) { in.HostSource = "" },
		"unknown browser":        func(in *Input) { in.Browsers = []browsers.ID{"mosaic"} },
		"malformed extension id": func(in *Input) { in.ExtensionIDs = []string{"chrome-extension://x/"} },
		"no extension id":        func(in *Input) { in.ExtensionIDs = nil },
		"no add-on id":           func(in *Input) { in.Browsers = []browsers.ID{browsers.Firefox}; in.AddonIDs = nil },
		"relative home":          func(in *Input) { in.Env.Home = "home" },
		"unknown OS":             func(in *Input) { in.Env.OS = "haiku" },
		"relative user data dir": func(in *Input) { in.UserDataDirs = []string{"profile"} },
		"user data dir on Windows": func(in *Input) {
			in.Env = browsers.Env{OS: "windows", Home: `C:\a`}
			in.UserDataDirs = []string{`C:\p`}
		},
		"profile without an id": func(in *Input) { in.Browsers = nil; in.UserDataDirs = []string{"/p"}; in.ExtensionIDs = nil },
		"unknown scope":         func(in *Input) { in.Scope = "everyone" },
		"POSIX home on Windows": func(in *Input) { in.Env = browsers.Env{OS: "windows", Home: "/home/a"} },
	}
	for name, edit := range tests {
		in := base()
		edit(&in)
		if _, err := Compute(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := Compute(base()); err != nil {
		t.Errorf("base input refused: %v", err)
	}
}

func TestComputeWithNoBrowserStillInstallsTheHost(t *testing.T) {
	p, err := Compute(Input{Env: browsers.Env{OS: "linux", Home: "/home/a"}, Scope: browsers.User, HostSource: "/h"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Actions) != 1 || p.Actions[0].Kind != CopyBinary {
		t.Errorf("actions %+v", p.Actions)
	}
}
