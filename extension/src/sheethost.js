// The sheet host: an offscreen document the service worker opens when the
// browser starts (Chromium; see background/sheethost.js). It keeps the
// consent sheets' WebAssembly compiled and their Go programs running for the
// whole browser session, so a consent window uses them at once instead of
// compiling 2.4 MB each time it opens (docs/benchmarks.md, time to sheet).
// The window calls the sheet's functions directly: extension pages share
// one process, and chrome.extension.getViews() hands the window this
// document's globalThis. Nothing else lives here: no request, origin or
// card data is kept between calls; the sheet's functions take everything
// they show as arguments, exactly as in a window that starts its own.

import { compileSheet, sheetFile, startSheet } from './lib/sheetmodule.js';

const started = new Map(); // module file → Promise<the sheet's API>
let previous = Promise.resolve();

/**
 * globalThis.mynaconnectSheets.get(kind) resolves with the sheet API that
 * draws a kind of request ('login' or an Ethereum kind), starting its
 * module the first time. A module that failed to start, or whose program
 * ended, is started again on the next call.
 */
globalThis.mynaconnectSheets = {
  get(kind) {
    const file = sheetFile(kind);
    if (!started.has(file)) {
      let api = null;
      const forget = () => started.get(file) === api && started.delete(file);
      api = previous.then(() => startSheet(compileSheet(kind), forget));
      previous = api.catch(() => {});
      api.catch(forget);
      started.set(file, api);
    }
    return started.get(file);
  },
};

// The first login of a browser session is the common case.
globalThis.mynaconnectSheets.get('login').catch(() => {});

// Lay out the specimen once (see sheethost.html), while the module above
// compiles, and let it go: the fonts stay loaded in this process.
const specimen = document.getElementById('specimen');
void specimen.offsetHeight;
specimen.remove();
