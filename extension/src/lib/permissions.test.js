import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermissionStore } from './permissions.js';

// memoryArea behaves like chrome.storage.local: values are copied in and out.
function memoryArea() {
  const data = {};
  return {
    data,
    async get(key) {
      return key in data ? { [key]: structuredClone(data[key]) } : {};
    },
    async set(items) {
      await new Promise((r) => setTimeout(r, 1));
      Object.assign(data, structuredClone(items));
    },
  };
}

test('an approved origin gets an EIP-2255 permission; others get none', async () => {
  const store = new PermissionStore(memoryArea());
  assert.deepEqual(await store.get('https://a.example'), []);
  assert.equal(await store.has('https://a.example'), false);
  await store.grant('https://a.example', 1700000000000);
  assert.equal(await store.has('https://a.example'), true);
  assert.deepEqual(await store.get('https://a.example'), [
    { parentCapability: 'mynaconnect_authenticate', invoker: 'https://a.example', caveats: [], date: 1700000000000 },
  ]);
  assert.deepEqual(await store.get('https://b.example'), []);
});

test('revoking makes the origin first seen again', async () => {
  const store = new PermissionStore(memoryArea());
  await store.grant('https://a.example', 1);
  await store.revoke('https://a.example');
  assert.equal(await store.has('https://a.example'), false);
  assert.deepEqual(await store.list(), []);
});

test('concurrent grants are all kept', async () => {
  const area = memoryArea();
  const store = new PermissionStore(area);
  await Promise.all(['https://a.example', 'https://b.example', 'https://c.example'].map((o, i) => store.grant(o, i + 1)));
  assert.deepEqual((await store.list()).map((p) => p.origin), ['https://a.example', 'https://b.example', 'https://c.example']);
});

test('inherited names and damaged entries are not permissions', async () => {
  const area = memoryArea();
  area.data.permissions = { 'https://bad.example': { date: 'yesterday' } };
  const store = new PermissionStore(area);
  assert.equal(await store.has('toString'), false);
  assert.equal(await store.has('https://bad.example'), false);
  assert.deepEqual(await store.list(), []);
});

test('a connected account is kept per chain and listed with its caveat', async () => {
  const store = new PermissionStore(memoryArea());
  const A = '0x00000000000000000000000000000000A11CE000';
  await store.grantAccount('https://dapp.example', 1337, A, 5);
  assert.deepEqual(await store.accounts('https://dapp.example', 1337), [A]);
  assert.deepEqual(await store.accounts('https://dapp.example', 1), []);
  assert.equal(await store.has('https://dapp.example'), true);
  assert.deepEqual(await store.get('https://dapp.example'), [
    { parentCapability: 'eth_accounts', invoker: 'https://dapp.example', date: 5, caveats: [{ type: 'restrictReturnedAccounts', value: [A] }] },
  ]);
});

test('revoking one capability keeps the other; revoking both forgets the origin', async () => {
  const store = new PermissionStore(memoryArea());
  const A = '0x00000000000000000000000000000000A11CE000';
  await store.grant('https://both.example', 1);
  await store.grantAccount('https://both.example', 1337, A, 2);
  await store.revoke('https://both.example', 'eth_accounts');
  assert.deepEqual((await store.get('https://both.example')).map((p) => p.parentCapability), ['mynaconnect_authenticate']);
  await store.grantAccount('https://both.example', 1337, A, 3);
  await store.revoke('https://both.example', 'mynaconnect_authenticate');
  assert.deepEqual(await store.accounts('https://both.example', 1337), [A]);
  await store.revoke('https://both.example', 'eth_accounts');
  assert.equal(await store.has('https://both.example'), false);
  assert.deepEqual(await store.list(), []);
});

test('damaged account entries are not accounts', async () => {
  const area = memoryArea();
  area.data.permissions = { 'https://bad.example': { accounts: { date: 1, byChain: { 1337: 'alice', x: '0x00000000000000000000000000000000000000aa' } } } };
  const store = new PermissionStore(area);
  assert.deepEqual(await store.accounts('https://bad.example', 1337), []);
  assert.deepEqual(await store.get('https://bad.example'), [
    { parentCapability: 'eth_accounts', invoker: 'https://bad.example', date: 1, caveats: [{ type: 'restrictReturnedAccounts', value: [] }] },
  ]);
});
