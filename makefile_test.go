package mynaconnect

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// `make build` is what the README says it is: every command of the
// repository (the sheets' WebAssembly programs are built into the
// extension instead) and the extension for both browsers.
func TestMakeBuildBuildsWhatTheREADMESays(t *testing.T) {
	makefile, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	commands := regexp.MustCompile(`(?s)\nCOMMANDS := (.*?[^\\])\n`).FindSubmatch(makefile)
	if commands == nil {
		t.Fatal("no COMMANDS in the Makefile")
	}
	out, err := exec.Command("go", "list", "-f", `{{if eq .Name "main"}}{{.Dir}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatal(err)
	}
	root, _ := os.Getwd()
	for _, dir := range strings.Fields(string(out)) {
		rel, _ := filepath.Rel(root, dir)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "wasm/") {
			continue
		}
		if !strings.Contains(string(commands[1]), "./"+rel) {
			t.Errorf("make build does not build ./%s", rel)
		}
		if !strings.Contains(string(readme), "`"+filepath.Base(rel)+"`") {
			t.Errorf("the README does not name %s", filepath.Base(rel))
		}
	}
	build := regexp.MustCompile(`(?m)^build:.*\n((?:\t.*\n)+)`).FindSubmatch(makefile)
	if build == nil || !strings.Contains(string(build[1]), "mynaconnect-buildext -out dist -browser all") {
		t.Errorf("make build does not build the extension for both browsers:\n%s", build)
	}
}
