// The page opened when the host program is missing: what MynaConnect
// needs, what to do, and a button that checks again.

import { h } from './lib/dom.js';
import { strings } from './lib/i18n.js';
import { loadSettings, onSettingsChange, saveLang } from './lib/settings.js';

const screenEl = document.getElementById('screen');
const langButton = document.getElementById('lang');
const state = { lang: 'ja', result: null, checking: false };

let port = null;
function check() {
  state.checking = true;
  render();
  // A fresh port each time: the service worker may have been stopped since.
  port?.disconnect();
  port = chrome.runtime.connect({ name: 'status' });
  port.onMessage.addListener((msg) => {
    if (msg?.type !== 'host') return;
    state.checking = false;
    state.result = msg;
    document.body.dataset.hostState = msg.state;
    render();
  });
  port.postMessage({ type: 'check' });
}

langButton.addEventListener('click', () => saveLang(state.lang === 'ja' ? 'en' : 'ja'));
onSettingsChange((changed) => {
  Object.assign(state, changed);
  render();
});
loadSettings().then((s) => {
  Object.assign(state, s);
  render();
});

function render() {
  const s = strings(state.lang);
  document.documentElement.lang = state.lang;
  document.title = s.onbTitle;
  langButton.textContent = s.langSwitch;
  const r = state.result;
  let result = null;
  if (state.checking) result = h('p', { class: 'quiet' }, s.hostChecking);
  else if (r?.state === 'ready') result = h('p', { class: 'ok' }, s.onbReady(r.hostVersion ?? '?'));
  else if (r?.state === 'version') result = h('p', { class: 'alert' }, s.hostVersion);
  else if (r) result = h('p', { class: 'alert' }, s.onbMissing);
  screenEl.replaceChildren(
    h('h1', {}, s.onbTitle),
    h('p', {}, s.onbIntro),
    h('ul', { class: 'needs' }, s.onbNeeds.map((t) => h('li', {}, t))),
    h('h2', {}, s.onbDoTitle),
    h('ol', { class: 'steps' }, s.onbDo.map((t) => h('li', {}, t))),
    h('p', { class: 'quiet' }, s.onbDev, ' ', h('code', {}, 'make install')),
    h('div', { class: 'actions' }, h('button', { id: 'recheck', type: 'button', class: 'primary', disabled: state.checking, onclick: check }, s.recheck)),
    h('div', { id: 'result', role: 'status' }, result),
  );
}
