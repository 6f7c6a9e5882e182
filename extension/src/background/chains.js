// The host as page requests use it, and the chains it is configured for:
// which chain each origin is on.

import { pageError, pageErrorForHost } from '../lib/errors.js';
import { chainIdHex } from '../lib/ethparams.js';
import { openOnboardingOnce } from './consentqueue.js';
import { emit, host, hostState, permissions } from './state.js';

/**
 * hostCall is a host method for a page request: host failures and host
 * errors become the page's errors.
 */
export async function hostCall(method, params) {
  try {
    await host.ready();
    return await host.call(method, params);
  } catch (e) {
    if (e?.code === 'HOST_MISSING') openOnboardingOnce();
    throw pageErrorForHost(e);
  }
}

/** chainList is the host's chain configuration, asked once per host start. */
export function chainList() {
  if (!hostState.chains) {
    const asking = hostCall('ethChains', {});
    hostState.chains = asking;
    asking.catch(() => {
      if (hostState.chains === asking) hostState.chains = null;
    });
  }
  return hostState.chains;
}

/**
 * originChain is the chain an origin is on: the one it switched to, else
 * the configuration's default.
 */
export async function originChain(origin) {
  const all = await chainList();
  const { chainByOrigin = {} } = await chrome.storage.local.get('chainByOrigin');
  const chosen = Object.hasOwn(chainByOrigin, origin) ? chainByOrigin[origin] : all.defaultChainId;
  return all.chains.find((c) => c.chainId === chosen) ?? all.chains.find((c) => c.chainId === all.defaultChainId) ?? all.chains[0];
}

/** switchChain moves an origin to a configured chain and tells its pages. */
export async function switchChain(origin, current, chainId) {
  const all = await chainList();
  if (!all.chains.some((c) => c.chainId === chainId)) throw pageError('UNRECOGNIZED_CHAIN', { message: `(${chainIdHex(chainId)})` });
  if (chainId === current.chainId) return null;
  const before = await permissions.accounts(origin, current.chainId);
  const { chainByOrigin = {} } = await chrome.storage.local.get('chainByOrigin');
  await chrome.storage.local.set({ chainByOrigin: { ...chainByOrigin, [origin]: chainId } });
  emit(origin, 'chainChanged', chainIdHex(chainId));
  const after = await permissions.accounts(origin, chainId);
  if (before.join() !== after.join()) emit(origin, 'accountsChanged', after);
  return null;
}
