import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHandover, encodeHandover, keyCheck, MAX_CODE_LENGTH } from './handover.js';

// The consent sheet's test key (wasm/ethsheet helpers_test.go): the same check code on both sides.
const N = '0xc0' + '5a'.repeat(247) + '0123456789abcdef';
const APPLICATION = { chainId: 1337, account: '0x4b20993Bc481177ec7E8f571ceCaE8A9e22C02db', e: '0x010001', n: N, nonce: 3, hash: '0x' + '11'.repeat(32), signature: '0x' + '7f'.repeat(256), approvals: [] };

test('an application survives its text', () => {
  const text = encodeHandover({ ...APPLICATION, reader: 'Virtual PCD 00 00', recovery: '0x00' });
  assert.match(text, /^MYNA-HANDOVER-1:[A-Za-z0-9_-]+$/);
  assert.ok(text.length < MAX_CODE_LENGTH);
  assert.deepEqual(decodeHandover(text), APPLICATION);
  assert.deepEqual(decodeHandover(`  ${text}\n`), APPLICATION, 'pasted with spaces around');
});

test('approvals gathered on the way survive the text', () => {
  const approvals = [{ signer: '0x' + 'ab'.repeat(84), signature: '0x' + '01'.repeat(300) }];
  assert.deepEqual(decodeHandover(encodeHandover({ ...APPLICATION, approvals })).approvals, approvals);
});

test('the check code is the sheet\'s', async () => {
  assert.equal(await keyCheck(N), '7212 62C4 2375 EE2E');
});

test('a damaged or crafted application is refused', () => {
  const text = encodeHandover(APPLICATION);
  const crafted = (h) => 'MYNA-HANDOVER-1:' + btoa(JSON.stringify(h)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  const tests = [
    undefined, '', text.slice(0, -10), text.replace('MYNA-HANDOVER-1:', 'MYNA-HANDOVER-2:'), text + '=', text + '!',
    'x'.repeat(MAX_CODE_LENGTH + 1),
    crafted({ ...APPLICATION, extra: 1 }),
    crafted({ ...APPLICATION, e: '0x03' }),
    crafted({ ...APPLICATION, n: '0x' + 'ff'.repeat(128) }),
    crafted({ ...APPLICATION, n: '0x00' + N.slice(4) }),
    crafted({ ...APPLICATION, signature: '0xab' }),
    crafted({ ...APPLICATION, account: '0x1234' }),
    crafted({ ...APPLICATION, chainId: '1337' }),
    crafted({ ...APPLICATION, nonce: -1 }),
    crafted({ ...APPLICATION, nonce: 1.5 }),
    crafted({ ...APPLICATION, hash: '0x11' }),
    crafted({ ...APPLICATION, approvals: [{ signer: '0x' + 'ab'.repeat(20), signature: '0x01' }, { signer: '0x' + 'ab'.repeat(20), signature: '0x02' }] }),
    crafted({ ...APPLICATION, approvals: [{ signer: '0x' + 'ab'.repeat(20), signature: '0x01', extra: 1 }] }),
    crafted({ ...APPLICATION, approvals: [{ signer: '0xab', signature: '0x01' }] }),
    crafted({ ...APPLICATION, approvals: {} }),
    crafted({ ...APPLICATION, n: N.toUpperCase().replace('0X', '0x') }),
    crafted([APPLICATION]),
  ];
  for (const t of tests) {
    assert.throws(() => decodeHandover(t), (e) => e.data.reason === 'INVALID_PARAMS', String(t).slice(0, 60));
  }
});
