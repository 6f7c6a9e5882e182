import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccakHex } from './keccak.js';

// Known answers (go-ethereum's crypto.Keccak256), around the 136-byte rate.
test('keccak256 gives Ethereum\'s hashes', () => {
  const tests = [
    ['0x', '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
    ['0x616263', '0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45'],
    // An address guardian's signer bytes: CardRecovery orders approvals by this.
    ['0xab8483f64d9c6d1ecf9b849ae677dd3315835cb2', '0x999bf57501565dbd2fdcea36efa2b9aef8340a8901e3459f4a4c926275d36cdb'],
    ['0x' + '61'.repeat(135), '0x34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446'],
    ['0x' + '61'.repeat(136), '0xa6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e'],
    ['0x' + '61'.repeat(300), '0x5b7e0e47a96f32a88b4f14ca177982790807c40e1a105742ba0fc1babe1ef826'],
  ];
  for (const [input, want] of tests) assert.equal(keccakHex(input), want, input.slice(0, 20));
});
