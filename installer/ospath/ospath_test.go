package ospath

import "testing"

func TestJoin(t *testing.T) {
	tests := []struct {
		goos string
		elem []string
		want string
	}{
		{"linux", []string{"/home/a", ".config", "chromium"}, "/home/a/.config/chromium"},
		{"darwin", []string{"/Users/a/", "Library/Application Support", "Vivaldi"}, "/Users/a/Library/Application Support/Vivaldi"},
		{"windows", []string{`C:\Users\a\AppData\Local`, "MynaConnect", "x.json"}, `C:\Users\a\AppData\Local\MynaConnect\x.json`},
		{"windows", []string{`C:/Users/a/`, `MynaConnect`}, `C:\Users\a\MynaConnect`},
		{"windows", []string{`\\server\share`, "MynaConnect"}, `\\server\share\MynaConnect`},
		{"windows", []string{"", `C:\Program Files`, "", "MynaConnect"}, `C:\Program Files\MynaConnect`},
	}
	for _, tt := range tests {
		if got := Join(tt.goos, tt.elem...); got != tt.want {
			t.Errorf("Join(%s, %q) = %q, want %q", tt.goos, tt.elem, got, tt.want)
		}
	}
}

func TestDirAndBase(t *testing.T) {
	tests := []struct {
		goos, path, dir, base string
	}{
		{"linux", "/home/a/.mozilla/native-messaging-hosts/x.json", "/home/a/.mozilla/native-messaging-hosts", "x.json"},
		{"windows", `C:\Users\a\MynaConnect\x.json`, `C:\Users\a\MynaConnect`, "x.json"},
		{"windows", `C:\x.json`, `C:\`, "x.json"},
		{"windows", `\\server\share\x.json`, `\\server\share`, "x.json"},
	}
	for _, tt := range tests {
		if got := Dir(tt.goos, tt.path); got != tt.dir {
			t.Errorf("Dir(%s, %q) = %q, want %q", tt.goos, tt.path, got, tt.dir)
		}
		if got := Base(tt.goos, tt.path); got != tt.base {
			t.Errorf("Base(%s, %q) = %q, want %q", tt.goos, tt.path, got, tt.base)
		}
	}
}

func TestExe(t *testing.T) {
	if Exe("windows", "h") != "h.exe" || Exe("linux", "h") != "h" || Exe("darwin", "h") != "h" {
		t.Error("Exe")
	}
}
