// The window.postMessage envelope between the page-world provider and the
// isolated bridge. The page can post anything on its own window, so every
// message is checked here before it goes further.
//
//   page → bridge  {channel: 'mynaconnect', dir: 'to-extension', id, method, params}
//                  params is the JSON text of the request's params ('' for none),
//                  made by the provider with the JSON it captured at start
//   bridge → page  {channel: 'mynaconnect', dir: 'to-page', id, result}
//                  {channel: 'mynaconnect', dir: 'to-page', id, error: {code, message, data}}
//                  {channel: 'mynaconnect', dir: 'to-page', event, data}

import { MAX_PARAMS_CHARS } from './params.js';

export const CHANNEL = 'mynaconnect';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const METHOD = /^[A-Za-z0-9_]{1,128}$/;

/**
 * The request in a page message, as {id, method, params} (params undefined
 * when the page gave none), or null when the message is not a well-formed
 * request: those are dropped without an answer, as they did not come from
 * the provider.
 */
export function parsePageRequest(data) {
  if (typeof data !== 'object' || data === null) return null;
  if (data.channel !== CHANNEL || data.dir !== 'to-extension') return null;
  const { id, method, params } = data;
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  if (typeof method !== 'string' || !METHOD.test(method)) return null;
  if (typeof params !== 'string' || params.length > MAX_PARAMS_CHARS) return null;
  if (params === '') return { id, method, params: undefined };
  try {
    return { id, method, params: JSON.parse(params) };
  } catch {
    return null;
  }
}

/**
 * The same check on what the bridge forwards to the service worker over its
 * port ({id, method, params} with params already parsed): the service worker
 * trusts no content script further than the browser does.
 */
export function isPortRequest(msg) {
  return typeof msg === 'object' && msg !== null &&
    typeof msg.id === 'string' && UUID.test(msg.id) &&
    typeof msg.method === 'string' && METHOD.test(msg.method);
}
