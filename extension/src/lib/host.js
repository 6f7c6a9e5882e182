// The connection to the native host (docs/host-protocol.md): one
// long-lived port, the hello handshake, request ids, and what a lost port
// means. It knows nothing of the browser: the port comes from connect().

import { hostFailure } from './errors.js';

/** The host protocol version this extension speaks. */
export const PROTOCOL = 1;

// A host that started but does not answer hello (hung, or not the
// MynaConnect host at all) is treated as missing after this long, so the
// request queue does not wait on it forever.
const HELLO_TIMEOUT_MS = 10_000;

export class HostConnection {
  #connect;
  #disconnectReason;
  #extensionVersion;
  #onEvent;
  #onExit;
  #helloTimeoutMs;
  #port = null;
  #ready = null;
  #greeted = false;
  #nextId = 1;
  #pending = new Map();

  /**
   * @param {object} o
   * @param {() => object} o.connect opens a native port (chrome.runtime.connectNative)
   * @param {(port: object) => string} o.disconnectReason the browser's reason for a lost port
   * @param {string} o.extensionVersion sent in hello, for the host's log
   * @param {(name: string, data: any) => void} o.onEvent host events (readersChanged)
   * @param {(reason: string) => void} o.onExit the port was lost after a successful hello
   * @param {number} [o.helloTimeoutMs]
   */
  constructor({ connect, disconnectReason, extensionVersion, onEvent, onExit, helloTimeoutMs = HELLO_TIMEOUT_MS }) {
    this.#helloTimeoutMs = helloTimeoutMs;
    this.#connect = connect;
    this.#disconnectReason = disconnectReason;
    this.#extensionVersion = extensionVersion;
    this.#onEvent = onEvent;
    this.#onExit = onExit;
  }

  /**
   * Connects and says hello unless that is done; resolves to hello's result.
   * Rejects with HOST_MISSING when the host cannot be started or leaves
   * before answering, HOST_VERSION when it speaks another protocol. After
   * a failure the next call tries again: the person may have installed it.
   */
  ready() {
    if (!this.#ready) {
      const opening = this.#open();
      this.#ready = opening;
      opening.catch(() => {
        if (this.#ready === opening) this.#ready = null;
      });
    }
    return this.#ready;
  }

  /**
   * Sends one request; resolves to its result, rejects with its error
   * ({code, message, retriesLeft?, readers?, …}) or a host failure.
   */
  async call(method, params) {
    await this.ready();
    return this.#send(this.#port, method, params);
  }

  async #open() {
    let port;
    try {
      port = this.#connect();
    } catch (e) {
      throw hostFailure('HOST_MISSING', e?.message);
    }
    this.#port = port;
    this.#greeted = false;
    port.onMessage.addListener((msg) => this.#receive(port, msg));
    port.onDisconnect.addListener(() => this.#lost(port, this.#disconnectReason(port)));
    const silent = setTimeout(() => this.#drop(port, hostFailure('HOST_MISSING',
      `the host did not answer hello within ${this.#helloTimeoutMs} ms`)), this.#helloTimeoutMs);
    let hello;
    try {
      hello = await this.#send(port, 'hello', { protocol: PROTOCOL, extensionVersion: this.#extensionVersion });
    } catch (e) {
      if (e.code !== 'VERSION_MISMATCH') throw e;
      const failure = hostFailure('HOST_VERSION', `host ${e.hostVersion ?? '?'} speaks protocol ${JSON.stringify(e.supportedProtocols ?? [])}, the extension ${PROTOCOL}`);
      this.#drop(port, failure);
      throw failure;
    } finally {
      clearTimeout(silent);
    }
    if (hello?.protocol !== PROTOCOL) {
      const failure = hostFailure('HOST_VERSION', `host answered protocol ${JSON.stringify(hello?.protocol)}, the extension speaks ${PROTOCOL}`);
      this.#drop(port, failure);
      throw failure;
    }
    this.#greeted = true;
    return hello;
  }

  #send(port, method, params) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        port.postMessage(params === undefined ? { id, method } : { id, method, params });
      } catch (e) {
        this.#pending.delete(id);
        reject(hostFailure(this.#greeted ? 'HOST_EXITED' : 'HOST_MISSING', e?.message));
      }
    });
  }

  #receive(port, msg) {
    if (port !== this.#port || typeof msg !== 'object' || msg === null) return;
    if (typeof msg.event === 'string') {
      if (this.#greeted) this.#onEvent(msg.event, msg.data);
      return;
    }
    const call = this.#pending.get(msg.id);
    if (!call) return;
    this.#pending.delete(msg.id);
    if (typeof msg.error === 'object' && msg.error !== null) {
      call.reject({ ...msg.error, code: String(msg.error.code), message: String(msg.error.message ?? '') });
    } else {
      call.resolve(msg.result);
    }
  }

  #lost(port, reason) {
    if (port !== this.#port) return;
    const greeted = this.#greeted;
    this.#forget(hostFailure(greeted ? 'HOST_EXITED' : 'HOST_MISSING', reason));
    if (greeted) this.#onExit('HOST_EXITED');
  }

  // Closes a port the extension gave up on (silent, or another protocol
  // version). The browser does not report a disconnect the extension made
  // itself, so what was waiting on it fails here.
  #drop(port, failure) {
    if (port !== this.#port) return;
    port.disconnect();
    this.#forget(failure);
  }

  #forget(failure) {
    this.#port = null;
    this.#ready = null;
    this.#greeted = false;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of pending) call.reject(failure);
  }
}
