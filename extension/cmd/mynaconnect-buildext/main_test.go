package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHelpExplainsHowToLoadTheBuild(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-help"}, &stdout, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("run -help: %v", err)
	}
	for _, want := range []string{"Load unpacked", "about:debugging", "-browser", "-out", "-store", "build-report.json"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("help does not mention %q:\n%s", want, stderr.String())
		}
	}
}

func TestUnknownBrowserIsRefused(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-browser", "safari"}, &out, &out); err == nil || !strings.Contains(err.Error(), "safari") {
		t.Fatalf("run -browser safari: %v", err)
	}
}

func TestBuildsIntoTheOutputDirectory(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-out", out, "-root", filepath.Join("..", "..", "..")}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "chromium", "manifest.json")); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"JavaScript", "sheet.wasm", "ethsheet.wasm", "wasm_exec.js"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("no size of %s printed: %s", want, stdout.String())
		}
	}
}
