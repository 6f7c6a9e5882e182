package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
)

// TestDemoWalksALogin runs `make demo`'s walk-through against the real
// pcscd, the virtual card over vpcd and the built host binary, and checks
// that the site verified the token and a replay was refused.
func TestDemoWalksALogin(t *testing.T) {
	pcsctest.StartDaemon(t) // takes the machine's pcscd lock; run reuses this daemon
	host := buildHost(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var out bytes.Buffer
	if err := runTerminal(ctx, &out, host, "https://demo.mynaconnect.test", "1234", false); err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"mynumber, PIN tries left: 3",
		"ok: verified",
		"Sapporo-shi-Minami-ku, Hokkaido",
		"Replaying the same token: rejected",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestDemoReportsAWrongPIN(t *testing.T) {
	pcsctest.StartDaemon(t)
	host := buildHost(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := runTerminal(ctx, &bytes.Buffer{}, host, "https://demo.mynaconnect.test", "9999", false)
	if err == nil || !strings.Contains(err.Error(), "PIN_WRONG") {
		t.Fatalf("demo with a wrong PIN = %v, want a PIN_WRONG error", err)
	}
}

// buildHost builds the native host the demo starts, as `make build` does.
func buildHost(t *testing.T) string {
	t.Helper()
	host := filepath.Join(t.TempDir(), "mynaconnect-host")
	if out, err := exec.Command("go", "build", "-o", host, "../mynaconnect-host").CombinedOutput(); err != nil {
		t.Fatalf("build the host: %v\n%s", err, out)
	}
	return host
}
