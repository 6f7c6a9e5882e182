import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consentAction, hostExitedError, isPageError, pageError, pageErrorForHost } from './errors.js';
import { CODES_BY_ACTION, PAGE_REASONS } from './hostcodes.js';

const ACTIONS = Object.fromEntries(Object.entries(CODES_BY_ACTION).flatMap(([action, codes]) => codes.map((c) => [c, action])));
import { strings } from './i18n.js';

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

test('every code of the host catalog reaches the page under its reason and the window under its action', () => {
  const codes = Object.keys(ACTIONS);
  assert.ok(codes.length >= 30, `only ${codes.length} host codes generated`);
  for (const code of codes) {
    assert.equal(consentAction(code), ACTIONS[code], code);
    const e = pageErrorForHost({ code, message: 'cause' });
    const reason = PAGE_REASONS[code] ?? 'CARD_ERROR';
    assert.equal(e.data.reason, reason, `${code}: page reason`);
    assert.equal(e.data.hostCode, code, `${code}: data.hostCode`);
    assert.ok(isPageError(e), code);
  }
  for (const reason of Object.values(PAGE_REASONS)) assert.equal(pageError(reason).data.reason, reason, `${reason} is a page error`);
});

test('every host code that sends the person somewhere has its own words in both languages', () => {
  // PIN_WRONG, PIN_BLOCKED and CARD_CHANGED have screens of their own.
  const own = Object.keys(ACTIONS).filter((c) => ['card', 'retry', 'final'].includes(ACTIONS[c]) || PAGE_REASONS[c]);
  for (const lang of ['ja', 'en']) {
    for (const code of own) assert.ok(Object.hasOwn(strings(lang).hostError, code), `${lang}: no text for ${code}`);
  }
});
