// The chain a site is on, and the read-only JSON-RPC methods answered by
// that chain's node through the host.

import { READ_ONLY_METHODS, chainIdHex, chainParams } from '../../lib/ethparams.js';
import { hostCall, switchChain } from '../chains.js';

export const chainMethods = {
  eth_chainId: ({ chain }) => chainIdHex(chain.chainId),
  net_version: ({ chain }) => String(chain.chainId),
  // Chains come from the configuration file, never from a page: adding one
  // that is configured is switching to it.
  wallet_switchEthereumChain: ({ origin, chain }, params) => switchChain(origin, chain, chainParams(params, false)),
  wallet_addEthereumChain: ({ origin, chain }, params) => switchChain(origin, chain, chainParams(params, true)),
};

for (const method of READ_ONLY_METHODS) {
  chainMethods[method] = ({ chain }, params) =>
    hostCall('ethRpc', { chainId: chain.chainId, method, params: params ?? [] }).then((r) => r.result);
}
