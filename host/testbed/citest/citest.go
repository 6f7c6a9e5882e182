// Package citest holds the suite's one rule about missing tools: a test
// that needs something this machine lacks (pcscd, Chromium, Firefox, node
// modules) skips on a developer's machine and fails under CI, where a test
// must never pass by not running.
package citest

import (
	"fmt"
	"os"
	"strconv"
	"testing"
)

// Enabled reports whether $CI is set to anything but a false value, as CI
// services and `make test` set it.
func Enabled() bool {
	v := os.Getenv("CI")
	ci, err := strconv.ParseBool(v)
	return ci || (err != nil && v != "")
}

// Unavailable skips the test, or fails it under CI, saying what is missing.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Enabled() {
		t.Fatalf("%s (CI is set: tests must not skip)", msg)
	} else {
		t.Skipf("%s", msg)
	}
}
