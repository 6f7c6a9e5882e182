// The calls MynaConnect's 「アカウントを守る」 page has the card account make
// to its CardRecovery (host/account/contracts/src/CardRecovery.sol). They
// are ABI-encoded here and read back, strictly, by the consent sheet
// (wasm/ethsheet/protection.go), which shows them in plain words and
// refuses them from any site.

import { invalidParams as invalid } from './errors.js';
import { address } from './ethparams.js';

const SET_GUARDIANS = '0x4c5848ed'; // setGuardians(bytes[],uint8,uint32)
const CANCEL_RECOVERY = '0x0ba234d6'; // cancelRecovery()
const CANCEL_GUARDIANS_CHANGE = '0xe6a757f2'; // cancelGuardiansChange()

export const MAX_GUARDIANS = 16; // CardRecovery.MAX_GUARDIANS
/** The waiting times the page offers, in hours: CardRecovery allows 48 and up; 72 is its default. */
export const DELAY_HOURS = [48, 72, 96, 168];

const word = (n) => n.toString(16).padStart(64, '0');

/**
 * recoveryCall is the call {to, data} for one protection action:
 * {action: 'setGuardians', guardians: ['0x…' addresses], threshold, delayHours},
 * {action: 'cancelRecovery'} or {action: 'cancelGuardiansChange'}. Anything
 * else throws an INVALID_PARAMS page error.
 */
export function recoveryCall(recovery, change) {
  const to = address(recovery, 'the recovery contract');
  switch (change?.action) {
    case 'cancelRecovery':
      return { to, data: CANCEL_RECOVERY };
    case 'cancelGuardiansChange':
      return { to, data: CANCEL_GUARDIANS_CHANGE };
    case 'setGuardians':
      return { to, data: setGuardiansData(change) };
  }
  throw invalid('action must be setGuardians, cancelRecovery or cancelGuardiansChange');
}

function setGuardiansData({ guardians, threshold, delayHours }) {
  if (!Array.isArray(guardians) || guardians.length < 1 || guardians.length > MAX_GUARDIANS) {
    throw invalid(`1 to ${MAX_GUARDIANS} guardians`);
  }
  const signers = guardians.map((g) => address(g, 'a guardian'));
  if (new Set(signers).size !== signers.length) throw invalid('a guardian appears twice');
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > signers.length) throw invalid('threshold must be 1 to the number of guardians');
  if (!DELAY_HOURS.includes(delayHours)) throw invalid(`delayHours must be one of ${DELAY_HOURS.join(', ')}`);
  const n = signers.length;
  let head = SET_GUARDIANS + word(96) + word(threshold) + word(delayHours * 3600) + word(n);
  let tails = '';
  for (const signer of signers) {
    head += word(32 * n + tails.length / 2);
    tails += word(20) + signer.slice(2) + '0'.repeat(24);
  }
  return head + tails;
}
