package build

import (
	"context"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	"github.com/mynaconnect/mynaconnect/wasm/wasmbuild"

	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// BenchmarkChromiumBuild records the build's time and the sizes the issue
// budgets: the extension's own minified JavaScript (without Go's
// wasm_exec.js) and each of the consent sheets' WebAssembly modules.
func BenchmarkChromiumBuild(b *testing.B) {
	out := b.TempDir()
	var r *Report
	for b.Loop() {
		var err error
		if r, err = Build(context.Background(), Options{Root: buildtest.RepoRoot(b), Out: out, Browser: manifesttemplates.Chromium}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(r.JSBytes), "js-bytes")
	b.ReportMetric(float64(r.ConsentJSBytes), "consent-js-bytes")
	for _, m := range wasmbuild.Modules {
		b.ReportMetric(float64(r.WASMBytes[m.File]), strings.TrimSuffix(m.File, ".wasm")+"-wasm-bytes")
	}
	b.ReportMetric(float64(r.WasmExecBytes), "wasm_exec-bytes")
}
