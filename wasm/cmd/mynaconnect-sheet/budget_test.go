//go:build !(js && wasm)

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The module is downloaded and compiled every time a consent window opens,
// so its size is a budget (docs: browser.md, "Go WASM size and speed"): a
// module with syscall/js alone is already 1.9 MB. These packages are what
// each cost hundreds of kilobytes, or would put formatting or HTML parsing
// where the sheet must not have it.
var forbidden = []string{
	"fmt", "encoding/json", "html/template", "text/template", "crypto/x509", "encoding/asn1",
	"math/big", "reflect", "time", "net/http", "net/netip", "embed", "golang.org/x/net/publicsuffix",
}

const budget = 2_500_000 // bytes, built with -trimpath -ldflags='-s -w'

func goTool(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	return goBin
}

func TestWasmImportsNoHeavyPackages(t *testing.T) {
	cmd := exec.Command(goTool(t), "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	for _, p := range forbidden {
		if deps[p] {
			t.Errorf("the WebAssembly module imports %s", p)
		}
	}
}

func TestWasmSizeWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the module")
	}
	out := filepath.Join(t.TempDir(), "sheet.wasm")
	cmd := exec.Command(goTool(t), "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sheet.wasm: %d bytes", fi.Size())
	if fi.Size() > budget {
		t.Errorf("sheet.wasm is %d bytes, over the %d-byte budget", fi.Size(), budget)
	}
}
