package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/extension/build"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// TestDemoWalksALogin runs `make demo`'s walk-through against the real
// pcscd, the virtual card over vpcd and the built host binary, and checks
// that the site verified the token and a replay was refused.
func TestDemoWalksALogin(t *testing.T) {
	pcsctest.StartDaemon(t) // takes the machine's pcscd lock; run reuses this daemon
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var out bytes.Buffer
	if err := runTerminal(ctx, &out, hostBin, "https://demo.mynaconnect.test", "1234", false); err != nil {
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
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := runTerminal(ctx, &bytes.Buffer{}, hostBin, "https://demo.mynaconnect.test", "9999", false)
	if err == nil || !strings.Contains(err.Error(), "PIN_WRONG") {
		t.Fatalf("demo with a wrong PIN = %v, want a PIN_WRONG error", err)
	}
}

// hostBin is the native host the demo starts, built once as `make build` does.
var hostBin string

func TestMain(m *testing.M) {
	os.Exit(buildtest.Run(m, buildtest.Cmd{Package: buildtest.Host, Binary: &hostBin}))
}

// TestDemoWalksTheLoginInChromium runs `make demo` as it runs without a
// display: the virtual card, the test-sign site, Chromium with the built
// extension and host, the login walked headless with a screenshot of every
// screen, and the site's verdict printed.
func TestDemoWalksTheLoginInChromium(t *testing.T) {
	pcsctest.StartDaemon(t)
	ext, err := build.Build(context.Background(), build.Options{
		Root: filepath.Join("..", "..", "..", ".."), Out: t.TempDir(), Browser: manifesttemplates.Chromium,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	screens := t.TempDir()
	var out bytes.Buffer
	err = runBrowser(ctx, &out, browserDemo{
		hostPath: hostBin, extension: ext.Dir, addr: "127.0.0.1:0", chainAddr: "127.0.0.1:0", dist: t.TempDir(),
		headless: true, screens: screens, pin: "1234",
	})
	if err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out.String())
	}
	for _, want := range []string{"ログインしました", "Sapporo-shi-Minami-ku", "04-site-result.png", "chain id 1337", "10 ETH, 100,000 test JPYC"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	shots, _ := filepath.Glob(filepath.Join(screens, "*.png"))
	if len(shots) != 4 {
		t.Errorf("%d screenshots, want 4 (site, sheet, PIN pad, result): %v", len(shots), shots)
	}
}
