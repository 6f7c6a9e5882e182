// check.mjs asks viem, as a dapp's server would, whether the card account's signatures are valid.
//
// Input (stdin, JSON):
//   { "rpc": "http://127.0.0.1:PORT", "chainId": 1337, "address": "0x…",
//     "cases": [ { "name": "…", "kind": "message",   "message": "…",              "signature": "0x…" },
//                { "name": "…", "kind": "typedData", "typedData": {domain, types, primaryType, message}, "signature": "0x…" },
//                { "name": "…", "kind": "siwe",      "message": "<EIP-4361 text>", "domain": "127.0.0.1:8080",
//                  "nonce": "…", "signature": "0x…" } ] }
// Output (stdout, JSON): { "chainId": <eth_chainId>, "results": [ { "name", "valid", "ms", "error"?, "roundTrip"? } ] }
//
// Each case is one viem call: verifyMessage, verifyTypedData or verifySiweMessage (viem/siwe), which take an
// undeployed account's ERC-6492 signature and a deployed account's ERC-1271 one alike. An exception is reported
// as an error, not as a verdict. The caller (host/account/chaintest/viem_test.go) decides what is expected.
import { createPublicClient, defineChain, http } from 'viem';
import { createSiweMessage, parseSiweMessage, verifySiweMessage } from 'viem/siwe';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const chain = defineChain({
  id: input.chainId,
  name: 'MynaConnect dev chain',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [input.rpc] } },
});
const client = createPublicClient({ chain, transport: http(input.rpc) });

async function verify(c) {
  switch (c.kind) {
    case 'message':
      return { valid: await client.verifyMessage({ address: input.address, message: c.message, signature: c.signature }) };
    case 'typedData':
      return { valid: await client.verifyTypedData({ address: input.address, ...c.typedData, signature: c.signature }) };
    case 'siwe': {
      // The message must be what viem itself would write for its fields, and verify with the checks a
      // server makes: domain, nonce and the expected address.
      const parsed = parseSiweMessage(c.message);
      const roundTrip = createSiweMessage({ ...parsed, address: parsed.address }) === c.message;
      const valid = await verifySiweMessage(client, {
        address: input.address,
        domain: c.domain,
        nonce: c.nonce,
        message: c.message,
        signature: c.signature,
      });
      return { valid, roundTrip };
    }
    default:
      throw new Error(`unknown kind ${c.kind}`);
  }
}

const results = [];
for (const c of input.cases) {
  const start = performance.now();
  let r;
  try {
    r = await verify(c);
  } catch (err) {
    r = { valid: false, error: String(err?.shortMessage ?? err?.message ?? err) };
  }
  results.push({ name: c.name, ...r, ms: Math.round(performance.now() - start) });
}
process.stdout.write(JSON.stringify({ chainId: await client.getChainId(), results }) + '\n');
