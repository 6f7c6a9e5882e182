// How a consent window starts: the card read and the sheet module
// (sheet.wasm or ethsheet.wasm, see wasm/README.md) each kind of request
// needs. The sheet host keeps the modules running for the browser session;
// a consent window without a sheet host starts its own.

/** The id of the consent window's first card read, sent by sheetload.js. */
export const FIRST_READ = 0;

/** The consent window's operation that reads what a kind of request's sheet needs from the card. */
export function readOp(kind) {
  return kind === 'login' ? 'readAuthCertificate' : 'readAccount';
}

/** The module that draws each kind of consent request's sheet. */
export function sheetFile(kind) {
  return kind === 'login' ? 'sheet.wasm' : 'ethsheet.wasm';
}

/** compileSheet fetches and compiles the sheet module of a kind of request. */
export function compileSheet(kind) {
  return WebAssembly.compileStreaming(fetch(sheetFile(kind)));
}

/**
 * loadGo loads Go's wasm_exec.js (the Go class) into this document unless
 * it is loaded or loading: a consent window needs it only when it starts
 * its own sheet.
 */
export function loadGo() {
  if (globalThis.Go) return Promise.resolve();
  let script = document.querySelector('script[src="wasm_exec.js"]');
  if (!script) {
    script = document.createElement('script');
    script.src = 'wasm_exec.js';
    document.head.append(script);
  }
  return new Promise((resolve, reject) => {
    script.addEventListener('load', resolve);
    script.addEventListener('error', () => reject(new Error('wasm_exec.js did not load')));
  });
}

/**
 * startSheet instantiates a compiled sheet module, runs its Go program and
 * resolves with the API it publishes (globalThis.mynaconnectSheet); onExit
 * is called if the program ever ends. One module starts at a time in a
 * document: both publish under the same name.
 */
export async function startSheet(compiled, onExit = () => {}) {
  await loadGo();
  const ready = new Promise((resolve) => {
    globalThis.mynaconnectSheetReady = resolve;
  });
  const go = new globalThis.Go(); // defined by wasm_exec.js
  go.run(await WebAssembly.instantiate(await compiled, go.importObject)).finally(onExit);
  await ready;
  const api = globalThis.mynaconnectSheet;
  delete globalThis.mynaconnectSheet;
  delete globalThis.mynaconnectSheetReady;
  return api;
}
