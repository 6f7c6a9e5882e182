// Sending from the card account: eth_sendTransaction and EIP-5792's
// wallet_sendCalls, wallet_getCallsStatus and wallet_getCapabilities.

import { pageError } from '../../lib/errors.js';
import { chainIdHex, sendCallsParams, transactionParams } from '../../lib/ethparams.js';
import { chainList, hostCall } from '../chains.js';
import { consent } from '../consentqueue.js';
import { connectedAccount } from './accounts.js';

export const chainMethods = {
  async eth_sendTransaction({ port, origin, chain }, params) {
    const { from, chainId, calls } = transactionParams(params);
    if (chainId !== undefined && chainId !== chain.chainId) throw pageError('UNSUPPORTED_CHAIN_ID');
    const account = await connectedAccount(origin, chain, from);
    return (await consent(port, origin, { kind: 'calls', chain, account, payload: { calls } })).transactionHash;
  },
  async wallet_sendCalls({ port, origin, chain }, params) {
    const { from, chainId, calls } = sendCallsParams(params);
    if (chainId !== undefined && chainId !== chain.chainId) throw pageError('UNSUPPORTED_CHAIN_ID');
    const account = await connectedAccount(origin, chain, from);
    const sent = await consent(port, origin, { kind: 'calls', chain, account, payload: { calls, batch: true } });
    await rememberBundle(sent.userOperationHash, { origin, chainId: chain.chainId, transactionHash: sent.transactionHash });
    return { id: sent.userOperationHash };
  },
  wallet_getCallsStatus: ({ origin }, params) => callsStatus(origin, params),
  async wallet_getCapabilities() {
    const all = await chainList();
    return Object.fromEntries(all.chains.map((c) => [chainIdHex(c.chainId), { atomic: { status: 'supported' } }]));
  },
};

// Batches sent with wallet_sendCalls, by id, for wallet_getCallsStatus: in
// session storage, as they matter while the browser runs.
async function rememberBundle(id, bundle) {
  const { bundles = {} } = await chrome.storage.session.get('bundles');
  await chrome.storage.session.set({ bundles: { ...bundles, [id]: bundle } });
}

async function callsStatus(origin, params) {
  const id = Array.isArray(params) && typeof params[0] === 'string' ? params[0] : null;
  if (!id || id.length > 256) throw pageError('INVALID_PARAMS', { message: 'params must be [id].' });
  const { bundles = {} } = await chrome.storage.session.get('bundles');
  const bundle = Object.hasOwn(bundles, id) ? bundles[id] : null;
  if (!bundle || bundle.origin !== origin) throw pageError('UNKNOWN_BUNDLE');
  const { result: receipt } = await hostCall('ethRpc', {
    chainId: bundle.chainId, method: 'eth_getTransactionReceipt', params: [bundle.transactionHash],
  });
  // EIP-5792 codes: 100 pending, 200 confirmed, 500 reverted on chain.
  const status = !receipt ? 100 : receipt.status === '0x1' ? 200 : 500;
  return {
    version: '2.0.0', id, chainId: chainIdHex(bundle.chainId), status, atomic: true,
    ...(receipt ? {
      receipts: [{
        logs: receipt.logs, status: receipt.status, blockHash: receipt.blockHash, blockNumber: receipt.blockNumber,
        gasUsed: receipt.gasUsed, transactionHash: receipt.transactionHash,
      }],
    } : {}),
  };
}
