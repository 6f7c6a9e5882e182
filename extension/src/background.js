// The service worker: the one place that decides. It takes each request's
// origin from the browser, keeps per-origin permissions, queues logins so
// that one consent window is open at a time, and owns the native port to
// mynaconnect-host. State that must outlive the worker (permissions,
// settings) is in chrome.storage; requests in flight live only as long as
// the pages' ports, which drop when the worker stops. While the native
// port is open the browser keeps the worker alive.
//
// Ports (chrome.runtime.connect names) and their messages:
//   'page'    bridge → {id, method, params}; ← {id, result} | {id, error}
//   'consent' consent.html → {type: 'attach', key} | {type: 'op', id, op, …} | {type: 'finish', reason, hostCode?}
//             ← {type: 'start', origin, firstSeen, waiting} | {type: 'gone'}
//               | {type: 'op-result', id, result} | {type: 'op-result', id, error}
//               | {type: 'readers', readers, error?} | {type: 'queue', waiting}
//   'status'  options.html, onboarding.html → {type: 'check'}
//             ← {type: 'host', state: 'ready'|'missing'|'version'|'exited', hostVersion?, message?}
//               | {type: 'readers', readers, error?}

import { isPortRequest } from './lib/envelope.js';
import { isHostFailure, isPageError, pageError } from './lib/errors.js';
import { HostConnection } from './lib/host.js';
import { authenticateParams, originAllowed, revokeParams } from './lib/params.js';
import { PermissionStore } from './lib/permissions.js';
import { RequestQueue } from './lib/queue.js';

/* global MYNACONNECT_HOST_NAME -- replaced by the build with manifesttemplates.HostName */

const CONSENT_TIMEOUT_MS = 5 * 60 * 1000;
const MAX_WAITING = 8;
// The done screen stays this long before the window closes; the page has
// its token already.
const DONE_CLOSE_MS = 1500;
const CONSENT_WINDOW = { width: 480, height: 720 };
const EXTENSION_URL = chrome.runtime.getURL('');

const permissions = new PermissionStore(chrome.storage.local);
const queue = new RequestQueue(MAX_WAITING);
const statusPorts = new Set();
let readers = null; // the host's latest listReaders result or readersChanged data

const host = new HostConnection({
  connect: () => chrome.runtime.connectNative(MYNACONNECT_HOST_NAME),
  // Firefox reports the reason on the port, Chromium in lastError (which
  // must be read inside the onDisconnect listener to count as handled).
  disconnectReason: (port) => port.error?.message ?? chrome.runtime.lastError?.message ?? '',
  extensionVersion: chrome.runtime.getManifest().version,
  onEvent(name, data) {
    if (name !== 'readersChanged' || typeof data !== 'object' || data === null) return;
    readers = data;
    broadcast({ type: 'readers', ...data });
  },
  onExit(reason) {
    readers = null;
    const req = queue.active;
    if (req) finish(req, { error: pageError(reason) });
    // Not reconnected here: a host that crashes at once would be restarted
    // in a loop. The next request, or the person, starts it again.
    broadcast({ type: 'host', state: 'exited' });
  },
});

function broadcast(msg) {
  for (const port of statusPorts) post(port, msg);
  const consent = queue.active?.consent;
  if (consent) post(consent, msg);
}

// post sends on a port that may have closed meanwhile.
function post(port, msg) {
  try {
    port.postMessage(msg);
  } catch {
    // The other end is gone; its onDisconnect cleans up.
  }
}

function senderOrigin(sender) {
  if (typeof sender.origin === 'string') return sender.origin;
  try {
    return new URL(sender.url).origin;
  } catch {
    return 'null';
  }
}

function isExtensionPage(sender) {
  return typeof sender.url === 'string' && sender.url.startsWith(EXTENSION_URL) && !sender.frameId;
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === 'page' && !isExtensionPage(port.sender)) return pagePort(port);
  if (port.name === 'consent' && isExtensionPage(port.sender)) return consentPort(port);
  if (port.name === 'status' && isExtensionPage(port.sender)) return statusPort(port);
  port.disconnect();
});

chrome.windows.onRemoved.addListener((windowId) => {
  const req = queue.active;
  if (!req || req.windowId !== windowId) return;
  req.windowId = null;
  finish(req, { error: pageError('WINDOW_CLOSED') });
  release(req);
});

// --- page requests ---------------------------------------------------------

function pagePort(port) {
  // The browser's word for who is calling; an iframe is its own origin.
  const origin = senderOrigin(port.sender);
  port.onMessage.addListener(async (msg) => {
    if (!isPortRequest(msg)) return;
    let answer;
    try {
      answer = { result: await dispatch(port, origin, msg) };
    } catch (e) {
      answer = { error: isPageError(e) ? e : pageError('INTERNAL', { message: String(e?.message ?? e) }) };
    }
    post(port, { id: msg.id, ...answer });
  });
  port.onDisconnect.addListener(() => {
    // The page is gone (closed, navigated, or the worker restarted): its
    // requests need no answer and no one should be asked about them.
    for (const req of queue.removeWaiting((r) => r.port === port)) finish(req, { error: pageError('WINDOW_CLOSED') });
    if (queue.active?.port === port) finish(queue.active, { error: pageError('USER_REJECTED') });
    sendQueueLength();
  });
}

async function dispatch(port, origin, msg) {
  switch (msg.method) {
    case 'wallet_getPermissions':
      return permissions.get(origin);
    case 'wallet_revokePermissions':
      revokeParams(msg.params);
      await permissions.revoke(origin);
      return null;
    case 'mynaconnect_authenticate': {
      if (!originAllowed(origin)) throw pageError('ORIGIN_NOT_ALLOWED');
      const { challengeNonce } = authenticateParams(msg.params);
      return login(port, origin, challengeNonce);
    }
    default:
      throw pageError('UNSUPPORTED_METHOD', { message: `(${msg.method})` });
  }
}

function login(port, origin, nonce) {
  return new Promise((resolve, reject) => {
    const req = {
      key: crypto.randomUUID(), port, origin, nonce, resolve, reject,
      settled: false, firstSeen: true, windowId: null, consent: null, certificate: null, timer: 0,
    };
    if (!queue.add(req)) {
      reject(pageError('QUEUE_FULL'));
      return;
    }
    sendQueueLength();
    pump();
  });
}

// pump shows the next waiting request, if no window is open.
async function pump() {
  const req = queue.next();
  if (!req) return;
  sendQueueLength();
  req.timer = setTimeout(() => finish(req, { error: pageError('TIMEOUT') }), CONSENT_TIMEOUT_MS);
  // Known before the window opens: the consent page asks for it at once.
  req.firstSeen = !(await permissions.has(req.origin).catch(() => false));
  // The host first (instant once connected): without it there is nothing
  // to consent to, and a window that flashes open and shut would only
  // confuse. Then the certificate read starts while the window opens: the
  // sheet needs it, and the card takes its time.
  try {
    await host.ready();
  } catch (e) {
    finish(req, { error: pageError(e.code === 'HOST_VERSION' ? 'HOST_VERSION' : 'HOST_MISSING', { message: e.message }) });
    release(req);
    if (e.code !== 'HOST_VERSION') openOnboardingOnce();
    return;
  }
  if (req.settled) { // the page went away meanwhile
    release(req);
    return;
  }
  req.certificate = host.call('readAuthCertificate', {});
  req.certificate.catch(() => {}); // the consent page asks for it, or a fresh read
  let win;
  try {
    win = await chrome.windows.create({
      url: `${EXTENSION_URL}consent.html?key=${req.key}`, type: 'popup', focused: true, ...CONSENT_WINDOW,
    });
  } catch (e) {
    finish(req, { error: pageError('INTERNAL', { message: `The consent window did not open: ${e?.message}` }) });
    release(req);
    return;
  }
  req.windowId = win.id;
  if (req.settled) closeWindow(req, 0); // settled while the window opened
}

// finish answers the page once and closes the request's window. The
// request stays active until the window is gone (release).
function finish(req, outcome, closeAfterMs = 0) {
  if (!req.settled) {
    req.settled = true;
    clearTimeout(req.timer);
    req.certificate = null;
    if (outcome.error) req.reject(outcome.error);
    else req.resolve(outcome.result);
  }
  if (queue.active !== req) return; // a waiting request has no window
  if (req.windowId === null) return; // pump or onRemoved releases it
  closeWindow(req, closeAfterMs);
}

function closeWindow(req, delayMs) {
  const id = req.windowId;
  setTimeout(() => chrome.windows.remove(id).catch(() => release(req)), delayMs);
}

function release(req) {
  if (!queue.remove(req)) return;
  pump();
}

function sendQueueLength() {
  const consent = queue.active?.consent;
  if (consent) post(consent, { type: 'queue', waiting: queue.waiting });
}

async function openOnboardingOnce() {
  const { onboardingOpened } = await chrome.storage.session.get('onboardingOpened');
  if (onboardingOpened) return;
  await chrome.storage.session.set({ onboardingOpened: true });
  await chrome.tabs.create({ url: `${EXTENSION_URL}onboarding.html` });
}

// --- the consent window ----------------------------------------------------

function consentPort(port) {
  let req = null;
  port.onMessage.addListener(async (msg) => {
    if (typeof msg !== 'object' || msg === null) return;
    if (msg.type === 'attach') {
      const active = queue.active;
      if (!active || active.settled || active.key !== msg.key) {
        post(port, { type: 'gone' });
        return;
      }
      req = active;
      req.consent = port;
      post(port, { type: 'start', origin: req.origin, firstSeen: req.firstSeen, waiting: queue.waiting });
      if (readers) post(port, { type: 'readers', ...readers });
      return;
    }
    if (!req || req.settled || queue.active !== req) return;
    if (msg.type === 'finish') {
      const reasons = { USER_REJECTED: 1, PIN_BLOCKED: 1, CARD_ERROR: 1 };
      if (!Object.hasOwn(reasons, msg.reason)) return;
      const hostCode = typeof msg.hostCode === 'string' && /^[A-Z_]{1,32}$/.test(msg.hostCode) ? msg.hostCode : undefined;
      finish(req, { error: pageError(msg.reason, { hostCode }) });
    } else if (msg.type === 'op') {
      let answer;
      try {
        answer = { result: await consentOp(req, msg) };
      } catch (e) {
        answer = { error: typeof e?.code === 'string' ? e : { code: 'INTERNAL', message: String(e?.message ?? e) } };
      }
      post(port, { type: 'op-result', id: msg.id, ...answer });
    }
  });
  port.onDisconnect.addListener(() => {
    if (req?.consent === port) req.consent = null;
  });
}

const READER_NAME = /^[^\0]{1,256}$/;

// consentOp runs one card operation the consent page asks for. The page
// names the operation and the reader; origin and challenge come from the
// request, never from the page.
async function consentOp(req, msg) {
  const reader = typeof msg.reader === 'string' && READER_NAME.test(msg.reader) ? { reader: msg.reader } : {};
  switch (msg.op) {
    case 'listReaders':
      readers = await host.call('listReaders');
      return readers;
    case 'readAuthCertificate': {
      const early = req.certificate;
      req.certificate = null;
      if (early && !reader.reader) return early;
      if (early) {
        const cert = await early.catch(() => null);
        if (cert?.reader === reader.reader) return cert;
      }
      return host.call('readAuthCertificate', reader);
    }
    case 'authPinStatus':
      return host.call('authPinStatus', reader);
    case 'authenticate': {
      if (typeof msg.pin !== 'string' || !/^[0-9]{4}$/.test(msg.pin)) throw { code: 'PIN_FORMAT', message: 'the PIN is not 4 digits' };
      if (typeof msg.certificateSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(msg.certificateSha256)) {
        throw { code: 'INTERNAL', message: 'certificateSha256 is not 64 hex digits' };
      }
      const call = host.call('authenticate', {
        origin: req.origin, challengeNonce: req.nonce, pin: msg.pin, certificateSha256: msg.certificateSha256, ...reader,
      });
      msg.pin = null; // the message object is this worker's only copy
      const { token, reader: used } = await call;
      // Closed or timed out while the card signed: the token goes nowhere
      // and the site gets no permission.
      if (req.settled) throw { code: 'TIMEOUT', message: 'the request ended while the card signed' };
      // A storage failure must not cost the person the login: the site is
      // only "first seen" again next time.
      await permissions.grant(req.origin).catch(() => {});
      finish(req, { result: token }, DONE_CLOSE_MS);
      return { reader: used };
    }
    default:
      throw { code: 'INTERNAL', message: 'unknown operation' };
  }
}

// --- options and onboarding pages -----------------------------------------

function statusPort(port) {
  statusPorts.add(port);
  port.onDisconnect.addListener(() => statusPorts.delete(port));
  port.onMessage.addListener((msg) => {
    if (msg?.type === 'check') checkHost(port);
  });
}

async function checkHost(port) {
  try {
    const hello = await host.ready();
    post(port, { type: 'host', state: 'ready', hostVersion: hello.hostVersion });
    readers = await host.call('listReaders');
    post(port, { type: 'readers', ...readers });
  } catch (e) {
    const state = e.code === 'HOST_VERSION' ? 'version' : isHostFailure(e) ? 'missing' : 'ready';
    post(port, { type: 'host', state, message: e.message });
    if (e.code === 'PCSC_UNAVAILABLE') post(port, { type: 'readers', readers: [], error: { code: e.code, message: e.message } });
  }
}
