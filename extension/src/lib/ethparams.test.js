import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_CALLS, MAX_MESSAGE_BYTES, MAX_TYPED_DATA_BYTES, chainIdHex, chainIdParam, chainParams, permissionParams, personalSignParams,
  sendCallsParams, transactionParams, typedDataParams,
} from './ethparams.js';

const A = '0x00000000000000000000000000000000A11CE000';
const a = A.toLowerCase();
const B = '0x00000000000000000000000000000000b0b00000';

function rejects(fn, code, reason) {
  assert.throws(fn, (e) => e.code === code && e.data.reason === reason);
}

test('personal_sign takes hex as bytes and any other string as UTF-8 text', () => {
  const tests = [
    { params: ['0xDEADbeef', A], want: { message: '0xdeadbeef', address: a } },
    { params: ['0x', A], want: { message: '0x', address: a } },
    { params: ['こんにちは\n', A], want: { message: '0xe38193e38293e381abe381a1e381af0a', address: a } },
    // Odd-length "hex" is not bytes: it is signed as the text it is.
    { params: ['0xabc', A], want: { message: '0x' + Buffer.from('0xabc').toString('hex'), address: a } },
  ];
  for (const { params, want } of tests) assert.deepEqual(personalSignParams(params), want);
});

test('personal_sign refuses what is not [message, address] or too long', () => {
  for (const params of [undefined, [], ['0x00'], [1, A], ['0x00', 'alice'], ['0x00', A.slice(0, 41)],
    ['0x' + '00'.repeat(MAX_MESSAGE_BYTES + 1), A]]) {
    rejects(() => personalSignParams(params), -32602, 'INVALID_PARAMS');
  }
  assert.equal(personalSignParams(['0x' + '00'.repeat(MAX_MESSAGE_BYTES), A]).message.length, 2 + 2 * MAX_MESSAGE_BYTES);
});

const typed = {
  types: { EIP712Domain: [{ name: 'chainId', type: 'uint256' }], Mail: [{ name: 'contents', type: 'string' }] },
  primaryType: 'Mail', domain: { chainId: 1337 }, message: { contents: 'hi' },
};

test('typed data keeps the exact text it was given; an object is serialized once', () => {
  const text = ' ' + JSON.stringify(typed, null, 2);
  assert.deepEqual(typedDataParams([A, text]), { address: a, typedData: text });
  assert.deepEqual(typedDataParams([A, typed]), { address: a, typedData: JSON.stringify(typed) });
});

test('typed data is not parsed here: any text within the limit goes to the one strict reader', () => {
  // Malformed or hostile JSON is the sheet's and the host's to refuse (wasm/eip712), with their reason.
  for (const text of ['{', '{"primaryType":"A","PrimaryType":"B"}']) assert.equal(typedDataParams([A, text]).typedData, text);
});

test('typed data that cannot cross to the sheet and host unchanged, or is too long, is refused', () => {
  const big = JSON.stringify({ ...typed, message: { contents: 'あ'.repeat(MAX_TYPED_DATA_BYTES / 3) } });
  for (const bad of [42, null, big]) {
    rejects(() => typedDataParams([A, bad]), -32602, 'INVALID_PARAMS');
  }
  rejects(() => typedDataParams([A, '{"a":"' + String.fromCharCode(0xd800) + '"}']), -32602, 'INVALID_PARAMS');
  rejects(() => typedDataParams([typed, A]), -32602, 'INVALID_PARAMS');
});

test('a transaction becomes one call, with zero value and empty data left out', () => {
  assert.deepEqual(transactionParams([{ from: A, to: B, value: '0x0', data: '0x', gas: '0x5208' }]), { from: a, chainId: undefined, calls: [{ to: B }] });
  assert.deepEqual(transactionParams([{ from: A, to: B, value: '0xDE0B6B3A7640000' }]), { from: a, chainId: undefined, calls: [{ to: B, value: '0xde0b6b3a7640000' }] });
  assert.deepEqual(transactionParams([{ from: A, to: B, input: '0xA9059CBB', chainId: '0x539', type: '0x2' }]),
    { from: a, chainId: 1337, calls: [{ to: B, data: '0xa9059cbb' }] });
});

test('a transaction that creates a contract or has malformed fields is refused', () => {
  for (const tx of [{ from: A }, { from: A, to: null }, { from: A, to: B, value: '1' }, { from: A, to: B, value: '0x01' },
    { from: A, to: B, data: '0x0' }, { from: A, to: B, data: '0x00', input: '0x01' }, { to: B },
    // A case variant is never read as the member it resembles.
    { from: A, to: B, To: A }, { from: A, to: B, Value: '0x1' }, { from: A, to: B, gasLimit: '0x1' },
    { from: A, to: B, authorizationList: [{}] }, { from: A, to: B, chainId: 1337 }]) {
    rejects(() => transactionParams([tx]), -32602, 'INVALID_PARAMS');
  }
});

test('wallet_sendCalls: a batch, its chain, and capabilities the page requires', () => {
  const calls = [{ to: B, value: '0x7' }, { to: A, data: '0xa9059cbb' }];
  assert.deepEqual(sendCallsParams([{ version: '2.0.0', chainId: '0x539', from: A, calls, atomicRequired: true }]),
    { from: a, chainId: 1337, calls: [{ to: B, value: '0x7' }, { to: a, data: '0xa9059cbb' }] });
  assert.deepEqual(sendCallsParams([{ version: '2.0.0', calls, capabilities: { paymasterService: { optional: true } } }]).from, undefined);
  rejects(() => sendCallsParams([{ version: '2.0.0', calls, capabilities: { paymasterService: { url: 'x' } } }]), 5700, 'UNSUPPORTED_CAPABILITY');
  rejects(() => sendCallsParams([{ version: '2.0.0', calls: [] }]), -32602, 'INVALID_PARAMS');
  rejects(() => sendCallsParams([{ version: '2.0.0', calls: Array(MAX_CALLS + 1).fill({ to: B }) }]), -32602, 'INVALID_PARAMS');
  rejects(() => sendCallsParams([{ calls }]), -32602, 'INVALID_PARAMS');
  rejects(() => sendCallsParams([{ version: '2.0.0', calls, Calls: [] }]), -32602, 'INVALID_PARAMS');
  rejects(() => sendCallsParams([{ version: '2.0.0', calls: [{ to: B, To: A }] }]), -32602, 'INVALID_PARAMS');
});

test('chain ids are hex quantities both ways', () => {
  assert.equal(chainIdParam('0x539'), 1337);
  assert.equal(chainIdHex(1337), '0x539');
  assert.equal(chainParams([{ chainId: '0x1' }]), 1);
  assert.equal(chainParams([{ chainId: '0xaa36a7', rpcUrls: ['https://rpc.example'] }], true), 11155111);
  for (const bad of [[], ['0x1'], [{ chainId: '0x1' }, {}], [{ chainId: '0x1', ChainId: '0x2' }], [{ chainId: '0x1', rpcUrls: [] }]]) {
    rejects(() => chainParams(bad), -32602, 'INVALID_PARAMS');
  }
  rejects(() => chainParams([{ chainId: '0x1', rpcURLs: [] }], true), -32602, 'INVALID_PARAMS');
  for (const bad of ['1337', '0x', '0x0539', 1337, '0x' + 'f'.repeat(14)]) rejects(() => chainIdParam(bad), -32602, 'INVALID_PARAMS');
});

test('permission requests name one known capability', () => {
  const known = ['eth_accounts', 'mynaconnect_authenticate'];
  assert.equal(permissionParams([{ eth_accounts: {} }], known), 'eth_accounts');
  for (const bad of [[], [{}], [{ eth_accounts: {}, mynaconnect_authenticate: {} }], [{ eth_accounts: 1 }], [{ snap: {} }]]) {
    rejects(() => permissionParams(bad, known), -32602, 'INVALID_PARAMS');
  }
});
