// The consent window's first script, before its stylesheets and the rest.
// The window's URL names its request and the request's kind.
//
// It attaches to the request at once, asks for the card's first read right
// behind (the service worker began that read when it opened this window)
// and reads the settings, so that the answers come in while the page
// loads; consent.js takes the port over with the messages that came
// before it.
//
// It finds the sheet for the kind: the sheet host (sheethost.js) keeps the
// sheets running for the browser session; without it (Firefox, or the
// browser closed it) this window fetches and compiles its own module, and
// loads Go's wasm_exec.js, at once, so that the compile runs while the page
// and its scripts load.

import { SETTINGS_KEYS } from './lib/settings.js';
import { FIRST_READ, compileSheet, loadGo, readOp } from './lib/sheetmodule.js';

{
  const params = new URLSearchParams(location.search);
  const kind = params.get('kind');

  const port = chrome.runtime.connect({ name: 'consent' });
  const early = [];
  const keep = (msg) => early.push(msg);
  port.onMessage.addListener(keep);
  // The service worker closes this window when the request ends; if the
  // worker itself went away, the request is gone with it.
  port.onDisconnect.addListener(() => window.close());
  port.postMessage({ type: 'attach', key: params.get('key') });
  port.postMessage({ type: 'op', id: FIRST_READ, op: readOp(kind) });
  const stored = chrome.storage.local.get(SETTINGS_KEYS);
  stored.catch(() => {});
  globalThis.mynaconnectConsent = { kind, port, early, keep, stored };

  const host = chrome.extension?.getViews?.().find((view) => view !== window && view.mynaconnectSheets);
  globalThis.mynaconnectSheetSource = host
    ? { kind, api: host.mynaconnectSheets.get(kind) }
    : { kind, compiled: compileSheet(kind) };
  if (!host) loadGo().catch(() => {});
  // Reported by consent.js when a screen needs the sheet.
  (globalThis.mynaconnectSheetSource.api ?? globalThis.mynaconnectSheetSource.compiled).catch(() => {});
}
