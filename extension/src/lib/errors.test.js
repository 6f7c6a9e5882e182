import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consentAction, hostExitedError, isPageError, pageError, pageErrorForHost } from './errors.js';

test('page errors carry the code and reason of the page API table', () => {
  const table = {
    USER_REJECTED: 4001, WINDOW_CLOSED: 4001, PIN_BLOCKED: 4001, ORIGIN_NOT_ALLOWED: 4100,
    UNSUPPORTED_METHOD: 4200, HOST_MISSING: 4900, HOST_VERSION: 4900, HOST_EXITED: 4900,
    INVALID_PARAMS: -32602, QUEUE_FULL: -32002, TIMEOUT: -32603, CARD_ERROR: -32603,
  };
  for (const [reason, code] of Object.entries(table)) {
    const e = pageError(reason);
    assert.equal(e.code, code, reason);
    assert.equal(e.data.reason, reason);
    assert.ok(isPageError(e));
  }
});

test('CARD_ERROR names the host code; an unknown reason becomes INTERNAL', () => {
  assert.deepEqual(pageError('CARD_ERROR', { hostCode: 'CARD_CHANGED' }).data, { reason: 'CARD_ERROR', hostCode: 'CARD_CHANGED' });
  assert.equal(pageError('NOPE').data.reason, 'INTERNAL');
  assert.ok(!isPageError(new Error('x')));
});

test('each host error code leads the consent window somewhere a person can act', () => {
  const want = {
    NO_READER: 'card', NO_CARD: 'card', NOT_MYNUMBER_CARD: 'card', CARD_REMOVED: 'card', CARD_MUTE: 'card',
    READER_BUSY: 'card', PCSC_UNAVAILABLE: 'card', READER_REQUIRED: 'card',
    PIN_WRONG: 'pin', PIN_BLOCKED: 'blocked', CARD_CHANGED: 'reread',
    CARD_RESET: 'retry', TIMEOUT: 'retry', QUEUE_FULL: 'retry',
    HOST_EXITED: 'host', HOST_MISSING: 'host', HOST_VERSION: 'host',
    TRANSACTION_REVERTED: 'final', GAS_LIMIT_EXCEEDED: 'final',
    CARD_ERROR: 'fail', INTERNAL: 'fail', BAD_ORIGIN: 'fail', PIN_FORMAT: 'fail', SOMETHING_NEW: 'fail',
  };
  for (const [code, action] of Object.entries(want)) assert.equal(consentAction(code), action, code);
});

test('the bridge error is pageError HOST_EXITED', () => {
  assert.deepEqual(hostExitedError('Reload the page.'), pageError('HOST_EXITED', { message: 'Reload the page.' }));
});

test('host errors become page errors: chain errors by name, card errors as CARD_ERROR, node errors as given', () => {
  const tests = [
    [{ code: 'TRANSACTION_REVERTED', message: 'ERC20: transfer amount exceeds balance' }, -32603, 'TRANSACTION_REVERTED'],
    [{ code: 'CHAIN_UNAVAILABLE', message: 'dial tcp' }, 4901, 'CHAIN_DISCONNECTED'],
    [{ code: 'CHAIN_UNCONFIGURED', message: '' }, 4900, 'CHAIN_UNCONFIGURED'],
    [{ code: 'SUBMIT_FAILED', message: '' }, -32603, 'SUBMIT_FAILED'],
    [{ code: 'HOST_EXITED', message: 'gone' }, 4900, 'HOST_EXITED'],
    [{ code: 'CARD_CHANGED', message: '' }, -32603, 'CARD_ERROR'],
  ];
  for (const [hostError, code, reason] of tests) {
    const e = pageErrorForHost(hostError);
    assert.equal(e.code, code, hostError.code);
    assert.equal(e.data.reason, reason, hostError.code);
    assert.ok(isPageError(e));
  }
  const node = pageErrorForHost({ code: 'RPC_ERROR', message: 'execution reverted', rpcCode: 3, rpcData: '0x08c379a0' });
  assert.deepEqual(node, { code: 3, message: 'execution reverted', data: '0x08c379a0' });
  assert.ok(isPageError(node));
});
