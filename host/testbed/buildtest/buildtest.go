// Package buildtest builds the repository's commands for tests that run
// them as a browser or a person would: as separate programs, not as
// functions called in-process.
package buildtest

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"testing"
)

// Cmd is a command to build: its import path, and where to put the path of
// the built binary.
type Cmd struct {
	Package string // e.g. "github.com/mynaconnect/mynaconnect/host/cmd/mynaconnect-host"
	Binary  *string
}

// Run is for TestMain: it builds every cmd into one temporary directory,
// runs the tests, removes the directory and returns the exit code. A build
// that fails ends the run with its compiler output.
//
//	func TestMain(m *testing.M) {
//		os.Exit(buildtest.Run(m, buildtest.Cmd{Package: buildtest.Host, Binary: &hostBin}))
//	}
func Run(m *testing.M, cmds ...Cmd) int {
	dir, err := os.MkdirTemp("", "mynaconnect-buildtest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	for _, c := range cmds {
		bin := filepath.Join(dir, path.Base(c.Package))
		if out, err := exec.Command("go", "build", "-o", bin, c.Package).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n%s", c.Package, err, out)
			return 1
		}
		*c.Binary = bin
	}
	return m.Run()
}

// Host is the native messaging host's import path.
const Host = "github.com/mynaconnect/mynaconnect/host/cmd/mynaconnect-host"

// RepoRoot returns the repository's root (the directory of go.mod), found
// from the test's working directory, its package directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("buildtest: no go.mod above the test's directory")
		}
		dir = parent
	}
}
