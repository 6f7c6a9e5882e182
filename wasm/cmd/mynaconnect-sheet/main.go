//go:build js && wasm

// Command mynaconnect-sheet is the WebAssembly module the extension loads to
// check the calling origin and render the login consent sheet. It defines
// globalThis.mynaconnectSheet (see api.go), calls
// globalThis.mynaconnectSheetReady() if the page set it, and then stays
// alive so the functions keep working.
package main

import "syscall/js"

func main() {
	js.Global().Set("mynaconnectSheet", newAPI())
	if ready := js.Global().Get("mynaconnectSheetReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}
