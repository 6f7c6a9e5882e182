package manifesttemplates

import (
	"testing"
)

func TestIsAbsForFollowsEachOperatingSystemsRules(t *testing.T) {
	tests := []struct {
		goos, path string
		want       bool
	}{
		{"linux", "/usr/local/lib/mynaconnect/mynaconnect-host", true},
		{"linux", "bin/mynaconnect-host", false},
		{"linux", `C:\MynaConnect\mynaconnect-host.exe`, false},
		{"darwin", "/Users/a/Library/Application Support/MynaConnect/mynaconnect-host", true},
		{"darwin", "~/mynaconnect-host", false},
		{"windows", `C:\Users\a\AppData\Local\MynaConnect\mynaconnect-host.exe`, true},
		{"windows", `c:/MynaConnect/mynaconnect-host.exe`, true},
		{"windows", `\\server\share\mynaconnect-host.exe`, true},
		{"windows", `\MynaConnect\mynaconnect-host.exe`, false},  // relative to the current drive
		{"windows", `C:MynaConnect\mynaconnect-host.exe`, false}, // relative to C:'s current directory
		{"windows", "/usr/bin/mynaconnect-host", false},
		{"windows", `\\`, false},
	}
	for _, tt := range tests {
		got, err := IsAbsFor(tt.goos, tt.path)
		if err != nil || got != tt.want {
			t.Errorf("IsAbsFor(%q, %q) = %v, %v; want %v", tt.goos, tt.path, got, err, tt.want)
		}
	}
	if _, err := IsAbsFor("plan9", "/x"); err == nil {
		t.Error("IsAbsFor accepted an unknown operating system")
	}
}

func TestHostManifestForWindowsEscapesBackslashes(t *testing.T) {
	path := `C:\Users\山田\AppData\Local\MynaConnect\mynaconnect-host.exe`
	b, err := ChromeHostFor("windows", path, DevelopmentExtensionID())
	if err != nil {
		t.Fatal(err)
	}
	h, err := ParseHost(b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if h.Path != path || !h.AllowsChromeExtension(DevelopmentExtensionID()) {
		t.Errorf("parsed %+v from %s", h, b)
	}
	if _, err := ChromeHostFor("windows", "/usr/bin/mynaconnect-host", DevelopmentExtensionID()); err == nil {
		t.Error("a POSIX path was accepted for Windows")
	}
	if _, err := FirefoxHostFor("linux", `C:\x.exe`, GeckoID); err == nil {
		t.Error("a Windows path was accepted for Linux")
	}
}

func TestValidExtensionID(t *testing.T) {
	for id, want := range map[string]bool{
		DevelopmentExtensionID():            true,
		"abcdefghijklmnopabcdefghijklmnop":  true,
		"abcdefghijklmnopabcdefghijklmnoq":  false, // q is not a Chromium hex digit
		"abcdefghijklmnopabcdefghijklmno":   false,
		"ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP":  false,
		"chrome-extension://abcdefghijklmn": false,
		"":                                  false,
	} {
		if got := ValidExtensionID(id); got != want {
			t.Errorf("ValidExtensionID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestParseHostChecksWhatBrowsersCheck(t *testing.T) {
	good, err := FirefoxHostFor("linux", "/h", GeckoID)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ParseHost(good)
	if err != nil || !h.AllowsFirefoxAddon(GeckoID) || h.AllowsFirefoxAddon("other@example.org") || h.AllowsChromeExtension(DevelopmentExtensionID()) {
		t.Errorf("ParseHost(good) = %+v, %v", h, err)
	}
	for name, in := range map[string]string{
		"not JSON":   `{"name":`,
		"wrong name": `{"name":"jp.other","type":"stdio","path":"/h"}`,
		"wrong type": `{"name":"jp.mynaconnect.host","type":"pipe","path":"/h"}`,
		"no path":    `{"name":"jp.mynaconnect.host","type":"stdio"}`,
	} {
		if _, err := ParseHost([]byte(in)); err == nil {
			t.Errorf("%s: accepted %s", name, in)
		}
	}
}
