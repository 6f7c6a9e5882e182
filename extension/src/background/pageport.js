// Requests from pages (the 'page' port of the content-script bridge):
// each method is an action in ./actions, called with the origin the
// browser reported and, for the Ethereum methods, the origin's chain.

import { isPortRequest } from '../lib/envelope.js';
import { isPageError, pageError } from '../lib/errors.js';
import { chainIdHex } from '../lib/ethparams.js';
import { requireOrigin } from '../lib/params.js';
import * as accounts from './actions/accounts.js';
import * as chain from './actions/chain.js';
import * as login from './actions/login.js';
import * as send from './actions/send.js';
import * as sign from './actions/sign.js';
import { originChain } from './chains.js';
import { pageGone } from './consentqueue.js';
import { hostState, pagePorts, post } from './state.js';

// Actions that need no chain, and those answered on the origin's chain.
const METHODS = { ...accounts.methods, ...login.methods };
const CHAIN_METHODS = { ...accounts.chainMethods, ...chain.chainMethods, ...sign.chainMethods, ...send.chainMethods };

/** pagePort serves one page's port. */
export function pagePort(port, origin) {
  const page = { origin, connected: false };
  pagePorts.set(port, page);
  port.onMessage.addListener(async (msg) => {
    if (!isPortRequest(msg)) return;
    let answer;
    try {
      answer = { result: await dispatch(port, origin, msg) };
      if (!page.connected && msg.method.startsWith('eth_') && hostState.chains) {
        page.connected = true;
        const chain = await originChain(origin).catch(() => null);
        if (chain) post(port, { event: 'connect', data: { chainId: chainIdHex(chain.chainId) } });
      }
    } catch (e) {
      answer = { error: isPageError(e) ? e : pageError('INTERNAL', { message: String(e?.message ?? e) }) };
    }
    post(port, { id: msg.id, ...answer });
  });
  port.onDisconnect.addListener(() => {
    pagePorts.delete(port);
    // The page is gone (closed, navigated, or the worker restarted).
    pageGone(port);
  });
}

async function dispatch(port, origin, msg) {
  const { method, params } = msg;
  if (Object.hasOwn(METHODS, method)) return METHODS[method]({ port, origin }, params);
  if (!Object.hasOwn(CHAIN_METHODS, method)) throw pageError('UNSUPPORTED_METHOD', { message: `(${method})` });
  requireOrigin(origin);
  return CHAIN_METHODS[method]({ port, origin, chain: await originChain(origin) }, params);
}
