// Package wasmbudget holds the checks the consent sheets' WebAssembly
// modules (cmd/mynaconnect-sheet, cmd/mynaconnect-ethsheet) run in their
// tests: no heavy imports, and the size budget of wasm/wasmbuild.
package wasmbudget

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	"github.com/mynaconnect/mynaconnect/wasm/wasmbuild"
)

// heavy are the packages that each cost hundreds of kilobytes, or would
// put formatting or HTML parsing where a sheet must not have it.
var heavy = []string{
	"fmt", "encoding/json", "html/template", "text/template", "crypto/x509", "encoding/asn1",
	"math/big", "reflect", "time", "net/http", "net/netip", "embed", "golang.org/x/net/publicsuffix",
	"crypto/sha256", // the FIPS 140 module, 490 KB: wasm/internal/sha256lite instead
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

// CheckSize builds m as the extension build does (wasmbuild.Build) and
// fails t if the module is over its budget.
func CheckSize(t *testing.T, m wasmbuild.Module) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the module")
	}
	out := filepath.Join(t.TempDir(), m.File)
	if err := wasmbuild.Build(context.Background(), goTool(t), buildtest.RepoRoot(t), m, out); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes", m.File, fi.Size())
	if fi.Size() > m.Budget {
		t.Errorf("%s is %d bytes, over the %d-byte budget", m.File, fi.Size(), m.Budget)
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
