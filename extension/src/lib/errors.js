// The errors a page can receive (docs/page-api.md), and how the consent
// window reacts to each host error code (docs/host-protocol.md).

const PAGE_ERRORS = {
  USER_REJECTED: [4001, 'The user rejected the request.'],
  WINDOW_CLOSED: [4001, 'The user closed the MynaConnect window.'],
  PIN_BLOCKED: [4001, "The card's user-authentication PIN is blocked; nothing was sent to the card."],
  ORIGIN_NOT_ALLOWED: [4100, 'MynaConnect answers only https origins (or http on a loopback host).'],
  UNSUPPORTED_METHOD: [4200, 'MynaConnect does not support this method.'],
  HOST_MISSING: [4900, 'The MynaConnect host program is not installed or not allowed for this extension.'],
  HOST_VERSION: [4900, 'The MynaConnect host program speaks another protocol version; update the extension or the host.'],
  HOST_EXITED: [4900, 'The MynaConnect host program stopped during the request.'],
  INVALID_PARAMS: [-32602, 'Invalid parameters.'],
  QUEUE_FULL: [-32002, 'Too many MynaConnect requests are waiting for the user.'],
  TIMEOUT: [-32603, 'Nobody answered the MynaConnect window in time.'],
  CARD_ERROR: [-32603, 'The card operation failed.'],
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

/** Whether e has the shape pageError returns. */
export function isPageError(e) {
  return typeof e === 'object' && e !== null && Number.isInteger(e.code) &&
    typeof e.message === 'string' && typeof e.data?.reason === 'string';
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

// Host codes the person can fix at the card reader: the window goes back to
// the card screen and carries on when a card is there.
const CARD_SCREEN = new Set([
  'NO_READER', 'NO_CARD', 'NOT_MYNUMBER_CARD', 'CARD_REMOVED', 'CARD_MUTE',
  'READER_BUSY', 'PCSC_UNAVAILABLE', 'READER_REQUIRED',
]);

// Host codes where trying the same thing again is likely to work.
const RETRY = new Set(['CARD_RESET', 'TIMEOUT', 'QUEUE_FULL']);

/**
 * What the consent window does with a host error code:
 *  'card'    back to the card screen (place, change or choose the card)
 *  'pin'     stay on the PIN pad and say how many tries are left
 *  'blocked' the blocked-PIN screen; nothing more is sent to the card
 *  'reread'  the card changed: read it again and show the sheet again
 *  'retry'   say so and offer to try again
 *  'host'    the host connection is gone; the background ends the request
 *  'fail'    the card or the host misbehaved; offer a retry, else CARD_ERROR
 * Unknown codes are 'fail', as the protocol asks (treat like INTERNAL).
 */
export function consentAction(hostCode) {
  if (CARD_SCREEN.has(hostCode)) return 'card';
  if (RETRY.has(hostCode)) return 'retry';
  if (HOST_FAILURES.has(hostCode)) return 'host';
  switch (hostCode) {
    case 'PIN_WRONG': return 'pin';
    case 'PIN_BLOCKED': return 'blocked';
    case 'CARD_CHANGED': return 'reread';
    default: return 'fail';
  }
}
