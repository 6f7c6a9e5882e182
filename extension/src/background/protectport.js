// The options page's 「アカウントを守る」 (the 'protect' port): it reads the
// card's account and what protects it, and asks for changes to its
// guardians and for the cancel of a recovery; for a renewed card, its
// application to take over the previous card's account and the previous
// card's switch to it; for a guardian, the start and the finish of the move
// of the account they guard. Each is a consent request like a site's, from
// MynaConnect's own origin: the sheet names MynaConnect, shows the step in
// plain words, and the card and its PIN approve it. Only this origin's
// sheets accept calls to the recovery contract and applications
// (wasm/ethsheet/protection.go).

import { isPortRequest } from '../lib/envelope.js';
import { isPageError, pageError, pageErrorForHost } from '../lib/errors.js';
import { address } from '../lib/ethparams.js';
import { decodeHandover, encodeHandover, keyCheck } from '../lib/handover.js';
import { keccakHex } from '../lib/keccak.js';
import { abiEncode, recoveryCall } from '../lib/recoverycalls.js';
import { chainList, hostCall } from './chains.js';
import { consent, pageGone } from './consentqueue.js';
import { OWN_ORIGIN, post } from './state.js';

/** protectPort serves one options page's 'protect' port. */
export function protectPort(port) {
  port.onMessage.addListener(async (msg) => {
    if (!isPortRequest(msg)) return;
    let answer;
    try {
      if (msg.method === 'account') answer = { result: await account(true) };
      else if (msg.method === 'change') answer = { result: await change(port, msg.params) };
      else if (msg.method === 'apply') answer = { result: await apply(port, msg.params) };
      else if (msg.method === 'application') answer = { result: await application(msg.params) };
      else if (msg.method === 'handOver') answer = { result: await handOver(port, msg.params) };
      else throw pageError('UNSUPPORTED_METHOD', { message: `(${msg.method})` });
    } catch (e) {
      answer = { error: isPageError(e) ? e : pageErrorForHost(e) };
    }
    post(port, { id: msg.id, ...answer });
  });
  // Closing the page withdraws what it asked for, as a site's would.
  port.onDisconnect.addListener(() => pageGone(port));
}

// account reads the card's account on the default chain and its protection,
// with its history for the page to show (ethAccount: no PIN).
async function account(history) {
  const { chains, defaultChainId } = await chainList();
  const chain = chains.find((c) => c.chainId === defaultChainId);
  const card = await hostCall('ethAccount', { chainId: chain.chainId, history });
  return { chain, card };
}

// change asks the person to approve one change to the account shown: the
// account and the recovery contract are read again from the card, never
// taken from the page.
async function change(port, params) {
  const { chain, card } = await account(false);
  if (address(params?.account, 'account') !== card.address.toLowerCase()) {
    throw pageError('UNAUTHORIZED', { message: 'The card in the reader does not own the account shown.' });
  }
  const call = recoveryCall(card.protection.recovery, params);
  return consent(port, OWN_ORIGIN, { kind: 'calls', chain, account: card.address, payload: { calls: [call] } });
}

// apply has the card on the reader (a renewed one) apply to take over the
// account named, its previous card's: a sheet of its own, then the card
// signs what the host reads from the chain. The answer is the application's
// text, to give to a guardian or to use with the previous card, and its
// check code; or {notCardAccount: true}, said before any sheet, for an
// address that is no used card account of this network.
async function apply(port, params) {
  const { chain, card } = await account(false);
  const target = address(params?.account, 'account');
  if (target === card.address.toLowerCase()) throw pageError('INVALID_PARAMS', { message: 'This card already owns the account.' });
  if (!(await isCardAccount(chain, target, card.protection.recovery))) return { notCardAccount: true };
  const signed = await consent(port, OWN_ORIGIN, { kind: 'handover', chain, account: params.account, payload: {} });
  return { text: encodeHandover(signed), keyCheck: await keyCheck(signed.n) };
}

// rpc is a read-only JSON-RPC call to the chain, through the host.
async function rpc(chain, method, params) {
  return (await hostCall('ethRpc', { chainId: chain.chainId, method, params })).result;
}

// word is an address as a call's argument.
const word = (a) => a.slice(2).toLowerCase().padStart(64, '0');

// isCardAccount asks the chain, before any sheet, whether target is a
// deployed card account of this chain's CardRecovery (the host checks again
// before the PIN): a mistyped address is said at once.
async function isCardAccount(chain, target, recovery) {
  if ((await rpc(chain, 'eth_getCode', [target, 'latest'])) === '0x') return false;
  try {
    const answer = await rpc(chain, 'eth_call', [{ to: target, data: RECOVERY_SELECTOR }, 'latest']);
    return answer.toLowerCase() === '0x' + word(recovery);
  } catch {
    return false; // no recovery(): some other contract
  }
}
const RECOVERY_SELECTOR = '0xddceafa9'; // CardAccount.recovery()

// application reads an application's text for the guardian's page: what it
// asks, its check code, where the account's move stands on chain, the
// account's guardians (by keccak256 of their signer) and quorum, and
// whether the card on the reader is one of them.
async function application(params) {
  const h = decodeHandover(params?.text);
  const chain = await chainOf(h);
  const card = await hostCall('ethAccount', { chainId: chain.chainId });
  const recovery = card.protection.recovery;
  const [standingNow, guardians] = await Promise.all([standing(chain, recovery, h), guardianship(chain, recovery, h.account)]);
  return {
    application: h, chain, keyCheck: await keyCheck(h.n), standing: standingNow, ...guardians,
    mine: canApprove(guardians, h, card.address), deployed: card.deployed,
  };
}

// canApprove: the card's account guards the application's account and has
// not approved it yet.
const canApprove = (guardians, h, who) => isGuardian(guardians, who) && !h.approvals.some((a) => a.signer === who.toLowerCase());

async function chainOf(h) {
  const { chains } = await chainList();
  const chain = chains.find((c) => c.chainId === h.chainId);
  if (!chain) throw pageError('UNRECOGNIZED_CHAIN', { message: `(${h.chainId})` });
  return chain;
}

// guardianship is CardRecovery.guardiansOf(account): its guardians' signer
// hashes and how many must approve.
async function guardianship(chain, recovery, target) {
  const answer = await rpc(chain, 'eth_call', [{ to: recovery, data: GUARDIANS_SELECTOR + word(target) }, 'latest']);
  const words = answer.slice(2).match(/.{64}/g) ?? [];
  const count = Math.min(Number.parseInt(words[3] ?? '0', 16), 16);
  return { threshold: Number.parseInt(words[1] ?? '0', 16), guardianHashes: words.slice(4, 4 + count).map((w) => '0x' + w) };
}
const GUARDIANS_SELECTOR = '0x82a44847'; // CardRecovery.guardiansOf(address)

const isGuardian = ({ guardianHashes }, who) => guardianHashes.includes(keccakHex(who.toLowerCase()));

// standing is where the application stands on chain: the move under way,
// if any, the chain's time, and whether the application is still good (the
// account's recovery nonce is the one it was signed at; a finished,
// cancelled or overtaken move moves it).
async function standing(chain, recovery, h) {
  const read = (data) => rpc(chain, 'eth_call', [{ to: recovery, data }, 'latest']);
  const [pending, nonce, block] = await Promise.all([
    read(PENDING_SELECTOR + word(h.account)), read(NONCE_SELECTOR + word(h.account)), rpc(chain, 'eth_getBlockByNumber', ['latest', false]),
  ]);
  const words = pending.slice(2).match(/.{64}/g) ?? [];
  const executeAfter = Number.parseInt(words[2] ?? '0', 16);
  return {
    underWay: executeAfter !== 0, executeAfter, chainTime: Number.parseInt(block.timestamp, 16),
    current: Number.parseInt(nonce.slice(2) || '0', 16) === h.nonce,
  };
}
const PENDING_SELECTOR = '0xea969265'; // CardRecovery.pendingRecovery(address)
const NONCE_SELECTOR = '0x70ae92d2'; // CardRecovery.nonce(address)

// handOver takes one step of an application with the card on the reader:
// the previous card switches its account to the new one at once
// ('rotateByOwner'), a guardian starts the move ('startRecovery'), a card
// guardian adds its approval for another to send ('approve'), or anyone
// with a card finishes the move after the wait ('executeRecovery').
async function handOver(port, params) {
  const h = decodeHandover(params?.text);
  const chain = await chainOf(h);
  const card = await hostCall('ethAccount', { chainId: chain.chainId });
  const action = params?.action;
  if (action === 'approve') return approveByCard(port, chain, card, h);
  if (action === 'rotateByOwner' && card.address.toLowerCase() !== h.account.toLowerCase()) {
    throw pageError('UNAUTHORIZED', { message: 'The card in the reader does not own the account to switch.' });
  }
  if (!['rotateByOwner', 'startRecovery', 'executeRecovery'].includes(action)) {
    throw pageError('INVALID_PARAMS', { message: 'action must be rotateByOwner, startRecovery or executeRecovery' });
  }
  // A guardian's card account approves by sending; anyone else's only sends
  // the approvals gathered in the application.
  const caller = action === 'startRecovery' && canApprove(await guardianship(chain, card.protection.recovery, h.account), h, card.address) ? card.address : null;
  const call = recoveryCall(card.protection.recovery, { action, handover: h, caller });
  return consent(port, OWN_ORIGIN, { kind: 'calls', chain, account: card.address, payload: { calls: [call] } });
}

// approveByCard has a card guardian sign CardRecovery's Recovery approval
// (EIP-712, through its account's ERC-1271) and returns the application's
// text with it added, for the guardian who starts the move. The account
// must have code: CardRecovery checks an approval against it as it is.
async function approveByCard(port, chain, card, h) {
  const recovery = card.protection.recovery;
  if (!canApprove(await guardianship(chain, recovery, h.account), h, card.address)) {
    throw pageError('UNAUTHORIZED', { message: 'The card in the reader is not a guardian of the account, or has approved already.' });
  }
  if (!card.deployed) throw pageError('UNAUTHORIZED', { message: 'The guardian\'s account has sent nothing yet: it can only approve by starting the move.' });
  const typedData = JSON.stringify({
    types: {
      EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }],
      Recovery: [{ name: 'account', type: 'address' }, { name: 'newKeyHash', type: 'bytes32' }, { name: 'nonce', type: 'uint256' }],
    },
    primaryType: 'Recovery',
    domain: { name: 'CardRecovery', version: '1', chainId: chain.chainId, verifyingContract: recovery },
    message: { account: h.account, newKeyHash: keccakHex('0x' + abiEncode([h.e.slice(2), h.n.slice(2)])), nonce: String(h.nonce) },
  });
  const signed = await consent(port, OWN_ORIGIN, { kind: 'typedData', chain, account: card.address, payload: { typedData } });
  return { text: encodeHandover({ ...h, approvals: [...h.approvals, { signer: card.address.toLowerCase(), signature: signed.signature }] }) };
}
