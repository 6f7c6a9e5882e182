// The consent window's first script, before its stylesheets and the rest:
// it starts fetching and compiling the sheet's WebAssembly at once, so
// that the compile (the longest step of a first login in a browser
// session) runs while the page and its scripts load. consent.js
// instantiates the module. The window's URL names the request's kind:
// a login loads the login sheet, the Ethereum requests their own.

globalThis.mynaconnectSheetModule = WebAssembly.compileStreaming(
  fetch(new URLSearchParams(location.search).get('kind') === 'login' ? 'sheet.wasm' : 'ethsheet.wasm'));
// Reported by consent.js when a screen needs the sheet.
globalThis.mynaconnectSheetModule.catch(() => {});
