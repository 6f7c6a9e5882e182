package contracts

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/citest"
)

// TestArtifactsMatchSources recompiles src/ with the pinned solc and compares every artifact byte for byte
// with the committed ones. It needs node and `npm ci` in this folder; without them it skips, except under
// CI=true, where a skipped check would let sources and artifacts drift unnoticed.
func TestArtifactsMatchSources(t *testing.T) {
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join("node_modules", "solc", "package.json"))
	}
	if err != nil {
		citest.Unavailable(t, "node or node_modules missing (%v); run npm ci --prefix host/account/contracts", err)
	}
	out := t.TempDir()
	cmd := exec.Command(node, "compile.mjs", "--out", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node compile.mjs: %v\n%s", err, msg)
	}
	committed := jsonFiles(t, "artifacts")
	fresh := jsonFiles(t, out)
	if !slices.Equal(committed, fresh) {
		t.Fatalf("artifact files differ: committed %v, compiled %v; run: node host/account/contracts/compile.mjs", committed, fresh)
	}
	for _, name := range committed {
		a, _ := os.ReadFile(filepath.Join("artifacts", name))
		b, _ := os.ReadFile(filepath.Join(out, name))
		if !bytes.Equal(a, b) {
			t.Errorf("artifacts/%s is stale: run node host/account/contracts/compile.mjs and commit the result", name)
		}
	}
}

func jsonFiles(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	slices.Sort(names)
	return names
}
