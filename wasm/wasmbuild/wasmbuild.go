// Package wasmbuild builds the consent sheets' WebAssembly modules the one
// way the extension ships them, and holds their size budgets. The extension
// build (extension/build) and the modules' own size tests both build
// through it, so a test measures exactly the file a consent window loads.
//
// A module is built in two steps: the Go compiler (GOOS=js GOARCH=wasm,
// -trimpath -ldflags='-s -w'), then Binaryen's wasm-opt -Oz, which removes
// about 5 % of Go's output (redundant locals, blocks and branches). Each
// consent window downloads and compiles a module, so its size is a budget
// (docs: browser.md, "Go WASM size and speed"): a module with syscall/js
// alone is already 1.9 MB.
package wasmbuild

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Module is one of the consent sheets' WebAssembly modules.
type Module struct {
	// File is its name in the extension, fetched by consent.js.
	File string
	// Package is its Go main package, relative to the repository root.
	Package string
	// Budget is its size limit in bytes, once optimized.
	Budget int64
}

var (
	// Login is the login sheet.
	Login = Module{File: "sheet.wasm", Package: "./wasm/cmd/mynaconnect-sheet", Budget: 2_500_000}
	// Ethereum is the Ethereum sheets: they decode calls, tokens and typed
	// data, about 160 KB of code the login sheet does without, so they are
	// a module apart and a login window never downloads them. Its budget
	// was 2.5 MB until the strict typed-data reader (wasm/eip712, ~51 KB
	// after wasm-opt) replaced JSON.parse: reading a page's typed data the
	// way the host does is worth more than those bytes. 2.6 MB since the
	// account's protection (a recovery under way in red on every sheet,
	// guardians in plain words: ~30 KB), and 2.65 MB since the move of an
	// account to a new card (the renewed card's application, a guardian's
	// start and its finish, the owner's switch, read through a canonical ABI
	// reader, with the new card's check code: ~56 KB): Chromium compiles it
	// once per session in the sheet host, Firefox once per window.
	Ethereum = Module{File: "ethsheet.wasm", Package: "./wasm/cmd/mynaconnect-ethsheet", Budget: 2_650_000}
)

// Modules are all the consent sheets' modules.
var Modules = []Module{Login, Ethereum}

// WasmOpt is the optimizer's command name; Debian ships it in the binaryen
// package, which make deps installs.
const WasmOpt = "wasm-opt"

// wasmOptFlags: -Oz optimizes for size. Go's output uses sign extension,
// saturating float-to-int conversion and bulk memory (memory.copy and
// memory.fill); wasm-opt must be told, as Go writes no target_features
// section for it to read them from.
var wasmOptFlags = []string{"-Oz", "--enable-sign-ext", "--enable-nontrapping-float-to-int", "--enable-bulk-memory"}

// ErrNoWasmOpt is returned when wasm-opt is not installed.
var ErrNoWasmOpt = errors.New("wasmbuild: wasm-opt is not installed (run make deps, or: apt-get install binaryen)")

// Build compiles m from the repository at root with the go command goTool
// ("go" when empty) and writes the optimized module to out.
func Build(ctx context.Context, goTool, root string, m Module, out string) error {
	optimizer, err := exec.LookPath(WasmOpt)
	if err != nil {
		return ErrNoWasmOpt
	}
	if goTool == "" {
		goTool = "go"
	}
	unoptimized := out + ".go.wasm"
	defer os.Remove(unoptimized)
	build := exec.CommandContext(ctx, goTool, "build", "-trimpath", "-ldflags=-s -w", "-o", unoptimized, m.Package)
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if err := run(build); err != nil {
		return fmt.Errorf("wasmbuild: building %s (GOOS=js GOARCH=wasm go build %s): %w", m.File, m.Package, err)
	}
	opt := exec.CommandContext(ctx, optimizer, append(wasmOptFlags, unoptimized, "-o", out)...)
	if err := run(opt); err != nil {
		return fmt.Errorf("wasmbuild: optimizing %s (%s %s): %w", m.File, WasmOpt, filepath.Base(unoptimized), err)
	}
	return nil
}

// run runs cmd and, when it fails, returns the start of what it printed: a
// validation failure in wasm-opt prints megabytes of the module's text.
func run(cmd *exec.Cmd) error {
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		const shown = 4 << 10
		if output.Len() > shown {
			output.Truncate(shown)
			output.WriteString("…")
		}
		return fmt.Errorf("%w\n%s", err, output.Bytes())
	}
	return nil
}
