// The errors a page can receive (docs/page-api.md), and how the consent
// window reacts to each host error code (docs/host-protocol.md), as the
// host's own catalog says (hostcodes.js, generated from host/failure).

import { CODES_BY_ACTION, PAGE_REASONS } from './hostcodes.js';

// Kept apart from the table so that the content-script bridge, which needs
// only this one, does not carry the whole table.
const HOST_EXITED = [4900, 'The MynaConnect host program stopped during the request.'];

const PAGE_ERRORS = {
  USER_REJECTED: [4001, 'The user rejected the request.'],
  WINDOW_CLOSED: [4001, 'The user closed the MynaConnect window.'],
  COOLDOWN: [4001, 'The user just declined this site; ask again later.'],
  PIN_BLOCKED: [4001, "The card's user-authentication PIN is blocked; nothing was sent to the card."],
  ORIGIN_NOT_ALLOWED: [4100, 'MynaConnect answers only https origins (or http on a loopback host).'],
  UNAUTHORIZED: [4100, 'Not the account connected to this site; call eth_requestAccounts.'],
  UNSUPPORTED_METHOD: [4200, 'MynaConnect does not support this method.'],
  NO_RAW_KEY: [4200, 'A card account has no raw key; use personal_sign, eth_signTypedData_v4 or eth_sendTransaction.'],
  HOST_MISSING: [4900, 'The MynaConnect host program is not installed or not allowed for this extension.'],
  HOST_VERSION: [4900, 'The MynaConnect host program speaks another protocol version; update the extension or the host.'],
  HOST_EXITED,
  CHAIN_UNCONFIGURED: [4900, 'MynaConnect has no chains.json; see the README.'],
  CHAIN_DISCONNECTED: [4901, "The chain's RPC endpoint cannot be reached."],
  UNRECOGNIZED_CHAIN: [4902, 'This chain is not in MynaConnect\'s chains.json.'],
  UNSUPPORTED_CAPABILITY: [5700, 'A required capability is not supported.'],
  UNSUPPORTED_CHAIN_ID: [5710, "Not the site's current chain."],
  UNKNOWN_BUNDLE: [5730, 'No batch with this id from this site.'],
  INVALID_PARAMS: [-32602, 'Invalid parameters.'],
  QUEUE_FULL: [-32002, 'Too many MynaConnect requests are waiting for the user.'],
  TIMEOUT: [-32603, 'Nobody answered the MynaConnect window in time.'],
  CARD_ERROR: [-32603, 'The card operation failed.'],
  TRANSACTION_REVERTED: [-32603, 'The transaction reverts; nothing was sent.'],
  SUBMIT_FAILED: [-32603, 'The bundler or relayer refused the operation.'],
  GAS_LIMIT_EXCEEDED: [-32603, 'The calls need more gas than a card account allows; nothing was sent.'],
  FEE_CHANGED: [-32603, 'The fee changed after it was shown; nothing was sent.'],
  // Not in the page API's table: a bug in the extension itself. It still
  // gets a name so that nothing reaches a page without one.
  INTERNAL: [-32603, 'MynaConnect failed unexpectedly.'],
};

/**
 * A page-facing error as it travels to the page: JSON-RPC code, an English
 * message for developers, and data.reason, the stable name.
 * @param {keyof typeof PAGE_ERRORS} reason
 * @param {{message?: string, hostCode?: string}} [detail]
 */
export function pageError(reason, detail = {}) {
  const [code, message] = PAGE_ERRORS[reason] ?? PAGE_ERRORS.INTERNAL;
  const data = { reason: PAGE_ERRORS[reason] ? reason : 'INTERNAL' };
  if (detail.hostCode) data.hostCode = detail.hostCode;
  return { code, message: detail.message ? `${message} ${detail.message}` : message, data };
}

/** invalidParams is pageError('INVALID_PARAMS') with our reason: a page's parameters are not what the method takes. */
export function invalidParams(message) {
  return pageError('INVALID_PARAMS', { message });
}

/**
 * The page error for a host error met outside a consent window (or closing
 * one): chain errors keep their name, card errors are CARD_ERROR with the
 * host's code, and a node's JSON-RPC error reaches the page as the node
 * gave it (code, message and revert data), which is what dapps parse.
 */
export function pageErrorForHost(e) {
  const code = typeof e?.code === 'string' ? e.code : 'INTERNAL';
  if (code === 'RPC_ERROR' && Number.isInteger(e.rpcCode)) {
    return { code: e.rpcCode, message: String(e.message ?? ''), ...(typeof e.rpcData === 'string' ? { data: e.rpcData } : {}) };
  }
  if (HOST_FAILURES.has(code)) return pageError(code, { message: e.message });
  if (Object.hasOwn(PAGE_REASONS, code)) return pageError(PAGE_REASONS[code], { message: e.message, hostCode: code });
  return pageError('CARD_ERROR', { hostCode: code, message: e?.message });
}

/** pageError('HOST_EXITED', {message}), for the bridge. */
export function hostExitedError(message) {
  return { code: HOST_EXITED[0], message: `${HOST_EXITED[1]} ${message}`, data: { reason: 'HOST_EXITED' } };
}

/** Whether e has the shape pageError or pageErrorForHost returns. */
export function isPageError(e) {
  return typeof e === 'object' && e !== null && Number.isInteger(e.code) && typeof e.message === 'string' &&
    (typeof e.data?.reason === 'string' || typeof e.data === 'string' || e.data === undefined);
}

/**
 * A failure of the host connection itself (not of a card operation):
 * HOST_MISSING, HOST_VERSION or HOST_EXITED, with the browser's or host's
 * explanation. It has the shape of a host error so that one code path
 * handles both.
 */
export function hostFailure(reason, message) {
  return { code: reason, message: String(message ?? '') };
}

const HOST_FAILURES = new Set(['HOST_MISSING', 'HOST_VERSION', 'HOST_EXITED']);

/** Whether a host error is a failure of the connection rather than of the card. */
export function isHostFailure(e) {
  return HOST_FAILURES.has(e?.code);
}

/**
 * What the consent window does with a host error code:
 *  'card'    back to the card screen (place, change or choose the card)
 *  'pin'     stay on the PIN pad and say how many tries are left
 *  'blocked' the blocked-PIN screen; nothing more is sent to the card
 *  'reread'  the card changed: read it again and show the sheet again
 *  'retry'   say so and offer to try again
 *  'host'    the host connection is gone; the background ends the request
 *  'final'   the request cannot be carried out as it is: say why, no retry
 *  'fail'    the card or the host misbehaved; offer a retry, else CARD_ERROR
 * Unknown codes are 'fail', as the protocol asks (treat like INTERNAL).
 */
export function consentAction(hostCode) {
  if (HOST_FAILURES.has(hostCode)) return 'host';
  for (const [action, codes] of Object.entries(CODES_BY_ACTION)) if (codes.includes(hostCode)) return action;
  return 'fail';
}
