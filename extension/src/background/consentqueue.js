// The requests that need the person: one consent window at a time, the
// others waiting in the queue; each ends once, with the page's answer, and
// its window closes.

import { pageError } from '../lib/errors.js';
import { prepareSheetHost } from './sheethost.js';
import { EXTENSION_URL, OWN_ORIGIN, cooldown, hooks, host, permissions, post, queue } from './state.js';

const CONSENT_TIMEOUT_MS = 5 * 60 * 1000;

// hostSeen: this profile has reached the host before (kept in storage, read
// once per service worker), so the window may open while the host starts.
let hostSeen = false;
const CONSENT_WINDOW = { width: 480, height: 720 };

hooks.onHostExit = (reason) => {
  const req = queue.active;
  if (req) finish(req, { error: pageError(reason) });
};

/**
 * consent queues a request that needs the person and settles with what the
 * consent window's approval produced.
 */
export function consent(port, origin, spec) {
  return new Promise((resolve, reject) => {
    // The cooldown stops a site from wearing the person down; on
    // MynaConnect's own page the person is the one asking.
    if (origin !== OWN_ORIGIN && cooldown.remaining(origin)) {
      reject(pageError('COOLDOWN'));
      return;
    }
    const req = {
      ...spec, key: crypto.randomUUID(), port, origin, resolve, reject,
      settled: false, firstSeen: true, windowId: null, consent: null, early: null, card: null, timer: 0,
      // When each step before the window began, for the time-to-sheet
      // breakdown (docs/benchmarks.md); the window adds its own.
      timing: { askedAt: now() },
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
  // The host starts (when it is not running yet) while the window opens:
  // each takes about as long as the other on the first request of a
  // browser session. Until this profile has once reached the host, the
  // host comes first: without it there is nothing to consent to, and a
  // window that flashes open and shut would only confuse.
  const ready = host.ready();
  ready.catch(() => {});
  hostSeen ||= (await chrome.storage.local.get('hostSeen').catch(() => ({}))).hostSeen === true;
  let opening = null;
  const open = () => {
    prepareSheetHost(); // open already, unless the browser closed it
    req.timing.windowOpeningAt = now();
    opening = chrome.windows.create({
      url: `${EXTENSION_URL}consent.html?key=${req.key}&kind=${req.kind}`, type: 'popup', focused: true, ...CONSENT_WINDOW,
    });
    opening.catch(() => {});
  };
  if (hostSeen) open();
  try {
    await ready;
    req.timing.hostReadyAt = now();
    if (!hostSeen) {
      hostSeen = true;
      chrome.storage.local.set({ hostSeen: true }).catch(() => {});
    }
  } catch (e) {
    finish(req, { error: pageError(e.code === 'HOST_VERSION' ? 'HOST_VERSION' : 'HOST_MISSING', { message: e.message }) });
    if (e.code !== 'HOST_VERSION') openOnboardingOnce();
  }
  if (!opening) {
    if (req.settled) { // no host, or the page went away meanwhile
      release(req);
      return;
    }
    open();
  }
  // The certificate read starts while the window loads: the sheet needs
  // it, and the card takes its time.
  if (!req.settled) {
    req.early = req.kind === 'login' ? host.call('readAuthCertificate', {}) : host.call('ethAccount', { chainId: req.chain.chainId });
    req.early.catch(() => {}); // the consent page asks for it, or a fresh read
  }
  let win;
  try {
    win = await opening;
  } catch (e) {
    finish(req, { error: pageError('INTERNAL', { message: `The consent window did not open: ${e?.message}` }) });
    release(req);
    return;
  }
  req.windowId = win.id;
  if (req.settled) closeWindow(req, 0); // settled while the window opened
}

/**
 * finish answers the page once and closes the request's window. The
 * request stays active until the window is gone (release).
 */
export function finish(req, outcome, closeAfterMs = 0) {
  if (!req.settled) {
    req.settled = true;
    clearTimeout(req.timer);
    req.early = null;
    if (outcome.error) {
      req.reject(outcome.error);
    } else {
      cooldown.approved(req.origin);
      req.resolve(outcome.result);
    }
  }
  if (queue.active !== req) return; // a waiting request has no window
  if (req.windowId === null) return; // pump or windowClosed releases it
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

function now() {
  return performance.timeOrigin + performance.now();
}

/** windowClosed ends the active request whose window the person closed. */
export function windowClosed(windowId) {
  const req = queue.active;
  if (!req || req.windowId !== windowId) return;
  req.windowId = null;
  if (!req.settled) cooldown.declined(req.origin);
  finish(req, { error: pageError('WINDOW_CLOSED') });
  release(req);
}

/** pageGone ends the requests of a page that closed or navigated away. */
export function pageGone(port) {
  // Its requests need no answer and no one should be asked about them.
  for (const req of queue.removeWaiting((r) => r.port === port)) finish(req, { error: pageError('WINDOW_CLOSED') });
  if (queue.active?.port === port) finish(queue.active, { error: pageError('USER_REJECTED') });
  sendQueueLength();
}

/** sendQueueLength tells the consent window how many requests wait behind it. */
export function sendQueueLength() {
  const consent = queue.active?.consent;
  if (consent) post(consent, { type: 'queue', waiting: queue.waiting });
}

/** openOnboardingOnce opens the onboarding page, once per browser session. */
export async function openOnboardingOnce() {
  const { onboardingOpened } = await chrome.storage.session.get('onboardingOpened');
  if (onboardingOpened) return;
  await chrome.storage.session.set({ onboardingOpened: true });
  await chrome.tabs.create({ url: `${EXTENSION_URL}onboarding.html` });
}
