package citest

import (
	"fmt"
	"strings"
	"testing"
)

const missing = "apt-get install -y pcscd"

// recorder is a testing.TB that records Skipf and Fatalf instead of ending
// the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Skipf(format string, args ...any)  { r.skipped = fmt.Sprintf(format, args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestUnavailableSkipsLocallyAndFailsUnderCI(t *testing.T) {
	tests := []struct {
		ci   string
		fail bool
	}{
		{"", false},
		{"false", false},
		{"0", false},
		{"true", true},
		{"1", true},
		{"yes", true}, // set to anything but a false value: CI
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			r := &recorder{TB: t}
			Unavailable(r, "pcscd is not installed: %s", missing)
			got := r.skipped
			if tt.fail {
				got = r.failed
			}
			if !strings.Contains(got, missing) || (r.skipped != "") == (r.failed != "") {
				t.Errorf("skipped %q, failed %q", r.skipped, r.failed)
			}
		})
	}
}
