import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialBytes, credentialId, passkeyApproval, passkeySigner } from './passkey.js';

const VERIFIER = '0x94adF12E7e53Ed8116C07a3EeA6C084EB7dBfF3d';
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const W = (v) => BigInt(v).toString(16).padStart(64, '0');
const bytes = (h) => Uint8Array.from(h.match(/../g), (x) => Number.parseInt(x, 16)).buffer;

test('a new passkey\'s guardian is the verifier, then the point', () => {
  // A P-256 SubjectPublicKeyInfo: 26 bytes of algorithm header, 04, x, y.
  const spki = '3059301306072a8648ce3d020106082a8648ce3d030107034200' + '04' + '11'.repeat(32) + '22'.repeat(32);
  assert.equal(passkeySigner(VERIFIER, bytes(spki)), VERIFIER.toLowerCase() + '11'.repeat(32) + '22'.repeat(32));
  assert.throws(() => passkeySigner(VERIFIER, bytes(spki.slice(0, -2))), (e) => e.data.reason === 'INVALID_PARAMS');
});

test('an assertion becomes the verifier\'s WebAuthnAuth, with a low s', () => {
  const clientData = '{"type":"webauthn.get","challenge":"ESIzRFVmd4iZqrvM3e7_ABEiM0RVZneImaq7zN3u_wA","origin":"chrome-extension://x"}';
  const authData = '00'.repeat(32) + '05' + '00000001';
  const r = 0x1234n;
  const highS = N - 5n; // the verifier wants 5
  const der = '30' + (4 + 2 + 32).toString(16).padStart(2, '0') + '02' + '02' + '1234' + '02' + '20' + highS.toString(16);
  const got = passkeyApproval({ authenticatorData: bytes(authData), clientDataJSON: new TextEncoder().encode(clientData).buffer, signature: bytes(der) });
  const cd = Buffer.from(clientData).toString('hex');
  const pad = (h) => h + '0'.repeat((64 - (h.length % 64)) % 64);
  assert.equal(got, '0x' + W(r) + W(5) + W(clientData.indexOf('"challenge"')) + W(clientData.indexOf('"type"')) + W(0xc0) + W(0xc0 + 32 + 64) +
    W(authData.length / 2) + pad(authData) + W(clientData.length) + pad(cd));
  assert.throws(() => passkeyApproval({ authenticatorData: bytes(authData), clientDataJSON: new TextEncoder().encode('{}').buffer, signature: bytes(der) }),
    (e) => e.data.reason === 'INVALID_PARAMS');
  assert.throws(() => passkeyApproval({ authenticatorData: bytes(authData), clientDataJSON: new TextEncoder().encode(clientData).buffer, signature: bytes(der + '00') }),
    (e) => e.data.reason === 'INVALID_PARAMS');
});

test('a credential id survives its storage', () => {
  const raw = Uint8Array.from({ length: 40 }, (_, i) => i * 7);
  assert.deepEqual(credentialBytes(credentialId(raw.buffer)), raw);
});
