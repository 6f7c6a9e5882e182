package winreg

import (
	"reflect"
	"testing"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
)

func TestMemoryBehavesLikeTheRegistry(t *testing.T) {
	m := NewMemory(`HKCU\Software\Google\Chrome`)
	k := browsers.RegKey{Root: "HKCU", Path: `Software\Google\Chrome\NativeMessagingHosts\jp.mynaconnect.host`}
	if _, ok, _ := m.Get(k); ok {
		t.Fatal("value before Set")
	}
	created, err := m.Set(k, `C:\m.json`)
	if err != nil || !reflect.DeepEqual(created, []string{`Software\Google\Chrome\NativeMessagingHosts`}) {
		t.Fatalf("Set created %v, %v", created, err)
	}
	// Keys are case-insensitive.
	if v, ok, _ := m.Get(browsers.RegKey{Root: "HKCU", Path: `software\google\chrome\nativemessaginghosts\JP.MYNACONNECT.HOST`}); !ok || v != `C:\m.json` {
		t.Errorf("Get = %q, %v", v, ok)
	}
	parent := browsers.RegKey{Root: "HKCU", Path: `Software\Google\Chrome\NativeMessagingHosts`}
	if err := m.Delete(parent); err == nil {
		t.Error("deleted a key with subkeys")
	}
	if ok, _ := m.DeleteIfEmpty(parent); ok {
		t.Error("DeleteIfEmpty deleted a key with subkeys")
	}
	if err := m.Delete(k); err != nil {
		t.Fatal(err)
	}
	if ok, _ := m.DeleteIfEmpty(parent); !ok {
		t.Error("DeleteIfEmpty kept an empty key")
	}
	if got := m.Keys(); !reflect.DeepEqual(got, []string{`HKCU\Software`, `HKCU\Software\Google`, `HKCU\Software\Google\Chrome`}) {
		t.Errorf("keys left: %v", got)
	}
}
