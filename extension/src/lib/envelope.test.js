import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNEL, isPortRequest, parsePageRequest } from './envelope.js';
import { MAX_PARAMS_CHARS } from './params.js';

const id = '0b9d2a36-5b1e-4c2f-9a61-3d2c1e0f9a8b';
const msg = (over) => ({ channel: CHANNEL, dir: 'to-extension', id, method: 'mynaconnect_authenticate', params: '[{"challengeNonce":"x"}]', ...over });

test('a well-formed page request is parsed, params from their JSON text', () => {
  assert.deepEqual(parsePageRequest(msg()), { id, method: 'mynaconnect_authenticate', params: [{ challengeNonce: 'x' }] });
  assert.deepEqual(parsePageRequest(msg({ params: '' })), { id, method: 'mynaconnect_authenticate', params: undefined });
});

test('anything else on the window is ignored', () => {
  for (const bad of [null, 'x', msg({ channel: 'metamask' }), msg({ dir: 'to-page' }), msg({ id: '1' }),
    msg({ id: id.toUpperCase() }), msg({ method: '' }), msg({ method: 'a b' }), msg({ method: 'm'.repeat(129) }),
    msg({ params: [1] }), msg({ params: '{' }), msg({ params: JSON.stringify('x'.repeat(MAX_PARAMS_CHARS)) })]) {
    assert.equal(parsePageRequest(bad), null, JSON.stringify(bad)?.slice(0, 80));
  }
});

test('the service worker re-checks what the bridge forwards', () => {
  assert.ok(isPortRequest({ id, method: 'wallet_getPermissions' }));
  assert.ok(!isPortRequest({ id: 7, method: 'wallet_getPermissions' }));
  assert.ok(!isPortRequest({ id, method: 'x'.repeat(200) }));
  assert.ok(!isPortRequest(null));
});
