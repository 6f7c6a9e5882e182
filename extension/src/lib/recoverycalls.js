// The calls MynaConnect's 「アカウントを守る」 page has a card account make
// to CardRecovery (host/account/contracts/src/CardRecovery.sol): the
// owner's changes to its protection and its switch to a renewed card, and a
// guardian's start and finish of another account's move to a new card.
// They are ABI-encoded here and read back, strictly, by the consent sheet
// (wasm/ethsheet/protection.go), which shows them in plain words and
// refuses them from any site.

import { invalidParams as invalid } from './errors.js';
import { address, isAddress } from './ethparams.js';
import { keccakHex } from './keccak.js';

const SET_GUARDIANS = '0x4c5848ed'; // setGuardians(bytes[],uint8,uint32)
const CANCEL_RECOVERY = '0x0ba234d6'; // cancelRecovery()
const CANCEL_GUARDIANS_CHANGE = '0xe6a757f2'; // cancelGuardiansChange()
const ROTATE_BY_OWNER = '0x27dd824b'; // rotateByOwner(bytes,bytes,bytes)
const START_RECOVERY = '0xef16c405'; // startRecovery(address,bytes,bytes,bytes,bytes[],bytes[])
const EXECUTE_RECOVERY = '0x056b2c9a'; // executeRecovery(address,bytes,bytes)

export const MAX_GUARDIANS = 16; // CardRecovery.MAX_GUARDIANS
/** The waiting times the page offers, in hours: CardRecovery allows 48 and up; 72 is its default. */
export const DELAY_HOURS = [48, 72, 96, 168];

const word = (n) => n.toString(16).padStart(64, '0');

/**
 * recoveryCall is the call {to, data} for one protection action:
 * {action: 'setGuardians', guardians: ['0x…' signers: addresses, or a
 * verifier and a key], threshold, delayHours}, {action: 'cancelRecovery'},
 * {action: 'cancelGuardiansChange'}, and with a renewed card's application
 * (lib/handover.js) {action: 'rotateByOwner', handover}, {action:
 * 'startRecovery', handover, caller: the sending account when it is a
 * guardian (it approves by calling), else null} or {action:
 * 'executeRecovery', handover}. Anything else throws an INVALID_PARAMS page
 * error.
 */
export function recoveryCall(recovery, change) {
  const to = address(recovery, 'the recovery contract');
  const h = change?.handover ?? {};
  switch (change?.action) {
    case 'cancelRecovery':
      return { to, data: CANCEL_RECOVERY };
    case 'cancelGuardiansChange':
      return { to, data: CANCEL_GUARDIANS_CHANGE };
    case 'setGuardians':
      return { to, data: setGuardiansData(change) };
    case 'rotateByOwner':
      return { to, data: ROTATE_BY_OWNER + abiEncode([bytes(h.e), bytes(h.n), bytes(h.signature)]) };
    case 'startRecovery':
      return { to, data: START_RECOVERY + startRecoveryArgs(h, change.caller) };
    case 'executeRecovery':
      return { to, data: EXECUTE_RECOVERY + abiEncode([addressWord(h.account), bytes(h.e), bytes(h.n)]) };
  }
  throw invalid('action must be setGuardians, cancelRecovery, cancelGuardiansChange, rotateByOwner, startRecovery or executeRecovery');
}

// startRecoveryArgs: the application's approvals, and the caller's own (an
// empty signature) when it is a guardian, in the order CardRecovery checks
// them: strictly ascending keccak256 of the signer.
function startRecoveryArgs(h, caller) {
  const approvals = [...(h.approvals ?? [])];
  if (caller != null) approvals.push({ signer: address(caller, 'the caller'), signature: '0x' });
  const keyed = approvals.map((a) => ({ key: keccakHex(bytes(a.signer, true)), signer: bytes(a.signer), signature: bytes(a.signature) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (!keyed.length || keyed.some((a, i) => i > 0 && a.key === keyed[i - 1].key)) throw invalid('no approvals, or one guardian twice');
  return abiEncode([addressWord(h.account), bytes(h.e), bytes(h.n), bytes(h.signature), keyed.map((a) => a.signer), keyed.map((a) => a.signature)]);
}

// Arguments for abiEncode: a word is {word: 64 hex digits}, bytes a string of
// hex digits, bytes[] an array of them.
const addressWord = (a) => ({ word: address(a, 'the account').slice(2).padStart(64, '0') });
// bytes is 0x-hex bytes as abiEncode takes them (no 0x; with it when keep).
const bytes = (hex, keep = false) => {
  if (typeof hex !== 'string' || !/^0x([0-9a-f]{2})*$/i.test(hex)) throw invalid('keys, signers and signatures must be 0x-prefixed hex bytes');
  return keep ? hex.toLowerCase() : hex.slice(2).toLowerCase();
};
const padded = (hex) => word(hex.length / 2) + hex + '0'.repeat((64 - (hex.length % 64)) % 64);

/** abiEncode is the canonical ABI encoding of args (heads, then tails), without 0x. */
export function abiEncode(args) {
  let head = '';
  let tail = '';
  for (const a of args) {
    if (a.word) {
      head += a.word;
      continue;
    }
    head += word(32 * args.length + tail.length / 2);
    if (!Array.isArray(a)) {
      tail += padded(a);
      continue;
    }
    tail += word(a.length);
    let elems = '';
    for (const b of a) {
      tail += word(32 * a.length + elems.length / 2);
      elems += padded(b);
    }
    tail += elems;
  }
  return head + tail;
}

function setGuardiansData({ guardians, threshold, delayHours }) {
  if (!Array.isArray(guardians) || guardians.length < 1 || guardians.length > MAX_GUARDIANS) {
    throw invalid(`1 to ${MAX_GUARDIANS} guardians`);
  }
  const signers = guardians.map(signer);
  if (new Set(signers).size !== signers.length) throw invalid('a guardian appears twice');
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > signers.length) throw invalid('threshold must be 1 to the number of guardians');
  if (!DELAY_HOURS.includes(delayHours)) throw invalid(`delayHours must be one of ${DELAY_HOURS.join(', ')}`);
  return SET_GUARDIANS + abiEncode([signers.map((g) => g.slice(2)), { word: word(threshold) }, { word: word(delayHours * 3600) }]);
}

// signer is a guardian as CardRecovery takes it, lower-case: an address, or
// a verifier's address and a key (a passkey: 20 + 64 bytes).
function signer(g) {
  if (isAddress(g)) return g.toLowerCase();
  if (typeof g === 'string' && /^0x[0-9a-f]{168}$/i.test(g)) return g.toLowerCase();
  throw invalid('a guardian is an address, or a verifier and a P-256 key (84 bytes)');
}
