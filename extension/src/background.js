// The service worker: the one place that decides. It takes each request's
// origin from the browser, keeps per-origin permissions, queues the
// requests that need the person so that one consent window is open at a
// time, and owns the native port to mynaconnect-host. Requests in flight
// live only as long as the pages' ports, which drop when the worker stops;
// while the native port is open the browser keeps the worker alive.
//
// One module per job, in ./background/:
//   state.js         the host connection, permissions, queue, ports
//   pageport.js      page requests, dispatched to ./background/actions/:
//                    login, accounts, sign, send, chain (one per action)
//   consentqueue.js  the requests that need the person, one window at a time
//   consentport.js   the consent window's card operations
//   statusport.js    the options and onboarding pages
//   protectport.js   the options page's 「アカウントを守る」: guardians, recoveries
//   chains.js        host calls for pages, and which chain each origin is on
//   sheethost.js     keeps the consent sheets running between windows
//
// Ports (chrome.runtime.connect names) and their messages:
//   'page'    bridge → {id, method, params}; ← {id, result} | {id, error}
//   'consent' consent.html → {type: 'attach', key} | {type: 'op', id, op, …} | {type: 'finish', reason, hostCode?, detail?}
//             ← {type: 'start', origin, firstSeen, waiting, kind, chain?, account?, payload?} | {type: 'gone'}
//               | {type: 'op-result', id, result} | {type: 'op-result', id, error}
//               | {type: 'readers', readers, error?} | {type: 'queue', waiting}
//   'protect' options.html → {id, method: 'account'} | {id, method: 'change', params: {account, action, …}}
//             ← {id, result} | {id, error}: the card's account and protection; a change's consent outcome
//   'status'  options.html, onboarding.html → {type: 'check'}
//             ← {type: 'host', state: 'ready'|'missing'|'version'|'exited', hostVersion?, message?}
//               | {type: 'readers', readers, error?}
//
// A request that needs the person (a "consent request") has a kind:
//   login      mynaconnect_authenticate: certificate, sheet, PIN, token
//   connect    eth_requestAccounts: card account, sheet, approve (no PIN)
//   message    personal_sign          ┐ card account, sheet, PIN, and the
//   typedData  eth_signTypedData_v4   │ host signs (and sends) exactly the
//   calls      eth_sendTransaction,   ┘ payload the sheet showed
//              wallet_sendCalls, and the changes of 「アカウントを守る」
//              (from the extension's own origin)

import { consentPort } from './background/consentport.js';
import { windowClosed } from './background/consentqueue.js';
import { pagePort } from './background/pageport.js';
import { protectPort } from './background/protectport.js';
import { prepareSheetHost } from './background/sheethost.js';
import { EXTENSION_URL } from './background/state.js';
import { statusPort } from './background/statusport.js';

// The browser's word for who is calling; an iframe is its own origin.
function senderOrigin(sender) {
  if (typeof sender.origin === 'string') return sender.origin;
  try {
    return new URL(sender.url).origin;
  } catch {
    return 'null';
  }
}

function isExtensionPage(sender) {
  return typeof sender.url === 'string' && sender.url.startsWith(EXTENSION_URL) && !sender.frameId;
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === 'page' && !isExtensionPage(port.sender)) return pagePort(port, senderOrigin(port.sender));
  if (port.name === 'consent' && isExtensionPage(port.sender)) return consentPort(port);
  if (port.name === 'status' && isExtensionPage(port.sender)) return statusPort(port);
  if (port.name === 'protect' && isExtensionPage(port.sender)) return protectPort(port);
  port.disconnect();
});

chrome.windows.onRemoved.addListener(windowClosed);

// The browser starts the worker when it starts (onStartup), and the worker
// opens the sheet host then, before anyone asks to log in.
chrome.runtime.onStartup.addListener(prepareSheetHost);
prepareSheetHost();
