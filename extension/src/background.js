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
//   'consent' consent.html → {type: 'attach', key} | {type: 'op', id, op, …} | {type: 'finish', reason, hostCode?, detail?}
//             ← {type: 'start', origin, firstSeen, waiting, kind, chain?, account?, payload?} | {type: 'gone'}
//               | {type: 'op-result', id, result} | {type: 'op-result', id, error}
//               | {type: 'readers', readers, error?} | {type: 'queue', waiting}
//   'status'  options.html, onboarding.html → {type: 'check'}
//             ← {type: 'host', state: 'ready'|'missing'|'version'|'exited', hostVersion?, message?}
//               | {type: 'readers', readers, error?}
//
// A request that needs the person (a "consent request") has a kind:
//   login      mynaconnect_authenticate: certificate, sheet, PIN, token
//   connect    eth_requestAccounts: card account, sheet, approve (no PIN)
//   message    personal_sign          ┐ card account, sheet, PIN, and the
//   typedData  eth_signTypedData_v4   │ host signs (and sends) exactly the
//   calls      eth_sendTransaction,   ┘ payload the sheet showed
//              wallet_sendCalls

import { Cooldown } from './lib/cooldown.js';
import { isPortRequest } from './lib/envelope.js';
import { isHostFailure, isPageError, pageError, pageErrorForHost } from './lib/errors.js';
import {
  READ_ONLY_METHODS, address, chainIdHex, chainParams, permissionParams, personalSignParams, sendCallsParams,
  transactionParams, typedDataParams,
} from './lib/ethparams.js';
import { HostConnection } from './lib/host.js';
import { authenticateParams, originAllowed } from './lib/params.js';
import { ACCOUNTS, CAPABILITIES, LOGIN, PermissionStore } from './lib/permissions.js';
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
const cooldown = new Cooldown();
const statusPorts = new Set();
const pagePorts = new Map(); // page port -> {origin, connected}: where events go
let readers = null; // the host's latest listReaders result or readersChanged data
let chains = null; // a promise of the host's ethChains result, once asked

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
    chains = null;
    for (const [port, page] of pagePorts) {
      if (!page.connected) continue;
      page.connected = false;
      post(port, { event: 'disconnect', data: pageError(reason) });
    }
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
  if (!req.settled) cooldown.declined(req.origin);
  finish(req, { error: pageError('WINDOW_CLOSED') });
  release(req);
});

// --- page requests ---------------------------------------------------------

function pagePort(port) {
  // The browser's word for who is calling; an iframe is its own origin.
  const origin = senderOrigin(port.sender);
  const page = { origin, connected: false };
  pagePorts.set(port, page);
  port.onMessage.addListener(async (msg) => {
    if (!isPortRequest(msg)) return;
    let answer;
    try {
      answer = { result: await dispatch(port, origin, msg) };
      if (!page.connected && msg.method.startsWith('eth_') && chains) {
        page.connected = true;
        const chain = await originChain(origin).catch(() => null);
        if (chain) post(port, { event: 'connect', data: { chainId: chainIdHex(chain.chainId) } });
      }
    } catch (e) {
      answer = { error: isPageError(e) ? e : pageError('INTERNAL', { message: String(e?.message ?? e) }) };
    }
    post(port, { id: msg.id, ...answer });
  });
  port.onDisconnect.addListener(() => {
    pagePorts.delete(port);
    // The page is gone (closed, navigated, or the worker restarted): its
    // requests need no answer and no one should be asked about them.
    for (const req of queue.removeWaiting((r) => r.port === port)) finish(req, { error: pageError('WINDOW_CLOSED') });
    if (queue.active?.port === port) finish(queue.active, { error: pageError('USER_REJECTED') });
    sendQueueLength();
  });
}

// emit sends an EIP-1193 event to every page of origin.
function emit(origin, event, data) {
  for (const [port, page] of pagePorts) if (page.origin === origin) post(port, { event, data });
}

async function dispatch(port, origin, msg) {
  const params = msg.params;
  switch (msg.method) {
    case 'wallet_getPermissions':
      return permissions.get(origin);
    case 'wallet_revokePermissions': {
      const capability = permissionParams(params, CAPABILITIES);
      const had = capability === ACCOUNTS && (await permissions.get(origin)).some((p) => p.parentCapability === ACCOUNTS);
      await permissions.revoke(origin, capability);
      if (had) emit(origin, 'accountsChanged', []);
      return null;
    }
    case 'mynaconnect_authenticate': {
      requireOrigin(origin);
      const { challengeNonce } = authenticateParams(params);
      return consent(port, origin, { kind: 'login', nonce: challengeNonce });
    }
    case 'eth_sign':
    case 'eth_signTransaction':
      throw pageError('NO_RAW_KEY');
  }
  if (!isEthereumMethod(msg.method)) throw pageError('UNSUPPORTED_METHOD', { message: `(${msg.method})` });
  requireOrigin(origin);
  const chain = await originChain(origin);
  switch (msg.method) {
    case 'eth_chainId':
      return chainIdHex(chain.chainId);
    case 'net_version':
      return String(chain.chainId);
    case 'eth_accounts':
      return permissions.accounts(origin, chain.chainId);
    case 'eth_requestAccounts':
      return connectAccount(port, origin, chain);
    case 'wallet_requestPermissions': {
      if (permissionParams(params, CAPABILITIES) === LOGIN) {
        throw pageError('INVALID_PARAMS', { message: 'mynaconnect_authenticate is granted by approving a login.' });
      }
      await connectAccount(port, origin, chain);
      return (await permissions.get(origin)).filter((p) => p.parentCapability === ACCOUNTS);
    }
    case 'personal_sign': {
      const { message, address: from } = personalSignParams(params);
      const account = await connectedAccount(origin, chain, from);
      return (await consent(port, origin, { kind: 'message', chain, account, payload: { message } })).signature;
    }
    case 'eth_signTypedData_v4': {
      const { typedData, address: from } = typedDataParams(params);
      const account = await connectedAccount(origin, chain, from);
      return (await consent(port, origin, { kind: 'typedData', chain, account, payload: { typedData } })).signature;
    }
    case 'eth_sendTransaction': {
      const { from, chainId, calls } = transactionParams(params);
      if (chainId !== undefined && chainId !== chain.chainId) throw pageError('UNSUPPORTED_CHAIN_ID');
      const account = await connectedAccount(origin, chain, from);
      return (await consent(port, origin, { kind: 'calls', chain, account, payload: { calls } })).transactionHash;
    }
    case 'wallet_sendCalls': {
      const { from, chainId, calls } = sendCallsParams(params);
      if (chainId !== undefined && chainId !== chain.chainId) throw pageError('UNSUPPORTED_CHAIN_ID');
      const account = await connectedAccount(origin, chain, from);
      const sent = await consent(port, origin, { kind: 'calls', chain, account, payload: { calls, batch: true } });
      await rememberBundle(sent.userOperationHash, { origin, chainId: chain.chainId, transactionHash: sent.transactionHash });
      return { id: sent.userOperationHash };
    }
    case 'wallet_getCallsStatus':
      return callsStatus(origin, params);
    case 'wallet_getCapabilities': {
      const all = await chainList();
      return Object.fromEntries(all.chains.map((c) => [chainIdHex(c.chainId), { atomic: { status: 'supported' } }]));
    }
    case 'wallet_switchEthereumChain':
    case 'wallet_addEthereumChain':
      // Chains come from the configuration file, never from a page: adding
      // one that is configured is switching to it.
      return switchChain(origin, chain, chainParams(params, msg.method === 'wallet_addEthereumChain'));
    default:
      return hostCall('ethRpc', { chainId: chain.chainId, method: msg.method, params: params ?? [] }).then((r) => r.result);
  }
}

const ETHEREUM_METHODS = new Set([
  'eth_chainId', 'net_version', 'eth_accounts', 'eth_requestAccounts', 'wallet_requestPermissions', 'personal_sign',
  'eth_signTypedData_v4', 'eth_sendTransaction', 'wallet_sendCalls', 'wallet_getCallsStatus', 'wallet_getCapabilities',
  'wallet_switchEthereumChain', 'wallet_addEthereumChain',
]);

function isEthereumMethod(method) {
  return ETHEREUM_METHODS.has(method) || READ_ONLY_METHODS.has(method);
}

function requireOrigin(origin) {
  if (!originAllowed(origin)) throw pageError('ORIGIN_NOT_ALLOWED');
}

// hostCall is a host method for a page request: host failures and host
// errors become the page's errors.
async function hostCall(method, params) {
  try {
    await host.ready();
    return await host.call(method, params);
  } catch (e) {
    if (e?.code === 'HOST_MISSING') openOnboardingOnce();
    throw pageErrorForHost(e);
  }
}

// chainList is the host's chain configuration, asked once per host start.
function chainList() {
  if (!chains) {
    const asking = hostCall('ethChains', {});
    chains = asking;
    asking.catch(() => {
      if (chains === asking) chains = null;
    });
  }
  return chains;
}

// originChain is the chain an origin is on: the one it switched to, else
// the configuration's default.
async function originChain(origin) {
  const all = await chainList();
  const { chainByOrigin = {} } = await chrome.storage.local.get('chainByOrigin');
  const chosen = Object.hasOwn(chainByOrigin, origin) ? chainByOrigin[origin] : all.defaultChainId;
  return all.chains.find((c) => c.chainId === chosen) ?? all.chains.find((c) => c.chainId === all.defaultChainId) ?? all.chains[0];
}

async function switchChain(origin, current, chainId) {
  const all = await chainList();
  if (!all.chains.some((c) => c.chainId === chainId)) throw pageError('UNRECOGNIZED_CHAIN', { message: `(${chainIdHex(chainId)})` });
  if (chainId === current.chainId) return null;
  const before = await permissions.accounts(origin, current.chainId);
  const { chainByOrigin = {} } = await chrome.storage.local.get('chainByOrigin');
  await chrome.storage.local.set({ chainByOrigin: { ...chainByOrigin, [origin]: chainId } });
  emit(origin, 'chainChanged', chainIdHex(chainId));
  const after = await permissions.accounts(origin, chainId);
  if (before.join() !== after.join()) emit(origin, 'accountsChanged', after);
  return null;
}

// connectAccount answers eth_requestAccounts: the account already
// connected, or a consent window that connects one.
async function connectAccount(port, origin, chain) {
  const connected = await permissions.accounts(origin, chain.chainId);
  if (connected.length) return connected;
  const account = await consent(port, origin, { kind: 'connect', chain });
  return [account];
}

// connectedAccount is the account this origin was given, which from (when
// the request names one) must be.
async function connectedAccount(origin, chain, from) {
  const [connected] = await permissions.accounts(origin, chain.chainId);
  if (!connected || (from !== undefined && address(from, 'the account') !== connected.toLowerCase())) {
    throw pageError('UNAUTHORIZED');
  }
  return connected;
}

// Batches sent with wallet_sendCalls, by id, for wallet_getCallsStatus: in
// session storage, as they matter while the browser runs.
async function rememberBundle(id, bundle) {
  const { bundles = {} } = await chrome.storage.session.get('bundles');
  await chrome.storage.session.set({ bundles: { ...bundles, [id]: bundle } });
}

async function callsStatus(origin, params) {
  const id = Array.isArray(params) && typeof params[0] === 'string' ? params[0] : null;
  if (!id || id.length > 256) throw pageError('INVALID_PARAMS', { message: 'params must be [id].' });
  const { bundles = {} } = await chrome.storage.session.get('bundles');
  const bundle = Object.hasOwn(bundles, id) ? bundles[id] : null;
  if (!bundle || bundle.origin !== origin) throw pageError('UNKNOWN_BUNDLE');
  const { result: receipt } = await hostCall('ethRpc', {
    chainId: bundle.chainId, method: 'eth_getTransactionReceipt', params: [bundle.transactionHash],
  });
  // EIP-5792 codes: 100 pending, 200 confirmed, 500 reverted on chain.
  const status = !receipt ? 100 : receipt.status === '0x1' ? 200 : 500;
  return {
    version: '2.0.0', id, chainId: chainIdHex(bundle.chainId), status, atomic: true,
    ...(receipt ? {
      receipts: [{
        logs: receipt.logs, status: receipt.status, blockHash: receipt.blockHash, blockNumber: receipt.blockNumber,
        gasUsed: receipt.gasUsed, transactionHash: receipt.transactionHash,
      }],
    } : {}),
  };
}

// consent queues a request that needs the person and settles with what the
// consent window's approval produced.
function consent(port, origin, spec) {
  return new Promise((resolve, reject) => {
    if (cooldown.remaining(origin)) {
      reject(pageError('COOLDOWN'));
      return;
    }
    const req = {
      ...spec, key: crypto.randomUUID(), port, origin, resolve, reject,
      settled: false, firstSeen: true, windowId: null, consent: null, early: null, card: null, timer: 0,
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
  req.early = req.kind === 'login' ? host.call('readAuthCertificate', {}) : host.call('ethAccount', { chainId: req.chain.chainId });
  req.early.catch(() => {}); // the consent page asks for it, or a fresh read
  let win;
  try {
    win = await chrome.windows.create({
      url: `${EXTENSION_URL}consent.html?key=${req.key}&kind=${req.kind}`, type: 'popup', focused: true, ...CONSENT_WINDOW,
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
    req.early = null;
    if (outcome.error) {
      req.reject(outcome.error);
    } else {
      cooldown.approved(req.origin);
      req.resolve(outcome.result);
    }
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
      post(port, {
        type: 'start', origin: req.origin, firstSeen: req.firstSeen, waiting: queue.waiting,
        kind: req.kind, chain: req.chain, account: req.account, payload: req.payload,
      });
      if (readers) post(port, { type: 'readers', ...readers });
      return;
    }
    if (!req || req.settled || queue.active !== req) return;
    if (msg.type === 'finish') {
      const reasons = { USER_REJECTED: 1, PIN_BLOCKED: 1, CARD_ERROR: 1, INVALID_PARAMS: 1 };
      if (!Object.hasOwn(reasons, msg.reason)) return;
      const hostCode = typeof msg.hostCode === 'string' && /^[A-Z_]{1,32}$/.test(msg.hostCode) ? msg.hostCode : undefined;
      // INVALID_PARAMS: the sheet refused the page's payload and says why.
      const detail = msg.reason === 'INVALID_PARAMS' && typeof msg.detail === 'string' ? msg.detail.slice(0, 300) : undefined;
      const error = msg.reason === 'CARD_ERROR' && hostCode ? pageErrorForHost({ code: hostCode }) : pageError(msg.reason, { hostCode, message: detail });
      if (msg.reason === 'USER_REJECTED') cooldown.declined(req.origin);
      finish(req, { error });
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
const PIN = /^[0-9]{4}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

// Host methods that sign what a consent request of each kind carries.
const SIGN_METHODS = { message: 'ethSignMessage', typedData: 'ethSignTypedData', calls: 'ethSendCalls' };

// consentOp runs one card operation the consent page asks for. The page
// names the operation and the reader; origin, challenge, account and
// payload come from the request, never from the page.
async function consentOp(req, msg) {
  const reader = typeof msg.reader === 'string' && READER_NAME.test(msg.reader) ? { reader: msg.reader } : {};
  const login = req.kind === 'login';
  switch (msg.op) {
    case 'listReaders':
      readers = await host.call('listReaders');
      return readers;
    case 'authPinStatus':
      return host.call('authPinStatus', reader);
    case 'readAuthCertificate':
      if (!login) break;
      return earlyOr(req, reader, () => host.call('readAuthCertificate', reader));
    case 'readAccount':
      if (login) break;
      // Kept here: a connect grants exactly the account the host derived.
      req.card = await earlyOr(req, reader, () => host.call('ethAccount', { chainId: req.chain.chainId, ...reader }));
      return req.card;
    case 'authenticate': {
      if (!login) break;
      const certificateSha256 = checkApproval(msg);
      const call = host.call('authenticate', {
        origin: req.origin, challengeNonce: req.nonce, pin: msg.pin, certificateSha256, ...reader,
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
    case 'approveConnect': {
      if (req.kind !== 'connect' || !req.card) break;
      const { address: account } = req.card;
      await permissions.grantAccount(req.origin, req.chain.chainId, account);
      finish(req, { result: account }, DONE_CLOSE_MS);
      emit(req.origin, 'accountsChanged', [account]);
      return { address: account };
    }
    case 'prepareCalls': {
      // The fee the sheet shows, and the one ethSendCalls then uses exactly.
      if (req.kind !== 'calls' || !req.card) break;
      const prepared = await host.call('ethPrepareCalls', {
        chainId: req.chain.chainId, account: req.account, certificateSha256: req.card.certificateSha256,
        calls: req.payload.calls, ...reader,
      });
      req.fee = prepared.fee;
      return prepared;
    }
    case 'sign': {
      if (!Object.hasOwn(SIGN_METHODS, req.kind)) break;
      const certificateSha256 = checkApproval(msg);
      const call = host.call(SIGN_METHODS[req.kind], {
        chainId: req.chain.chainId, account: req.account, certificateSha256, pin: msg.pin, ...reader, ...hostPayload(req),
      });
      msg.pin = null;
      const result = await call;
      if (req.settled) throw { code: 'TIMEOUT', message: 'the request ended while the card signed' };
      finish(req, { result }, DONE_CLOSE_MS);
      return result;
    }
  }
  throw { code: 'INTERNAL', message: `no operation ${String(msg.op).slice(0, 32)} for a ${req.kind} request` };
}

// earlyOr takes the read the service worker started when the window opened,
// if it is for the reader asked for; else reads afresh.
async function earlyOr(req, reader, read) {
  const early = req.early;
  req.early = null;
  if (early && !reader.reader) return early;
  if (early) {
    const r = await early.catch(() => null);
    if (r?.reader === reader.reader) return r;
  }
  return read();
}

// checkApproval checks the PIN's format and the hash of what the sheet
// showed, before the host is asked.
function checkApproval(msg) {
  if (typeof msg.pin !== 'string' || !PIN.test(msg.pin)) throw { code: 'PIN_FORMAT', message: 'the PIN is not 4 digits' };
  if (typeof msg.certificateSha256 !== 'string' || !SHA256_HEX.test(msg.certificateSha256)) {
    throw { code: 'INTERNAL', message: 'certificateSha256 is not 64 hex digits' };
  }
  return msg.certificateSha256;
}

// hostPayload is the part of the host request the sheet showed, as shown:
// calls go with the fee prepared for them.
function hostPayload(req) {
  if ('calls' in req.payload) return { calls: req.payload.calls, fee: req.fee };
  return req.payload;
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
