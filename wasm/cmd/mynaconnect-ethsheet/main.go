//go:build js && wasm

// Command mynaconnect-ethsheet is the WebAssembly module (ethsheet.wasm) the
// extension loads for an Ethereum request. Like cmd/mynaconnect-sheet it
// defines globalThis.mynaconnectSheet, with checkOrigin and renderOrigin
// (package jsglue) and the Ethereum sheets (api.go), calls
// globalThis.mynaconnectSheetReady() if the page set it, and then stays
// alive; the consent window only picks the file. It leaves out the login
// sheet's certificate reader, which the Ethereum sheets never show.
package main

import "github.com/mynaconnect/mynaconnect/wasm/internal/jsglue"

func main() { jsglue.Serve(newAPI()) }
