// Command mynaconnect-buildext builds the MynaConnect browser extension.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/mynaconnect/mynaconnect/extension/build"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
	"github.com/mynaconnect/mynaconnect/wasm/wasmbuild"
)

const usage = `mynaconnect-buildext builds the MynaConnect browser extension.

It bundles and minifies the extension's scripts (extension/src), its pages
and styles, writes its manifest, and builds the consent sheets' WebAssembly
modules (sheet.wasm from ./wasm/cmd/mynaconnect-sheet for a login,
ethsheet.wasm from ./wasm/cmd/mynaconnect-ethsheet for Ethereum) with this
Go toolchain, then shrinks them with Binaryen's wasm-opt (Debian package
binaryen; make deps installs it). The result is an unpacked extension that
a browser loads as it is:

  Chromium: chrome://extensions, "Developer mode", "Load unpacked", pick
            OUT/chromium (or start Chromium with --load-extension=OUT/chromium).
  Firefox:  about:debugging, "This Firefox", "Load Temporary Add-on", pick
            OUT/firefox/manifest.json.

The Chromium build has a fixed extension id,
  %s,
which the native host's manifest allows; -store leaves the key out for a
store upload.

The sizes are printed and written to OUT/<browser>/build-report.json, with
a warning when the JavaScript (without Go's wasm_exec.js) is over %d bytes
or a WebAssembly module is over its budget (%s);
go test ./extension/build fails then.

Run it from the repository root or below it:

  go run ./extension/cmd/mynaconnect-buildext                  # dist/chromium
  go run ./extension/cmd/mynaconnect-buildext -browser all     # dist/chromium and dist/firefox
  go run ./extension/cmd/mynaconnect-buildext -out /tmp/ext -browser firefox

Options:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "mynaconnect-buildext:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mynaconnect-buildext", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, usage, manifesttemplates.DevelopmentExtensionID(), build.JSBudget, wasmBudgets())
		fs.PrintDefaults()
	}
	out := fs.String("out", "dist", "output directory; the extension goes to `DIR`/chromium or DIR/firefox")
	browser := fs.String("browser", manifesttemplates.Chromium, "which build: chromium, firefox or all")
	root := fs.String("root", "", "the repository root (default: the directory of the go.mod above the working directory)")
	store := fs.Bool("store", false, "leave the Chromium manifest's \"key\" out, for a store upload (the store assigns the id)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	browsers := []string{*browser}
	switch *browser {
	case "all":
		browsers = []string{manifesttemplates.Chromium, manifesttemplates.Firefox}
	case manifesttemplates.Chromium, manifesttemplates.Firefox:
	default:
		return fmt.Errorf("-browser %q: want chromium, firefox or all", *browser)
	}
	if *root == "" {
		r, err := findRoot()
		if err != nil {
			return err
		}
		*root = r
	}

	for _, b := range browsers {
		r, err := build.Build(ctx, build.Options{Root: *root, Out: *out, Browser: b, OmitKey: *store})
		if err != nil {
			return err
		}
		wasm := make([]string, len(wasmbuild.Modules))
		for i, m := range wasmbuild.Modules {
			wasm[i] = fmt.Sprintf("%s %.2f MB (budget %.2f MB)", m.File, float64(r.WASMBytes[m.File])/1e6, float64(m.Budget)/1e6)
		}
		fmt.Fprintf(stdout, "%s: %s in %d ms\n  JavaScript %.1f KB (budget %.1f KB), %s, wasm_exec.js %.1f KB\n",
			b, r.Dir, r.Millis, float64(r.JSBytes)/1e3, float64(build.JSBudget)/1e3, strings.Join(wasm, ", "), float64(r.WasmExecBytes)/1e3)
		// A warning, not a failure: the extension still works, and the
		// build's test (go test ./extension/build) is what holds the line.
		for _, o := range r.OverBudget() {
			fmt.Fprintf(stderr, "  warning: %s\n", o)
		}
	}
	return nil
}

// findRoot walks up from the working directory to the go.mod of this
// repository.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/mynaconnect/mynaconnect\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the MynaConnect repository (no go.mod of github.com/mynaconnect/mynaconnect above the working directory); use -root")
		}
		dir = parent
	}
}

// wasmBudgets lists each module's budget: "sheet.wasm 2.50 MB, ethsheet.wasm 2.50 MB".
func wasmBudgets() string {
	parts := make([]string, len(wasmbuild.Modules))
	for i, m := range wasmbuild.Modules {
		parts[i] = fmt.Sprintf("%s %.2f MB", m.File, float64(m.Budget)/1e6)
	}
	return strings.Join(parts, ", ")
}
