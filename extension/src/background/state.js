// What the service worker holds while it runs, shared by its modules: the
// connection to mynaconnect-host, the per-origin permissions, the consent
// queue and cooldown, the open ports, and the host's latest reader list and
// chain configuration. State that must outlive the worker (permissions,
// settings) is in chrome.storage.

import { Cooldown } from '../lib/cooldown.js';
import { pageError } from '../lib/errors.js';
import { HostConnection } from '../lib/host.js';
import { PermissionStore } from '../lib/permissions.js';
import { RequestQueue } from '../lib/queue.js';

/* global MYNACONNECT_HOST_NAME -- replaced by the build with manifesttemplates.HostName */

const MAX_WAITING = 8;

export const EXTENSION_URL = chrome.runtime.getURL('');
/** The extension's own origin: its settings page asks for changes to the account's protection. */
export const OWN_ORIGIN = new URL(EXTENSION_URL).origin;
export const permissions = new PermissionStore(chrome.storage.local);
export const queue = new RequestQueue(MAX_WAITING);
export const cooldown = new Cooldown();
export const statusPorts = new Set();
export const pagePorts = new Map(); // page port -> {origin, connected}: where events go

// The host's latest listReaders result or readersChanged data, and a
// promise of its ethChains result once asked; both are forgotten when the
// host exits.
export const hostState = { readers: null, chains: null };

// onHostExit is set by the consent module, which answers the request the
// host's exit cut off.
export const hooks = { onHostExit: () => {} };

export const host = new HostConnection({
  connect: () => chrome.runtime.connectNative(MYNACONNECT_HOST_NAME),
  // Firefox reports the reason on the port, Chromium in lastError (which
  // must be read inside the onDisconnect listener to count as handled).
  disconnectReason: (port) => port.error?.message ?? chrome.runtime.lastError?.message ?? '',
  extensionVersion: chrome.runtime.getManifest().version,
  onEvent(name, data) {
    if (name !== 'readersChanged' || typeof data !== 'object' || data === null) return;
    hostState.readers = data;
    broadcast({ type: 'readers', ...data });
  },
  onExit(reason) {
    hostState.readers = null;
    hostState.chains = null;
    for (const [port, page] of pagePorts) {
      if (!page.connected) continue;
      page.connected = false;
      post(port, { event: 'disconnect', data: pageError(reason) });
    }
    hooks.onHostExit(reason);
    // Not reconnected here: a host that crashes at once would be restarted
    // in a loop. The next request, or the person, starts it again.
    broadcast({ type: 'host', state: 'exited' });
  },
});

/** broadcast sends msg to the options and onboarding pages and the open consent window. */
export function broadcast(msg) {
  for (const port of statusPorts) post(port, msg);
  const consent = queue.active?.consent;
  if (consent) post(consent, msg);
}

/** post sends on a port that may have closed meanwhile. */
export function post(port, msg) {
  try {
    port.postMessage(msg);
  } catch {
    // The other end is gone; its onDisconnect cleans up.
  }
}

/** emit sends an EIP-1193 event to every page of origin. */
export function emit(origin, event, data) {
  for (const [port, page] of pagePorts) if (page.origin === origin) post(port, { event, data });
}
