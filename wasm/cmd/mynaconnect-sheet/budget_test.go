//go:build !(js && wasm)

package main

import (
	"testing"

	"github.com/mynaconnect/mynaconnect/wasm/internal/wasmbudget"
	"github.com/mynaconnect/mynaconnect/wasm/wasmbuild"
)

// The login window loads this module alone: the Ethereum sheets are
// ethsheet.wasm's.
func TestWasmImportsNoHeavyPackages(t *testing.T) {
	wasmbudget.CheckImports(t, ".", "github.com/mynaconnect/mynaconnect/wasm/ethsheet")
}

func TestWasmSizeWithinBudget(t *testing.T) {
	wasmbudget.CheckSize(t, wasmbuild.Login)
}
