// The consent window (the 'consent' port of consent.html): it attaches to
// the active request, runs the card operations the person's steps need,
// and finishes the request. The window names the operation and the
// reader; origin, challenge, account and payload come from the request,
// never from the window.

import { pageError, pageErrorForHost } from '../lib/errors.js';
import { finish } from './consentqueue.js';
import { cooldown, emit, host, hostState, permissions, post, queue } from './state.js';

// The done screen stays this long before the window closes; the page has
// its answer already.
const DONE_CLOSE_MS = 1500;

const READER_NAME = /^[^\0]{1,256}$/;
const PIN = /^[0-9]{4}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

// The ways a window may end its request, and what it may add.
const FINISH_REASONS = { USER_REJECTED: 1, PIN_BLOCKED: 1, CARD_ERROR: 1, INVALID_PARAMS: 1 };

// Host methods that sign what a consent request of each kind carries.
const SIGN_METHODS = { message: 'ethSignMessage', typedData: 'ethSignTypedData', calls: 'ethSendCalls', handover: 'ethSignHandover' };

/** consentPort serves one consent window's port. */
export function consentPort(port) {
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
        kind: req.kind, chain: req.chain, account: req.account, payload: req.payload, timing: req.timing,
      });
      if (hostState.readers) post(port, { type: 'readers', ...hostState.readers });
      return;
    }
    if (!req || req.settled || queue.active !== req) return;
    if (msg.type === 'finish') {
      finishFromWindow(req, msg);
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

// finishFromWindow ends the request the way the window says: declined,
// blocked PIN, a card error, or a payload the sheet refused.
function finishFromWindow(req, msg) {
  if (!Object.hasOwn(FINISH_REASONS, msg.reason)) return;
  const hostCode = typeof msg.hostCode === 'string' && /^[A-Z_]{1,32}$/.test(msg.hostCode) ? msg.hostCode : undefined;
  // INVALID_PARAMS: the sheet refused the page's payload and says why.
  const detail = msg.reason === 'INVALID_PARAMS' && typeof msg.detail === 'string' ? msg.detail.slice(0, 300) : undefined;
  const error = msg.reason === 'CARD_ERROR' && hostCode ? pageErrorForHost({ code: hostCode }) : pageError(msg.reason, { hostCode, message: detail });
  if (msg.reason === 'USER_REJECTED') cooldown.declined(req.origin);
  finish(req, { error });
}

// consentOp runs one card operation the consent window asks for.
async function consentOp(req, msg) {
  const reader = typeof msg.reader === 'string' && READER_NAME.test(msg.reader) ? { reader: msg.reader } : {};
  const login = req.kind === 'login';
  switch (msg.op) {
    case 'listReaders':
      hostState.readers = await host.call('listReaders');
      return hostState.readers;
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
