// The page-facing EIP-1193 provider and its EIP-6963 announcement. It runs
// in the page's own JavaScript world at document_start, before any page
// script. Everything it will ever call is taken now: a page that later
// replaces postMessage, JSON, Promise, Map or a prototype method changes
// nothing here. It holds no secret and decides nothing; the service worker
// takes the origin from the browser and checks every request again.

// The envelope is described in lib/envelope.js; its checks run in the
// bridge, not here, because this bundle must stay free of code that calls
// page-modifiable built-ins late.
const CHANNEL = 'mynaconnect';
const MAX_PARAMS_CHARS = 64 * 1024;
const ICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" fill="#1f4e79"><rect width="96" height="96" rx="20"/>' +
      '<rect x="14" y="26" width="68" height="44" rx="6" fill="#fff"/><circle cx="34" cy="46" r="8"/>' +
      '<path d="M50 40h20a2 2 0 0 1 0 4H50a2 2 0 0 1 0-4zm0 10h14a2 2 0 0 1 0 4H50a2 2 0 0 1 0-4z"/>' +
      '<rect x="22" y="60" width="24" height="4" rx="2" fill="#7fa7cc"/></svg>',
  );

const win = window;
const { apply, defineProperty, getOwnPropertyDescriptor } = Reflect;
const freeze = Object.freeze;
const PromiseCtor = Promise;
const ErrorCtor = Error;
const TypeErrorCtor = TypeError;
const MapCtor = Map;
const { get: mapGet, set: mapSet, delete: mapDelete } = Map.prototype;
const json = JSON;
const stringify = JSON.stringify;
const postMessage = win.postMessage;
const addEventListener = win.addEventListener;
const dispatchEvent = win.dispatchEvent;
const CustomEventCtor = CustomEvent;
const Uint8ArrayCtor = Uint8Array;
const cryptoObj = win.crypto;
const randomUUID = cryptoObj.randomUUID; // absent on plain-http pages
const getRandomValues = cryptoObj.getRandomValues;
const eventSource = getOwnPropertyDescriptor(MessageEvent.prototype, 'source').get;
const eventData = getOwnPropertyDescriptor(MessageEvent.prototype, 'data').get;

const HEX = '0123456789abcdef';

// uuid returns a random version 4 UUID. crypto.randomUUID exists only in
// secure contexts; the fallback builds the same format from
// getRandomValues, which exists everywhere.
function uuid() {
  if (randomUUID) return apply(randomUUID, cryptoObj, []);
  const b = apply(getRandomValues, cryptoObj, [new Uint8ArrayCtor(16)]);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[b[i] >> 4] + HEX[b[i] & 15];
  }
  return s;
}

// own reads a data property of an object from a message, never an
// inherited one: the page may have put getters on Object.prototype.
function own(o, key) {
  const d = getOwnPropertyDescriptor(o, key);
  return d ? d.value : undefined;
}

// append adds to an array without assignment, which could reach a setter
// the page defined on Array.prototype.
function append(list, v) {
  defineProperty(list, list.length, { value: v, writable: true, enumerable: true, configurable: true });
}

// rpcError builds the Error a page receives. data is {reason, hostCode?}
// for MynaConnect's own errors, or the node's revert data (a hex string) for
// a read-only call the chain refused.
function rpcError(code, reason, message, hostCode, nodeData) {
  const err = new ErrorCtor(message);
  let data = { reason };
  if (typeof hostCode === 'string') data.hostCode = hostCode;
  if (typeof nodeData === 'string') data = nodeData;
  defineProperty(err, 'code', { value: code, enumerable: true });
  defineProperty(err, 'data', { value: data, enumerable: true });
  return err;
}

const pending = new MapCtor(); // request id -> {resolve, reject}
const listeners = new MapCtor(); // event name -> [listener]

function request(args) {
  return new PromiseCtor((resolve, reject) => {
    if (typeof args !== 'object' || args === null) {
      reject(rpcError(-32600, 'INVALID_REQUEST', 'request() takes one argument: { method, params }.'));
      return;
    }
    // Read once: a getter on the page's object must not give two answers.
    const method = args.method;
    const params = args.params;
    if (typeof method !== 'string' || method.length === 0 || method.length > 128) {
      reject(rpcError(-32600, 'INVALID_REQUEST', 'method must be a non-empty string.'));
      return;
    }
    if (params !== undefined && (typeof params !== 'object' || params === null)) {
      reject(rpcError(-32600, 'INVALID_REQUEST', 'params must be an array or an object.'));
      return;
    }
    let text = '';
    if (params !== undefined) {
      try {
        text = apply(stringify, json, [params]);
      } catch {
        reject(rpcError(-32602, 'INVALID_PARAMS', 'params must be JSON data.'));
        return;
      }
    }
    if (text.length > MAX_PARAMS_CHARS) {
      reject(rpcError(-32602, 'INVALID_PARAMS', 'params are larger than 64 KiB.'));
      return;
    }
    const id = uuid();
    apply(mapSet, pending, [id, { resolve, reject }]);
    apply(postMessage, win, [{ channel: CHANNEL, dir: 'to-extension', id, method, params: text }, '*']);
  });
}

function on(name, listener) {
  if (typeof name !== 'string' || typeof listener !== 'function') {
    throw new TypeErrorCtor('on(name, listener) takes an event name and a function.');
  }
  let list = apply(mapGet, listeners, [name]);
  if (!list) {
    list = [];
    apply(mapSet, listeners, [name, list]);
  }
  append(list, listener);
  return provider;
}

function removeListener(name, listener) {
  const list = apply(mapGet, listeners, [name]);
  if (!list) return provider;
  const kept = [];
  let removed = false;
  for (let i = 0; i < list.length; i++) {
    if (!removed && list[i] === listener) removed = true;
    else append(kept, list[i]);
  }
  apply(mapSet, listeners, [name, kept]);
  return provider;
}

function emit(name, data) {
  // removeListener replaces the array, so this one is a stable snapshot.
  const list = apply(mapGet, listeners, [name]);
  if (!list) return;
  for (let i = 0; i < list.length; i++) {
    try {
      apply(list[i], provider, [data]);
    } catch {
      // A throwing listener must not stop the others.
    }
  }
}

function onMessage(event) {
  if (apply(eventSource, event, []) !== win) return;
  const data = apply(eventData, event, []);
  if (typeof data !== 'object' || data === null) return;
  if (own(data, 'channel') !== CHANNEL || own(data, 'dir') !== 'to-page') return;
  const name = own(data, 'event');
  if (typeof name === 'string') {
    emit(name, own(data, 'data'));
    return;
  }
  const id = own(data, 'id');
  const call = apply(mapGet, pending, [id]);
  if (!call) return;
  apply(mapDelete, pending, [id]);
  const error = own(data, 'error');
  if (typeof error === 'object' && error !== null) {
    const detail = own(error, 'data');
    const hasDetail = typeof detail === 'object' && detail !== null;
    const message = own(error, 'message');
    call.reject(rpcError(own(error, 'code'), hasDetail ? own(detail, 'reason') : undefined,
      typeof message === 'string' ? message : '', hasDetail ? own(detail, 'hostCode') : undefined, detail));
  } else {
    call.resolve(own(data, 'result'));
  }
}

const provider = freeze({ isMynaConnect: true, request, on, removeListener });
const info = freeze({ uuid: uuid(), name: 'MynaConnect', icon: ICON, rdns: 'jp.mynaconnect' });

function announce() {
  const detail = freeze({ info, provider });
  apply(dispatchEvent, win, [new CustomEventCtor('eip6963:announceProvider', { __proto__: null, detail })]);
}

// Capture phase, registered before any page script: the page cannot get a
// listener in ahead of this one.
apply(addEventListener, win, ['message', onMessage, true]);
apply(addEventListener, win, ['eip6963:requestProvider', announce]);

// Another wallet that got here first keeps window.ethereum; MynaConnect is
// still found through EIP-6963. Configurable and writable, so a wallet that
// comes later can take the name too.
if (!('ethereum' in win)) {
  defineProperty(win, 'ethereum', { value: provider, configurable: true, writable: true, enumerable: false });
}
announce();
