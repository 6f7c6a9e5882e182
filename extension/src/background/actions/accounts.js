// The card account a site may use: connecting it, and the EIP-2255
// permissions that record it.

import { pageError } from '../../lib/errors.js';
import { address, permissionParams } from '../../lib/ethparams.js';
import { ACCOUNTS, CAPABILITIES, LOGIN } from '../../lib/permissions.js';
import { consent } from '../consentqueue.js';
import { emit, permissions } from '../state.js';

/** Methods that need no chain. */
export const methods = {
  wallet_getPermissions: ({ origin }) => permissions.get(origin),
  async wallet_revokePermissions({ origin }, params) {
    const capability = permissionParams(params, CAPABILITIES);
    const had = capability === ACCOUNTS && (await permissions.get(origin)).some((p) => p.parentCapability === ACCOUNTS);
    await permissions.revoke(origin, capability);
    if (had) emit(origin, 'accountsChanged', []);
    return null;
  },
  eth_sign: () => { throw pageError('NO_RAW_KEY'); },
  eth_signTransaction: () => { throw pageError('NO_RAW_KEY'); },
};

/** Methods on the origin's chain. */
export const chainMethods = {
  eth_accounts: ({ origin, chain }) => permissions.accounts(origin, chain.chainId),
  eth_requestAccounts: ({ port, origin, chain }) => connectAccount(port, origin, chain),
  async wallet_requestPermissions({ port, origin, chain }, params) {
    if (permissionParams(params, CAPABILITIES) === LOGIN) {
      throw pageError('INVALID_PARAMS', { message: 'mynaconnect_authenticate is granted by approving a login.' });
    }
    await connectAccount(port, origin, chain);
    return (await permissions.get(origin)).filter((p) => p.parentCapability === ACCOUNTS);
  },
};

// connectAccount answers eth_requestAccounts: the account already
// connected, or a consent window that connects one.
async function connectAccount(port, origin, chain) {
  const connected = await permissions.accounts(origin, chain.chainId);
  if (connected.length) return connected;
  const account = await consent(port, origin, { kind: 'connect', chain });
  return [account];
}

/**
 * connectedAccount is the account this origin was given, which from (when
 * the request names one) must be.
 */
export async function connectedAccount(origin, chain, from) {
  const [connected] = await permissions.accounts(origin, chain.chainId);
  if (!connected || (from !== undefined && address(from, 'the account') !== connected.toLowerCase())) {
    throw pageError('UNAUTHORIZED');
  }
  return connected;
}
