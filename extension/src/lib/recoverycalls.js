// The calls MynaConnect's 「アカウントを守る」 page has a card account make
// to CardRecovery (host/account/contracts/src/CardRecovery.sol): the
// owner's changes to its protection and its switch to a renewed card, and a
// guardian's start and finish of another account's move to a new card.
// They are ABI-encoded here and read back, strictly, by the consent sheet
// (wasm/ethsheet/protection.go), which shows them in plain words and
// refuses them from any site.

import { invalidParams as invalid } from './errors.js';
import { address } from './ethparams.js';

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
 * {action: 'setGuardians', guardians: ['0x…' addresses], threshold, delayHours},
 * {action: 'cancelRecovery'}, {action: 'cancelGuardiansChange'}, and with a
 * renewed card's application (lib/handover.js) {action: 'rotateByOwner',
 * handover}, {action: 'startRecovery', handover, guardian: the approving
 * account} or {action: 'executeRecovery', handover}. Anything else throws
 * an INVALID_PARAMS page error.
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
      // The guardian approves by being the caller: its signature is empty.
      return { to, data: START_RECOVERY + abiEncode([addressWord(h.account), bytes(h.e), bytes(h.n), bytes(h.signature),
        [address(change.guardian, 'the guardian').slice(2)], ['']]) };
    case 'executeRecovery':
      return { to, data: EXECUTE_RECOVERY + abiEncode([addressWord(h.account), bytes(h.e), bytes(h.n)]) };
  }
  throw invalid('action must be setGuardians, cancelRecovery, cancelGuardiansChange, rotateByOwner, startRecovery or executeRecovery');
}

// Arguments for abiEncode: a word is {word: 64 hex digits}, bytes a string of
// hex digits, bytes[] an array of them.
const addressWord = (a) => ({ word: address(a, 'the account').slice(2).padStart(64, '0') });
const bytes = (hex) => {
  if (typeof hex !== 'string' || !/^0x([0-9a-f]{2})*$/i.test(hex)) throw invalid('key and signature must be 0x-prefixed hex bytes');
  return hex.slice(2).toLowerCase();
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
  const signers = guardians.map((g) => address(g, 'a guardian'));
  if (new Set(signers).size !== signers.length) throw invalid('a guardian appears twice');
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > signers.length) throw invalid('threshold must be 1 to the number of guardians');
  if (!DELAY_HOURS.includes(delayHours)) throw invalid(`delayHours must be one of ${DELAY_HOURS.join(', ')}`);
  return SET_GUARDIANS + abiEncode([signers.map((g) => g.slice(2)), { word: word(threshold) }, { word: word(delayHours * 3600) }]);
}
