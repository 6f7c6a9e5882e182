//go:build !(js && wasm)

package wasmbuild

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
)

func TestBuildWithoutWasmOptSaysWhatToInstall(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	t.Setenv("PATH", t.TempDir()) // no wasm-opt there
	err = Build(context.Background(), goTool, buildtest.RepoRoot(t), Login, filepath.Join(t.TempDir(), Login.File))
	if !errors.Is(err, ErrNoWasmOpt) || !strings.Contains(err.Error(), "apt-get install binaryen") {
		t.Fatalf("Build without wasm-opt: %v, want ErrNoWasmOpt naming the package", err)
	}
}

func TestBuildNamesTheModuleThatDidNotCompile(t *testing.T) {
	requireWasmOpt(t)
	broken := Module{File: "broken.wasm", Package: "./wasm/no-such-module"}
	out := filepath.Join(t.TempDir(), broken.File)
	err := Build(context.Background(), "", buildtest.RepoRoot(t), broken, out)
	if err == nil || !strings.Contains(err.Error(), "building broken.wasm") || !strings.Contains(err.Error(), "no-such-module") {
		t.Fatalf("Build of a missing package: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed build left %s behind", out)
	}
}

// The optimized module is what ships: smaller than the compiler's output,
// and still a WebAssembly binary (the browser tests run it).
func TestBuildOptimizesForSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the module")
	}
	requireWasmOpt(t)
	root, dir := buildtest.RepoRoot(t), t.TempDir()
	out := filepath.Join(dir, Login.File)
	if err := Build(context.Background(), "", root, Login, out); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", plain, Login.Package)
	cmd.Dir, cmd.Env = root, append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	opt, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	unopt, err := os.Stat(plain)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(opt), "\x00asm\x01\x00\x00\x00") {
		t.Errorf("the optimized module does not start with the WebAssembly magic and version: % x", opt[:8])
	}
	t.Logf("%s: %d bytes from the compiler, %d optimized", Login.File, unopt.Size(), len(opt))
	if int64(len(opt)) >= unopt.Size() {
		t.Errorf("optimized %d bytes, not smaller than the compiler's %d", len(opt), unopt.Size())
	}
	if _, err := os.Stat(out + ".go.wasm"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the intermediate module was left behind")
	}
}

// requireWasmOpt skips a test that needs wasm-opt where it is not
// installed, except in CI, where make deps installs it and a skip would
// hide that the shipped modules were never built.
func requireWasmOpt(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath(WasmOpt); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s is not installed: %v", WasmOpt, err)
		}
		t.Skip("wasm-opt is not installed; make deps installs it")
	}
}
