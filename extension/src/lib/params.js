// Checks on what a page sends, done in the service worker before anything
// is shown to the person or sent to the host. They mirror the host's own
// checks (host/relyingparty/authtoken: ValidateNonce, ValidateOrigin) so that a bad
// request fails at once with INVALID_PARAMS or ORIGIN_NOT_ALLOWED instead
// of after a consent window.

import { invalidParams, pageError } from './errors.js';

/** The largest params a page may send, in UTF-16 code units of their JSON. */
export const MAX_PARAMS_CHARS = 64 * 1024;

const MIN_NONCE_BYTES = 32;
const MAX_NONCE_CHARS = 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Why nonce is not a challenge the host will sign ('' when it is): standard
 * padded base64 in canonical form (unused bits zero), at least 32 bytes,
 * at most 1024 characters.
 */
export function nonceProblem(nonce) {
  if (typeof nonce !== 'string') return 'challengeNonce is not a string';
  if (nonce.length > MAX_NONCE_CHARS) return `challengeNonce is longer than ${MAX_NONCE_CHARS} characters`;
  if (!BASE64.test(nonce)) return 'challengeNonce is not standard padded base64';
  const pad = nonce.endsWith('==') ? 2 : nonce.endsWith('=') ? 1 : 0;
  if (pad) {
    // The last data character's unused low bits must be zero, or two
    // spellings would decode to the same bytes (the host rejects them).
    const last = B64_ALPHABET.indexOf(nonce[nonce.length - pad - 1]);
    if (last & (pad === 2 ? 0x0f : 0x03)) return 'challengeNonce is not canonical base64';
  }
  const bytes = (nonce.length / 4) * 3 - pad;
  if (bytes < MIN_NONCE_BYTES) return `challengeNonce has ${bytes} bytes, fewer than ${MIN_NONCE_BYTES}`;
  return '';
}

/**
 * The challenge of a mynaconnect_authenticate request, whose params are
 * [{challengeNonce}]. Throws INVALID_PARAMS.
 */
export function authenticateParams(params) {
  if (!Array.isArray(params) || params.length !== 1 || !isPlainObject(params[0])) {
    throw invalidParams('params must be [{ challengeNonce }].');
  }
  onlyMembers(params[0], ['challengeNonce'], 'the request');
  const problem = nonceProblem(params[0].challengeNonce);
  if (problem) throw invalidParams(`${problem}.`);
  return { challengeNonce: params[0].challengeNonce };
}

// The longest origin: "https://", a 253-byte host name and ":65535". The
// sheet (wasm/origin.MaxLength) and the login token refuse longer ones
// alike; extension/build's test holds the two numbers together.
export const MAX_ORIGIN_LENGTH = 267;

/**
 * Whether an origin, as the browser reported it, may ask for a login:
 * https, or http on a loopback host (localhost, 127.0.0.0/8, [::1]). The
 * value must already be in the browser's serialization (what URL.origin
 * gives back for it), as the host signs it byte for byte. Host names are
 * DNS names, as the sheet (wasm/origin) and the login token require: no
 * "_", no trailing dot, no label that begins or ends with "-", and no IPv4
 * address dressed as IPv6.
 */
export function originAllowed(origin) {
  if (typeof origin !== 'string' || origin.length > MAX_ORIGIN_LENGTH) return false;
  let url;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  const host = url.hostname;
  if (!host.startsWith('[') && !/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/.test(host)) return false;
  if (host.startsWith('[::ffff:')) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopback(host);
}

/** requireOrigin throws ORIGIN_NOT_ALLOWED unless originAllowed(origin). */
export function requireOrigin(origin) {
  if (!originAllowed(origin)) throw pageError('ORIGIN_NOT_ALLOWED');
}

function isLoopback(hostname) {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Refuses, with INVALID_PARAMS, an object with a member not in allowed.
 * Names are matched exactly: a case variant ("To" beside "to") is unknown,
 * never read as the member it resembles, so no later reader can take it
 * for one.
 */
export function onlyMembers(obj, allowed, where) {
  for (const name of Object.keys(obj)) {
    if (!allowed.includes(name)) {
      throw invalidParams(`${where}: unknown member ${JSON.stringify(name.slice(0, 64))}.`);
    }
  }
}

/** Whether v is an object that is neither null nor an array. */
export function isPlainObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
