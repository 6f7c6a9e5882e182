package manifesttemplates

import (
	"encoding/json"
	"testing"
)

func TestExtensionIDIsTheOneChromiumDerivesFromTheKey(t *testing.T) {
	// Worked out by hand from the key; the browser tests check that Chromium
	// gives the unpacked build this id.
	if got, want := DevelopmentExtensionID(), "bmkkgipakkhfkoeogfafddcmkccnfbpk"; got != want {
		t.Fatalf("DevelopmentExtensionID() = %q, want %q", got, want)
	}
}

func TestHostManifests(t *testing.T) {
	tests := []struct {
		name    string
		make    func(string, ...string) ([]byte, error)
		path    string
		ids     []string
		key     string
		wantIDs []string
	}{
		{"chrome", ChromeHost, "/opt/mynaconnect/mynaconnect-host", []string{"abc", "def"}, "allowed_origins",
			[]string{"chrome-extension://abc/", "chrome-extension://def/"}},
		{"firefox", FirefoxHost, "/opt/mynaconnect/mynaconnect-host", []string{GeckoID}, "allowed_extensions",
			[]string{GeckoID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.make(tt.path, tt.ids...)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			if m["name"] != HostName || m["path"] != tt.path || m["type"] != "stdio" {
				t.Errorf("manifest = %s", b)
			}
			got, _ := json.Marshal(m[tt.key])
			want, _ := json.Marshal(tt.wantIDs)
			if string(got) != string(want) {
				t.Errorf("%s = %s, want %s", tt.key, got, want)
			}
		})
	}
}

func TestHostManifestRefusesARelativePathOrNoExtension(t *testing.T) {
	if _, err := ChromeHost("mynaconnect-host", "abc"); err == nil {
		t.Error("relative path accepted")
	}
	if _, err := FirefoxHost("/usr/bin/mynaconnect-host"); err == nil {
		t.Error("manifest with no allowed extension accepted")
	}
}
