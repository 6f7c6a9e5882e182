// The isolated-world bridge between the page's provider and the service
// worker. It forwards well-formed requests over one port and the answers
// back; it never adds an origin (the service worker takes it from the
// browser's port.sender) and never reads the page's globals.

import { CHANNEL, parsePageRequest } from './lib/envelope.js';
import { hostExitedError } from './lib/errors.js';

let port = null;
const inflight = new Set();

function toPage(body) {
  window.postMessage({ channel: CHANNEL, dir: 'to-page', ...body }, '*');
}

// connect opens the port on first use and again after the service worker
// was stopped: a dropped port fails what was in flight, as the service
// worker that held those requests is gone.
function connect() {
  const p = chrome.runtime.connect({ name: 'page' });
  p.onMessage.addListener((msg) => {
    if (typeof msg !== 'object' || msg === null) return;
    if (typeof msg.event === 'string') {
      toPage({ event: msg.event, data: msg.data });
    } else if (inflight.delete(msg.id)) {
      toPage(msg.error ? { id: msg.id, error: msg.error } : { id: msg.id, result: msg.result });
    }
  });
  p.onDisconnect.addListener(() => {
    if (port === p) port = null;
    const lost = [...inflight];
    inflight.clear();
    for (const id of lost) toPage({ id, error: hostExitedError('The extension stopped while the request was open.') });
  });
  return p;
}

window.addEventListener('message', (event) => {
  if (event.source !== window) return;
  const req = parsePageRequest(event.data);
  if (!req) return;
  try {
    port ??= connect();
    port.postMessage(req);
    inflight.add(req.id);
  } catch {
    // The extension was reloaded or updated under this page: its old
    // content script can no longer reach the new service worker.
    port = null;
    toPage({ id: req.id, error: hostExitedError('The extension was updated; reload the page.') });
  }
});
