// Package wasmbudget holds the size budget of the consent sheet's
// WebAssembly modules (cmd/mynaconnect-sheet, cmd/mynaconnect-ethsheet) and
// the checks their tests run against it.
//
// Each module is downloaded and compiled every time a consent window opens,
// so its size is a budget (docs: browser.md, "Go WASM size and speed"): a
// module with syscall/js alone is already 1.9 MB.
package wasmbudget

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The modules' size limits in bytes, built with -trimpath -ldflags='-s -w'
// (extension/build.WASMModules holds the same numbers).
const (
	// Login is sheet.wasm's: the login sheet.
	Login = 2_500_000
	// Ethereum is ethsheet.wasm's: the Ethereum sheets decode calls, tokens
	// and typed data, about 110 KB of code the login sheet does without.
	Ethereum = 2_650_000
)

// heavy are the packages that each cost hundreds of kilobytes, or would
// put formatting or HTML parsing where a sheet must not have it.
var heavy = []string{
	"fmt", "encoding/json", "html/template", "text/template", "crypto/x509", "encoding/asn1",
	"math/big", "reflect", "time", "net/http", "net/netip", "embed", "golang.org/x/net/publicsuffix",
}

// CheckImports fails t if the main package in dir imports, for js/wasm, a
// heavy package or one of also (another module's sheets).
func CheckImports(t *testing.T, dir string, also ...string) {
	t.Helper()
	cmd := exec.Command(goTool(t), "list", "-deps", dir)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	for _, p := range append(heavy, also...) {
		if deps[p] {
			t.Errorf("the WebAssembly module imports %s", p)
		}
	}
}

// CheckSize builds the main package in dir as the extension build does and
// fails t if the module, named name in the messages, is over budget.
func CheckSize(t *testing.T, dir, name string, budget int64) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the module")
	}
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command(goTool(t), "build", "-trimpath", "-ldflags=-s -w", "-o", out, dir)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes", name, fi.Size())
	if fi.Size() > budget {
		t.Errorf("%s is %d bytes, over the %d-byte budget", name, fi.Size(), budget)
	}
}

func goTool(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	return goBin
}
