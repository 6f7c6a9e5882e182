//go:build !(js && wasm)

package main

import (
	"testing"

	"github.com/mynaconnect/mynaconnect/wasm/internal/wasmbudget"
	"github.com/mynaconnect/mynaconnect/wasm/wasmbuild"
)

func TestWasmImportsNoHeavyPackages(t *testing.T) { wasmbudget.CheckImports(t, ".") }

func TestWasmSizeWithinBudget(t *testing.T) {
	wasmbudget.CheckSize(t, wasmbuild.Ethereum)
}
