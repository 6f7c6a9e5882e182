// Checks on the Ethereum requests a page sends (docs/page-api.md), done in
// the service worker before anything is shown or sent. Each returns exactly
// the values the consent sheet will show and the host will receive, so the
// two cannot differ; anything malformed is INVALID_PARAMS at once, without
// a window.

import { invalidParams as invalid, pageError } from './errors.js';
import { isPlainObject, onlyMembers } from './params.js';

/** The largest personal_sign message, in bytes (the host's own limit). */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** The largest typed data, in bytes of its JSON text as UTF-8 (eip712.MaxBytes, the host's own limit). */
export const MAX_TYPED_DATA_BYTES = 32 * 1024;
/** The most calls in one wallet_sendCalls batch (the host's own limit). */
export const MAX_CALLS = 16;

/**
 * Read-only JSON-RPC methods answered by the chain through the host
 * (its ethRpc allow-list): nothing here can move funds or sign.
 */
export const READ_ONLY_METHODS = new Set([
  'eth_blockNumber', 'eth_call', 'eth_estimateGas', 'eth_gasPrice', 'eth_maxPriorityFeePerGas', 'eth_feeHistory',
  'eth_getBalance', 'eth_getBlockByHash', 'eth_getBlockByNumber', 'eth_getCode', 'eth_getLogs', 'eth_getStorageAt',
  'eth_getTransactionByHash', 'eth_getTransactionCount', 'eth_getTransactionReceipt',
  'eth_getBlockTransactionCountByNumber', 'web3_clientVersion',
]);

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX_DATA = /^0x(?:[0-9a-fA-F]{2})*$/;
const QUANTITY = /^0x(?:0|[1-9a-fA-F][0-9a-fA-F]{0,63})$/;

// The members of eth_sendTransaction's transaction a card account can
// honour (EIP-1474): the gas and fee members are the page's suggestion,
// which the account's operation does not use. An EIP-7702 authorization
// list or blobs are unknown members: nothing a card account can send.
const CALL_MEMBERS = 'to value data input capabilities'.split(' ');
const TRANSACTION_MEMBERS = 'from to value data input gas gasPrice maxFeePerGas maxPriorityFeePerGas nonce chainId type accessList'.split(' ');
const SEND_CALLS_MEMBERS = 'version id chainId from calls atomicRequired capabilities'.split(' ');

// single is the one object of params [{…}].
function single(params, hint) {
  if (!Array.isArray(params) || params.length !== 1 || !isPlainObject(params[0])) throw invalid(`params must be [${hint}].`);
  return params[0];
}

/** Whether v is "0x" and 40 hex digits, in any case. */
export function isAddress(v) {
  return typeof v === 'string' && ADDRESS.test(v);
}

/** An address as the page gave it, lower-cased for comparison. Throws INVALID_PARAMS. */
export function address(v, what) {
  if (!isAddress(v)) throw invalid(`${what} is not a 0x-prefixed 20-byte address.`);
  return v.toLowerCase();
}

/** A chain id from a page ("0x539") as a number. Throws INVALID_PARAMS. */
export function chainIdParam(v, what = 'chainId') {
  if (typeof v !== 'string' || !QUANTITY.test(v) || v.length > 15) throw invalid(`${what} is not a hex quantity such as "0x1".`);
  return Number.parseInt(v.slice(2), 16);
}

/** A chain id as pages see it: "0x539". */
export function chainIdHex(n) {
  return `0x${n.toString(16)}`;
}

function utf8Hex(text) {
  let hex = '0x';
  for (const b of new TextEncoder().encode(text)) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * personal_sign's [message, address]. The message is hex of the bytes to
 * sign; any other string is taken as UTF-8 text, as wallets do. Returns
 * {message: lower-case hex, address}.
 */
export function personalSignParams(params) {
  if (!Array.isArray(params) || params.length < 2 || params.length > 3) {
    throw invalid('params must be [message, address].');
  }
  const [data, from] = params;
  if (typeof data !== 'string') throw invalid('the message is not a string.');
  const message = (HEX_DATA.test(data) ? data : utf8Hex(data)).toLowerCase();
  if ((message.length - 2) / 2 > MAX_MESSAGE_BYTES) throw invalid(`the message is longer than ${MAX_MESSAGE_BYTES} bytes.`);
  return { message, address: address(from, 'the address') };
}

/**
 * eth_signTypedData_v4's [address, typedData]; typedData is its JSON text
 * (or an object, which is serialized once here). Returns {address,
 * typedData: the exact text the sheet shows and the host hashes}.
 *
 * The text is not parsed here: the sheet and the host each read it with
 * the one strict decoder (wasm/eip712), and a page's typed data that it
 * refuses ends the request with INVALID_PARAMS and the decoder's reason.
 * A second reading here, by JSON.parse, is what let a page show one thing
 * and have another signed.
 */
export function typedDataParams(params) {
  if (!Array.isArray(params) || params.length !== 2) throw invalid('params must be [address, typedData].');
  const from = address(params[0], 'the address');
  let text = params[1];
  if (isPlainObject(text)) text = JSON.stringify(text);
  if (typeof text !== 'string') throw invalid('typedData is not JSON text or an object.');
  // A lone surrogate becomes U+FFFD on its way to the sheet and the host:
  // the text signed would not be the text the page holds.
  if (!text.isWellFormed()) throw invalid('typedData has a lone surrogate.');
  if (new TextEncoder().encode(text).length > MAX_TYPED_DATA_BYTES) throw invalid('typedData is too long.');
  return { address: from, typedData: text };
}

/**
 * One call of a transaction or batch: {to, value?, data?} with hex checked.
 * Contract creation (no "to") is refused: the account sends calls only.
 */
function call(c, where, allowed = CALL_MEMBERS) {
  if (!isPlainObject(c)) throw invalid(`${where} is not an object.`);
  onlyMembers(c, allowed, where);
  if (c.to === undefined || c.to === null) throw invalid(`${where} has no "to": contract creation is not supported.`);
  const out = { to: address(c.to, `${where}.to`) };
  if (c.value !== undefined && c.value !== null) {
    if (typeof c.value !== 'string' || !QUANTITY.test(c.value)) throw invalid(`${where}.value is not a hex quantity.`);
    if (!/^0x0?$/.test(c.value)) out.value = c.value.toLowerCase();
  }
  // "input" is the newer name of "data"; the two must agree when both come.
  const data = c.data ?? c.input;
  if (c.data !== undefined && c.input !== undefined && c.data !== c.input) throw invalid(`${where} has different data and input.`);
  if (data !== undefined && data !== null) {
    if (typeof data !== 'string' || !HEX_DATA.test(data)) throw invalid(`${where}.data is not 0x-prefixed hex bytes.`);
    if (data !== '0x') out.data = data.toLowerCase();
  }
  return out;
}

/**
 * eth_sendTransaction's [{from, to, value?, data?, chainId?, …gas fields}]:
 * {from, chainId (a number, or undefined), calls: [call]}.
 */
export function transactionParams(params) {
  const tx = single(params, 'transaction');
  const chainId = tx.chainId == null ? undefined : chainIdParam(tx.chainId);
  return { from: address(tx.from, 'from'), chainId, calls: [call(tx, 'the transaction', TRANSACTION_MEMBERS)] };
}

/**
 * wallet_sendCalls' [{version, chainId, from?, calls, atomicRequired?,
 * capabilities?}] (EIP-5792): {from, chainId, calls}. A capability the page
 * marks as required (optional: false) is refused with 5700, as the EIP asks.
 */
export function sendCallsParams(params) {
  const p = single(params, '{ version, chainId, from, calls }');
  onlyMembers(p, SEND_CALLS_MEMBERS, 'wallet_sendCalls\' request');
  if (typeof p.version !== 'string') throw invalid('version is missing.');
  const chainId = p.chainId === undefined ? undefined : chainIdParam(p.chainId);
  const from = p.from === undefined ? undefined : address(p.from, 'from');
  if (!Array.isArray(p.calls) || p.calls.length === 0) throw invalid('calls must be a non-empty array.');
  if (p.calls.length > MAX_CALLS) throw invalid(`at most ${MAX_CALLS} calls in one batch.`);
  for (const [name, capability] of Object.entries(p.capabilities ?? {})) {
    if (isPlainObject(capability) && capability.optional !== true) {
      throw pageError('UNSUPPORTED_CAPABILITY', { message: `(${name.slice(0, 64)})` });
    }
  }
  return { from, chainId, calls: p.calls.map((c, i) => call(c, `calls[${i}]`)) };
}

// The members of wallet_addEthereumChain's chain (EIP-3085); switching
// (EIP-3326) takes only chainId.
const ADD_CHAIN_MEMBERS = 'chainId chainName nativeCurrency rpcUrls blockExplorerUrls iconUrls'.split(' ');

/**
 * wallet_switchEthereumChain's [{chainId}] and wallet_addEthereumChain's
 * [{chainId, …}] (add: true): the chain id as a number. The rest of an
 * added chain's description is not used (chains come from the host's
 * configuration), but only its standard members are accepted.
 */
export function chainParams(params, add = false) {
  const p = single(params, '{ chainId }');
  onlyMembers(p, add ? ADD_CHAIN_MEMBERS : ['chainId'], 'the chain');
  return chainIdParam(p.chainId);
}

/**
 * wallet_requestPermissions' / wallet_revokePermissions' [{capability: {}}]:
 * the capability's name, which must be one MynaConnect grants.
 */
export function permissionParams(params, known) {
  const ok = Array.isArray(params) && params.length === 1 && isPlainObject(params[0]) &&
    Object.keys(params[0]).length === 1 && isPlainObject(Object.values(params[0])[0]);
  if (!ok) throw invalid('params must be [{ <capability>: {} }].');
  const name = Object.keys(params[0])[0];
  if (!known.includes(name)) throw invalid(`unknown capability ${JSON.stringify(name.slice(0, 64))}; known: ${known.join(', ')}.`);
  return name;
}
