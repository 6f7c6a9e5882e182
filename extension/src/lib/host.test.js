import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostConnection } from './host.js';

// fakePort is a native port whose other end is the test: it records what
// the extension sends and lets the test answer or disconnect.
function fakePort() {
  const listeners = { message: [], disconnect: [] };
  return {
    sent: [],
    disconnected: false,
    error: undefined,
    onMessage: { addListener: (f) => listeners.message.push(f) },
    onDisconnect: { addListener: (f) => listeners.disconnect.push(f) },
    postMessage(m) {
      if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
      this.sent.push(structuredClone(m));
    },
    disconnect() {
      this.disconnected = true;
    },
    answer(m) {
      for (const f of listeners.message) f(structuredClone(m));
    },
    lose(message) {
      this.error = { message };
      this.disconnected = true;
      for (const f of listeners.disconnect) f(this);
    },
  };
}

function setup(helloTimeoutMs) {
  const ports = [];
  const events = [];
  const exits = [];
  const host = new HostConnection({
    connect: () => {
      const p = fakePort();
      ports.push(p);
      return p;
    },
    disconnectReason: (p) => p.error?.message ?? '',
    extensionVersion: '0.1.0',
    onEvent: (name, data) => events.push([name, data]),
    onExit: (reason) => exits.push(reason),
    helloTimeoutMs,
  });
  return { host, ports, events, exits };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const hello = (p) => p.answer({ id: p.sent[0].id, result: { protocol: 1, hostVersion: '0.1.0' } });

test('the first request says hello with the protocol version, then runs', async () => {
  const { host, ports } = setup();
  const result = host.call('listReaders');
  await tick();
  assert.deepEqual(ports[0].sent[0], { id: 1, method: 'hello', params: { protocol: 1, extensionVersion: '0.1.0' } });
  hello(ports[0]);
  await tick();
  assert.deepEqual(ports[0].sent[1], { id: 2, method: 'listReaders' });
  ports[0].answer({ id: 2, result: { readers: [] } });
  assert.deepEqual(await result, { readers: [] });
});

test('answers are matched by id, errors keep their extra members', async () => {
  const { host, ports } = setup();
  const ready = host.ready();
  await tick();
  hello(ports[0]);
  await ready;
  const a = host.call('authenticate', { pin: '1234' });
  const b = host.call('listReaders');
  await tick();
  ports[0].answer({ id: 3, result: { readers: ['r'] } });
  ports[0].answer({ id: 2, error: { code: 'PIN_WRONG', message: 'wrong', retriesLeft: 2 } });
  assert.deepEqual(await b, { readers: ['r'] });
  await assert.rejects(a, { code: 'PIN_WRONG', retriesLeft: 2 });
});

test('a host that is not installed is HOST_MISSING, and the next call tries again', async () => {
  const { host, ports, exits } = setup();
  const first = host.call('listReaders');
  await tick();
  ports[0].lose('Specified native messaging host not found.');
  await assert.rejects(first, { code: 'HOST_MISSING', message: 'Specified native messaging host not found.' });
  assert.deepEqual(exits, []);
  const second = host.ready();
  await tick();
  assert.equal(ports.length, 2);
  hello(ports[1]);
  assert.equal((await second).protocol, 1);
});

test('another protocol version is HOST_VERSION and the port is closed', async () => {
  const { host, ports } = setup();
  const ready = host.ready();
  await tick();
  ports[0].answer({ id: 1, error: { code: 'VERSION_MISMATCH', message: 'no', supportedProtocols: [2], hostVersion: '9.0.0' } });
  await assert.rejects(ready, { code: 'HOST_VERSION' });
  assert.ok(ports[0].disconnected);
});

test('a host that exits mid-request fails it with HOST_EXITED and reports the exit', async () => {
  const { host, ports, exits } = setup();
  const ready = host.ready();
  await tick();
  hello(ports[0]);
  await ready;
  const call = host.call('authenticate', {});
  await tick();
  ports[0].lose('Native host has exited.');
  await assert.rejects(call, { code: 'HOST_EXITED' });
  assert.deepEqual(exits, ['HOST_EXITED']);
});

test('events are passed on only after hello; stray answers are ignored', async () => {
  const { host, ports, events } = setup();
  const ready = host.ready();
  await tick();
  ports[0].answer({ event: 'readersChanged', data: { readers: [] } });
  hello(ports[0]);
  await ready;
  ports[0].answer({ id: 99, result: {} });
  ports[0].answer('junk');
  ports[0].answer({ event: 'readersChanged', data: { readers: [{ name: 'r', state: 'empty' }] } });
  assert.deepEqual(events, [['readersChanged', { readers: [{ name: 'r', state: 'empty' }] }]]);
});

test('a host that never answers hello is HOST_MISSING after the timeout', async () => {
  const { host, ports } = setup(20);
  await assert.rejects(host.ready(), { code: 'HOST_MISSING', message: /did not answer hello/ });
  assert.ok(ports[0].disconnected);
});

test('a browser that refuses to connect is HOST_MISSING, and a later call connects', async () => {
  let refuse = true;
  const port = fakePort();
  const host = new HostConnection({
    connect: () => {
      if (refuse) throw new Error('Access to the specified native messaging host is forbidden.');
      return port;
    },
    disconnectReason: () => '',
    extensionVersion: '0.1.0',
    onEvent: () => {},
    onExit: () => {},
  });
  await assert.rejects(host.ready(), { code: 'HOST_MISSING', message: /forbidden/ });
  refuse = false;
  const ready = host.ready();
  await tick();
  hello(port);
  assert.equal((await ready).protocol, 1);
});
