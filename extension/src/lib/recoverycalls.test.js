import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DELAY_HOURS, MAX_GUARDIANS, recoveryCall } from './recoverycalls.js';

const RECOVERY = '0x00000000000000000000000000000000000Ec0De';
const BOB = '0xAb8483F64d9C6d1EcF9b849Ae677dD3315835cb2';
const OTHER = '0x4b20993Bc481177ec7E8f571ceCaE8A9e22C02db';

// go-ethereum's ABI packing of setGuardians([bob, other], 2, 72 h): the
// consent sheet's strict reader accepts only this canonical form.
const SET_TWO = '0x4c5848ed' +
  '0000000000000000000000000000000000000000000000000000000000000060' +
  '0000000000000000000000000000000000000000000000000000000000000002' +
  '000000000000000000000000000000000000000000000000000000000003f480' +
  '0000000000000000000000000000000000000000000000000000000000000002' +
  '0000000000000000000000000000000000000000000000000000000000000040' +
  '0000000000000000000000000000000000000000000000000000000000000080' +
  '0000000000000000000000000000000000000000000000000000000000000014' +
  'ab8483f64d9c6d1ecf9b849ae677dd3315835cb2000000000000000000000000' +
  '0000000000000000000000000000000000000000000000000000000000000014' +
  '4b20993bc481177ec7e8f571cecae8a9e22c02db000000000000000000000000';

test('choosing guardians encodes exactly as the ABI does', () => {
  const call = recoveryCall(RECOVERY, { action: 'setGuardians', guardians: [BOB, OTHER], threshold: 2, delayHours: 72 });
  assert.deepEqual(call, { to: RECOVERY.toLowerCase(), data: SET_TWO });
});

test('the cancels are their selectors alone', () => {
  assert.deepEqual(recoveryCall(RECOVERY, { action: 'cancelRecovery' }), { to: RECOVERY.toLowerCase(), data: '0x0ba234d6' });
  assert.deepEqual(recoveryCall(RECOVERY, { action: 'cancelGuardiansChange' }), { to: RECOVERY.toLowerCase(), data: '0xe6a757f2' });
});

test('what the contract would refuse is refused before any sheet', () => {
  const many = Array.from({ length: MAX_GUARDIANS + 1 }, (_, i) => '0x' + (i + 1).toString(16).padStart(40, '0'));
  const tests = [
    { action: 'startRecovery' },
    undefined,
    { action: 'setGuardians', guardians: [], threshold: 1, delayHours: 72 },
    { action: 'setGuardians', guardians: many, threshold: 1, delayHours: 72 },
    { action: 'setGuardians', guardians: [BOB, BOB.toLowerCase()], threshold: 1, delayHours: 72 },
    { action: 'setGuardians', guardians: ['0x1234'], threshold: 1, delayHours: 72 },
    { action: 'setGuardians', guardians: [BOB], threshold: 0, delayHours: 72 },
    { action: 'setGuardians', guardians: [BOB], threshold: 2, delayHours: 72 },
    { action: 'setGuardians', guardians: [BOB], threshold: 1.5, delayHours: 72 },
    { action: 'setGuardians', guardians: [BOB], threshold: 1, delayHours: 24 },
    { action: 'setGuardians', guardians: [BOB], threshold: 1, delayHours: '72' },
  ];
  for (const change of tests) {
    assert.throws(() => recoveryCall(RECOVERY, change), (e) => e.data.reason === 'INVALID_PARAMS', JSON.stringify(change));
  }
  assert.throws(() => recoveryCall('0x12', { action: 'cancelRecovery' }), (e) => e.data.reason === 'INVALID_PARAMS');
  assert.ok(DELAY_HOURS.every((hours) => hours >= 48), 'CardRecovery refuses a delay under 48 hours');
});

// go-ethereum's packing of the calls that hand an account to a new card,
// for e = 65537, a 4-byte stand-in modulus c0ffee01 and a 1-byte signature.
const HANDOVER = { chainId: 1337, account: OTHER, e: '0x010001', n: '0xc0ffee01', signature: '0xab' };
const W = (n) => n.toString(16).padStart(64, '0');
const BYTES_E = W(3) + '010001'.padEnd(64, '0');
const BYTES_N = W(4) + 'c0ffee01'.padEnd(64, '0');
const BYTES_SIG = W(1) + 'ab'.padEnd(64, '0');
const ACCOUNT_WORD = OTHER.slice(2).toLowerCase().padStart(64, '0');

test('the renewal, a guardian\'s start and the finish encode exactly as the ABI does', () => {
  assert.equal(recoveryCall(RECOVERY, { action: 'rotateByOwner', handover: HANDOVER }).data,
    '0x27dd824b' + W(0x60) + W(0xa0) + W(0xe0) + BYTES_E + BYTES_N + BYTES_SIG);
  assert.equal(recoveryCall(RECOVERY, { action: 'startRecovery', handover: HANDOVER, caller: BOB }).data,
    '0xef16c405' + ACCOUNT_WORD + W(0xc0) + W(0x100) + W(0x140) + W(0x180) + W(0x200) + BYTES_E + BYTES_N + BYTES_SIG +
    W(1) + W(0x20) + W(20) + BOB.slice(2).toLowerCase().padEnd(64, '0') +
    W(1) + W(0x20) + W(0));
  assert.equal(recoveryCall(RECOVERY, { action: 'executeRecovery', handover: HANDOVER }).data,
    '0x056b2c9a' + ACCOUNT_WORD + W(0x60) + W(0xa0) + BYTES_E + BYTES_N);
  for (const bad of [{ ...HANDOVER, n: 'c0ffee01' }, { ...HANDOVER, signature: '0xabc' }, { ...HANDOVER, account: '0x12' }]) {
    assert.throws(() => recoveryCall(RECOVERY, { action: 'startRecovery', handover: bad, caller: BOB }), (e) => e.data.reason === 'INVALID_PARAMS');
  }
  assert.throws(() => recoveryCall(RECOVERY, { action: 'startRecovery', handover: HANDOVER, caller: 'me' }), (e) => e.data.reason === 'INVALID_PARAMS');
  assert.throws(() => recoveryCall(RECOVERY, { action: 'startRecovery', handover: HANDOVER, caller: null }), (e) => e.data.reason === 'INVALID_PARAMS', 'no approvals');
  assert.throws(() => recoveryCall(RECOVERY, { action: 'startRecovery', handover: { ...HANDOVER, approvals: [{ signer: BOB, signature: '0x01' }] }, caller: BOB }),
    (e) => e.data.reason === 'INVALID_PARAMS', 'the caller twice');
});

// Approvals go in ascending keccak256 of the signer, as CardRecovery checks
// them (go-ethereum): keccak256(BOB) = 0x999b…, keccak256(passkey) = 0x6739….
test('a passkey\'s approval and the caller\'s own go in CardRecovery\'s order', () => {
  const passkey = '0x94adf12e7e53ed8116c07a3eea6c084eb7dbff3d' + '11'.repeat(64);
  const h = { ...HANDOVER, approvals: [{ signer: passkey, signature: '0xbeef' }] };
  const data = recoveryCall(RECOVERY, { action: 'startRecovery', handover: h, caller: BOB }).data;
  const at = (hex) => data.indexOf(hex.slice(2).toLowerCase());
  assert.ok(at(passkey) > 0 && at(BOB) > at(passkey), 'the passkey (0x6739…) before BOB (0x999b…)');
  // Its signature beside it, and the caller's empty one last.
  assert.ok(data.endsWith(W(2) + W(0x40) + W(0x80) + W(2) + 'beef'.padEnd(64, '0') + W(0)));
});
