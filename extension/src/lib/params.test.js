import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticateParams, nonceProblem, originAllowed } from './params.js';

const NONCE32 = Buffer.alloc(32, 7).toString('base64');

test('a nonce must be canonical padded standard base64 of at least 32 bytes', () => {
  assert.equal(nonceProblem(NONCE32), '');
  assert.equal(nonceProblem(Buffer.alloc(33, 1).toString('base64')), '');
  assert.equal(nonceProblem(Buffer.alloc(34, 1).toString('base64')), '');
  assert.equal(nonceProblem('A'.repeat(1024)), '');
  for (const bad of [
    undefined, 42, '', Buffer.alloc(31).toString('base64'),
    NONCE32.replace(/=+$/, ''), // unpadded
    Buffer.alloc(32, 0xfb).toString('base64url'), // URL-safe alphabet
    NONCE32 + '\n',
    'A'.repeat(1028),
    Buffer.alloc(32).toString('base64').replace(/A=$/, 'B='), // non-zero padding bits
  ]) {
    assert.notEqual(nonceProblem(bad), '', `accepted ${JSON.stringify(bad)}`);
  }
});

test('authenticate params are exactly [{challengeNonce}]', () => {
  assert.deepEqual(authenticateParams([{ challengeNonce: NONCE32 }]), { challengeNonce: NONCE32 });
  for (const bad of [undefined, {}, [], [NONCE32], [{ challengeNonce: 'abc' }],
    [{ challengeNonce: NONCE32 }, {}], [{ challengeNonce: NONCE32, origin: 'https://evil.example' }]]) {
    assert.throws(() => authenticateParams(bad), (e) => e.code === -32602 && e.data.reason === 'INVALID_PARAMS',
      `accepted ${JSON.stringify(bad)}`);
  }
});

test('origins: https anywhere, http only on loopback, browser serialization only', () => {
  for (const ok of ['https://login.example.jp', 'https://xn--eckwd4c7c.jp:8443', 'http://localhost:8080',
    'http://127.0.0.1', 'http://127.1.2.3:3000', 'http://[::1]:8080']) {
    assert.ok(originAllowed(ok), ok);
  }
  for (const bad of ['http://example.jp', 'https://example.jp/', 'https://EXAMPLE.jp', 'https://example.jp:443',
    'null', '', 'file://', 'chrome-extension://abc', 'http://localhost.evil.jp', 'https://例え.jp', undefined,
    'https://my_site.example.jp', 'https://example.jp.', 'https://-example.jp', 'https://example-.jp',
    'http://[::ffff:7f00:1]', `https://${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.example`]) {
    assert.ok(!originAllowed(bad), String(bad));
  }
});
