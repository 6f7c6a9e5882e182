package record

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSaveAndLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "install-record.json")
	r := New("linux", "user")
	r.AddDir("/h/.local")
	r.AddDir("/h/.local") // once
	r.AddFile("/h/a.json", "00")
	r.AddFile("/h/a.json", "11") // replaces
	r.AddKey(Key{Root: "HKCU", Path: `Software\Mozilla\NativeMessagingHosts\jp.mynaconnect.host`, Value: `C:\x`, Created: []string{`Software\Mozilla`}})
	r.AddKey(Key{Root: "HKCU", Path: `Software\Mozilla\NativeMessagingHosts\jp.mynaconnect.host`, Value: `C:\y`})
	if err := Save(path, r); err != nil {
		t.Fatal(err)
	}
	got, found, err := Load(path)
	if err != nil || !found {
		t.Fatal(found, err)
	}
	want := Record{Format: 1, OS: "linux", Scope: "user", Dirs: []string{"/h/.local"},
		Files: []File{{"/h/a.json", "11"}},
		Keys:  []Key{{Root: "HKCU", Path: `Software\Mozilla\NativeMessagingHosts\jp.mynaconnect.host`, Value: `C:\y`, Created: []string{`Software\Mozilla`}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("loaded %+v\nwant   %+v", got, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestLoadMissingIsNotAnError(t *testing.T) {
	_, found, err := Load(filepath.Join(t.TempDir(), "none.json"))
	if found || err != nil {
		t.Errorf("found %v, err %v", found, err)
	}
}

func TestLoadRefusesWhatIsNotARecord(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"not JSON":       "hello",
		"unknown fields": `{"format":1,"delete":["/"]}`,
		"other format":   `{"format":2}`,
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
		os.WriteFile(path, []byte(content), 0o644)
		if _, _, err := Load(path); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}
