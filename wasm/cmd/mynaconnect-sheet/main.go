//go:build js && wasm

// Command mynaconnect-sheet is the WebAssembly module (sheet.wasm) the
// extension loads to check the calling origin and render the login consent
// sheet. It defines globalThis.mynaconnectSheet with checkOrigin,
// renderOrigin (package jsglue) and renderLogin (api.go), calls
// globalThis.mynaconnectSheetReady() if the page set it, and then stays
// alive so the functions keep working. The Ethereum sheets are in
// cmd/mynaconnect-ethsheet, so the login window does not download them.
package main

import "github.com/mynaconnect/mynaconnect/wasm/internal/jsglue"

func main() { jsglue.Serve(newAPI()) }
