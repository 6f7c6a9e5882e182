//go:build !windows

package winreg

import (
	"errors"
	"testing"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
)

func TestSystemOffWindowsRefusesEveryCall(t *testing.T) {
	k := browsers.RegKey{Root: "HKCU", Path: "Software"}
	r := System()
	_, _, err1 := r.Get(k)
	_, err2 := r.Set(k, "x")
	err3 := r.Delete(k)
	_, err4 := r.DeleteIfEmpty(k)
	for _, err := range []error{err1, err2, err3, err4} {
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("err = %v, want ErrUnsupported", err)
		}
	}
}
