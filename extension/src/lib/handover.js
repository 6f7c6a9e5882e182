// A renewed card's application to take over its previous card's account
// (the host's ethSignHandover): the 引き継ぎの依頼 a person gives their
// guardian as text, and the check code both read aloud to make sure it is
// the right card. The code carries only public things (the account, the new
// card's public key, its signature); a guardian's page reads it strictly,
// and the consent sheet reads the call made from it again, canonically.

import { invalidParams as invalid } from './errors.js';
import { isAddress } from './ethparams.js';

const PREFIX = 'MYNA-HANDOVER-1:';
/** MAX_CODE_LENGTH bounds what the page reads: a 4096-bit key, its signature and a few passkey approvals fit. */
export const MAX_CODE_LENGTH = 16384;
const KEYS = ['account', 'approvals', 'chainId', 'e', 'hash', 'n', 'nonce', 'signature'];
const MAX_APPROVALS = 16; // CardRecovery.MAX_GUARDIANS
const HEX_BYTES = /^0x(?:[0-9a-f]{2})+$/;

/**
 * encodeHandover is the text of an application: ethSignHandover's answer,
 * and the approvals gathered so far ({signer, signature}, 0x-hex: a
 * passkey's, given on the way to the guardian who starts the move).
 */
export function encodeHandover({ chainId, account, e, n, nonce, hash, signature, approvals = [] }) {
  const json = JSON.stringify({ account, approvals, chainId, e, hash, n, nonce, signature });
  return PREFIX + btoa(json).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * decodeHandover reads an application's text, strictly: the prefix, base64url
 * without padding, JSON with exactly its eight members: e = 65537, a modulus
 * of 2048 to 4096 bits and a signature as long, the account's recovery
 * nonce it was signed at (it is good only while the nonce stays) and the
 * recovery hash signed, and the approvals gathered (distinct signers).
 * Throws INVALID_PARAMS.
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
    !HEX_BYTES.test(h.signature) || h.signature.length !== h.n.length || !/^0x[0-9a-f]{64}$/.test(h.hash)) {
    throw invalid('the application holds no valid account, chain, key or signature');
  }
  if (!Array.isArray(h.approvals) || h.approvals.length > MAX_APPROVALS || !h.approvals.every(isApproval) ||
    new Set(h.approvals.map((a) => a.signer)).size !== h.approvals.length) {
    throw invalid('the application\'s approvals are not distinct {signer, signature} pairs');
  }
  return {
    chainId: h.chainId, account: h.account, e: h.e, n: h.n, nonce: h.nonce, hash: h.hash, signature: h.signature,
    approvals: h.approvals.map(({ signer, signature }) => ({ signer, signature })),
  };
}

// isApproval: a guardian's signer (an address, or a verifier and a key) and
// its signature, lower-case hex, as an object with exactly those members.
function isApproval(a) {
  return typeof a === 'object' && a !== null && !Array.isArray(a) && Object.keys(a).sort().join() === 'signature,signer' &&
    HEX_BYTES.test(a.signer) && a.signer.length >= 42 && a.signer.length <= 2 + 2 * 276 &&
    HEX_BYTES.test(a.signature) && a.signature.length <= 2 + 2 * 2048;
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
