// The options and onboarding pages (the 'status' port): the host's state
// and the readers, on request and whenever they change.

import { isHostFailure } from '../lib/errors.js';
import { host, hostState, post, statusPorts } from './state.js';

/** statusPort serves one options or onboarding page's port. */
export function statusPort(port) {
  statusPorts.add(port);
  port.onDisconnect.addListener(() => statusPorts.delete(port));
  port.onMessage.addListener((msg) => {
    if (msg?.type === 'check') checkHost(port);
  });
}

async function checkHost(port) {
  try {
    const hello = await host.ready();
    post(port, { type: 'host', state: 'ready', hostVersion: hello.hostVersion });
    hostState.readers = await host.call('listReaders');
    post(port, { type: 'readers', ...hostState.readers });
  } catch (e) {
    const state = e.code === 'HOST_VERSION' ? 'version' : isHostFailure(e) ? 'missing' : 'ready';
    post(port, { type: 'host', state, message: e.message });
    if (e.code === 'PCSC_UNAVAILABLE') post(port, { type: 'readers', readers: [], error: { code: e.code, message: e.message } });
  }
}
