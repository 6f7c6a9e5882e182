// The options page's 「アカウントを守る」 (the 'protect' port): it reads the
// card's account and what protects it, and asks for changes to its
// guardians and for the cancel of a recovery. Each change is a consent
// request like a site's, from MynaConnect's own origin: the sheet names
// MynaConnect, shows the change in plain words, and the card and its PIN
// approve it. Only this origin's sheets accept calls to the recovery
// contract (wasm/ethsheet/protection.go).

import { isPortRequest } from '../lib/envelope.js';
import { isPageError, pageError, pageErrorForHost } from '../lib/errors.js';
import { address } from '../lib/ethparams.js';
import { recoveryCall } from '../lib/recoverycalls.js';
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
