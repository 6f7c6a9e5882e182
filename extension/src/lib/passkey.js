// Passkey guardians (WebAuthn, P-256): the ERC-7913 signer CardRecovery
// stores (the published PasskeyVerifier's address, then the key's x and y)
// and the approval it checks: OpenZeppelin's WebAuthn.WebAuthnAuth, ABI-encoded
// as (bytes32 r, bytes32 s, uint256 challengeIndex, uint256 typeIndex, bytes
// authenticatorData, string clientDataJSON), over a challenge that is the
// recovery hash. The browser's authenticator does the signing; this module
// only converts.

import { invalidParams as invalid } from './errors.js';
import { abiEncode } from './recoverycalls.js';

// The P-256 group order: the verifier accepts only the lower of the two
// equivalent s values (no malleable twin), which authenticators do not all give.
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * passkeySigner is the guardian a new passkey makes: verifier (0x address)
 * followed by the P-256 point from the credential's SubjectPublicKeyInfo
 * (AuthenticatorAttestationResponse.getPublicKey(): 91 bytes, the point
 * uncompressed at the end).
 */
export function passkeySigner(verifier, spki) {
  const b = new Uint8Array(spki);
  if (b.length !== 91 || b[26] !== 0x04) throw invalid('the passkey is not a P-256 key');
  return verifier.toLowerCase() + hex(b.slice(27));
}

/**
 * passkeyApproval is the signature CardRecovery's PasskeyVerifier checks,
 * 0x-hex, from an assertion (AuthenticatorAssertionResponse's
 * authenticatorData, clientDataJSON and DER signature, as ArrayBuffers).
 */
export function passkeyApproval({ authenticatorData, clientDataJSON, signature }) {
  const clientData = new TextDecoder().decode(clientDataJSON);
  const challengeIndex = clientData.indexOf('"challenge":"');
  const typeIndex = clientData.indexOf('"type":"webauthn.get"');
  if (challengeIndex < 0 || typeIndex < 0) throw invalid('the passkey answered no WebAuthn assertion');
  const [r, s] = derSignature(new Uint8Array(signature));
  const word = (v) => ({ word: v.toString(16).padStart(64, '0') });
  return '0x' + abiEncode([word(r), word(s > N / 2n ? N - s : s), word(BigInt(challengeIndex)), word(BigInt(typeIndex)),
    hex(new Uint8Array(authenticatorData)), hex(new Uint8Array(clientDataJSON))]);
}

// derSignature reads an ECDSA-Sig-Value: SEQUENCE { INTEGER r, INTEGER s }.
function derSignature(b) {
  let at = 2;
  if (b[0] !== 0x30 || b[1] !== b.length - 2) throw invalid('the passkey\'s signature is not DER');
  const integer = () => {
    const len = b[at + 1];
    if (b[at] !== 0x02 || len < 1 || len > 33 || at + 2 + len > b.length) throw invalid('the passkey\'s signature is not DER');
    const v = BigInt('0x' + hex(b.slice(at + 2, at + 2 + len)));
    at += 2 + len;
    return v;
  };
  const r = integer();
  const s = integer();
  if (at !== b.length || r === 0n || s === 0n || r >= N || s >= N) throw invalid('the passkey\'s signature is out of range');
  return [r, s];
}

/** credentialId is a credential's rawId as the page stores it: base64url. */
export function credentialId(rawId) {
  return btoa(String.fromCharCode(...new Uint8Array(rawId))).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** credentialBytes is a stored credential id as WebAuthn takes it. */
export function credentialBytes(id) {
  return Uint8Array.from(atob(id.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0));
}

/** hashBytes is a 0x-hex hash as a WebAuthn challenge. */
export function hashBytes(hash) {
  return Uint8Array.from(hash.slice(2).match(/../g), (b) => Number.parseInt(b, 16));
}
