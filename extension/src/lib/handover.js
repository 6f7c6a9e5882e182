// A renewed card's application to take over its previous card's account
// (the host's ethSignHandover): the 引き継ぎの依頼 a person gives their
// guardian as text, and the check code both read aloud to make sure it is
// the right card. The code carries only public things (the account, the new
// card's public key, its signature); a guardian's page reads it strictly,
// and the consent sheet reads the call made from it again, canonically.

import { invalidParams as invalid } from './errors.js';
import { isAddress } from './ethparams.js';

const PREFIX = 'MYNA-HANDOVER-1:';
/** MAX_CODE_LENGTH bounds what the page reads: a 4096-bit key and its signature fit. */
export const MAX_CODE_LENGTH = 4096;
const KEYS = ['account', 'chainId', 'e', 'n', 'nonce', 'signature'];
const HEX_BYTES = /^0x(?:[0-9a-f]{2})+$/;

/** encodeHandover is the text of an application: ethSignHandover's answer. */
export function encodeHandover({ chainId, account, e, n, nonce, signature }) {
  const json = JSON.stringify({ account, chainId, e, n, nonce, signature });
  return PREFIX + btoa(json).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * decodeHandover reads an application's text, strictly: the prefix, base64url
 * without padding, JSON with exactly the six members, e = 65537, a modulus of
 * 2048 to 4096 bits and a signature as long, and the account's recovery
 * nonce it was signed at (it is good only while the nonce stays). Throws
 * INVALID_PARAMS.
 */
export function decodeHandover(text) {
  if (typeof text !== 'string' || text.length > MAX_CODE_LENGTH) throw invalid('the application is not text of at most 4096 characters');
  const body = text.trim();
  if (!body.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(body.slice(PREFIX.length))) throw invalid('not a MynaConnect application (MYNA-HANDOVER-1:…)');
  let h;
  try {
    h = JSON.parse(atob(body.slice(PREFIX.length).replaceAll('-', '+').replaceAll('_', '/')));
  } catch {
    throw invalid('the application is damaged: copy all of it again');
  }
  if (typeof h !== 'object' || h === null || Array.isArray(h) || Object.keys(h).sort().join() !== KEYS.join()) {
    throw invalid('the application does not have exactly the members ' + KEYS.join(', '));
  }
  const modulusBytes = (h.n?.length - 2) / 2;
  if (!Number.isSafeInteger(h.chainId) || h.chainId <= 0 || !isAddress(h.account) || h.e !== '0x010001' ||
    !Number.isSafeInteger(h.nonce) || h.nonce < 0 ||
    !HEX_BYTES.test(h.n) || modulusBytes < 256 || modulusBytes > 512 || h.n.startsWith('0x00') ||
    !HEX_BYTES.test(h.signature) || h.signature.length !== h.n.length) {
    throw invalid('the application holds no valid account, chain, key or signature');
  }
  return { chainId: h.chainId, account: h.account, e: h.e, n: h.n, nonce: h.nonce, signature: h.signature };
}

/**
 * keyCheck is the check code of a card's key (its modulus n, 0x-hex): the
 * first 8 bytes of SHA-256(n) in four groups of four, as the consent sheet
 * shows it (wasm/ethsheet KeyCheck).
 */
export async function keyCheck(n) {
  const bytes = Uint8Array.from(n.slice(2).match(/../g), (b) => Number.parseInt(b, 16));
  const sum = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hex = [...sum.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  return hex.match(/..../g).join(' ');
}
