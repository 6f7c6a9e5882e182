// The settings page: the card readers and what is on them (live), the
// reader to use by default, the account's protection (protect.js), the
// sites the person has allowed (with a way to disconnect each), and the
// language.

import { h } from './lib/dom.js';
import { hostErrorText, hostStateText, readerStateText, strings } from './lib/i18n.js';
import { PermissionStore } from './lib/permissions.js';
import { loadSettings, onSettingsChange, saveDefaultReader, saveLang } from './lib/settings.js';
import { protectSection } from './protect.js';

const screenEl = document.getElementById('screen');
const permissions = new PermissionStore(chrome.storage.local);
const state = { lang: 'ja', defaultReader: null, host: { state: 'checking' }, readers: [], readersError: null, sites: [] };
const protect = protectSection(state.lang);

// watchHost keeps a status port open for live reader updates. The service
// worker may be stopped and started again (an update, a crash): then the
// port drops and a new one asks again.
function watchHost() {
  const port = chrome.runtime.connect({ name: 'status' });
  port.onMessage.addListener((msg) => {
    if (msg?.type === 'host') state.host = msg;
    else if (msg?.type === 'readers') {
      state.readers = Array.isArray(msg.readers) ? msg.readers : [];
      state.readersError = msg.error ?? null;
    } else return;
    render();
  });
  port.onDisconnect.addListener(() => setTimeout(watchHost, 1000));
  port.postMessage({ type: 'check' });
}
watchHost();

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.permissions) loadSites();
});
onSettingsChange((changed) => {
  Object.assign(state, changed);
  render();
});

async function loadSites() {
  state.sites = await permissions.list();
  render();
}

loadSettings().then((s) => {
  Object.assign(state, s);
  return loadSites();
});

function render() {
  const s = strings(state.lang);
  document.documentElement.lang = state.lang;
  document.title = s.optionsTitle;
  protect.setLang(state.lang);
  screenEl.replaceChildren(
    h('h1', {}, s.optionsTitle),
    h('section', { id: 'readers' }, h('h2', {}, s.readersTitle), ...readerSection(s)),
    protect.el,
    h('section', { id: 'sites' }, h('h2', {}, s.sitesTitle), ...siteSection(s)),
    h('section', { id: 'language' }, h('h2', {}, s.languageTitle),
      h('div', { class: 'actions' },
        h('button', { id: 'lang-ja', class: 'secondary', 'aria-pressed': String(state.lang === 'ja'), onclick: () => saveLang('ja') }, '日本語'),
        h('button', { id: 'lang-en', class: 'secondary', 'aria-pressed': String(state.lang === 'en'), onclick: () => saveLang('en') }, 'English'))),
  );
}

function readerSection(s) {
  const host = state.host;
  if (host.state === 'checking') return [h('p', { class: 'quiet' }, s.hostChecking)];
  if (host.state !== 'ready') {
    return [h('p', { id: 'host-status', class: 'alert', dataset: { hostState: host.state } }, hostStateText(state.lang, host.state)),
      h('p', {}, h('a', { href: 'onboarding.html' }, s.hostHowTo))];
  }
  const status = h('p', { id: 'host-status', class: 'quiet', dataset: { hostState: 'ready' } }, s.hostReady(host.hostVersion ?? '?'));
  if (state.readersError) return [status, h('p', { class: 'alert' }, hostErrorText(state.lang, state.readersError.code))];
  if (!state.readers.length) return [status, h('p', {}, s.readersNone)];
  return [status, h('p', {}, s.readersHint),
    h('ul', { class: 'readers' }, state.readers.map((r) => h('li', {},
      h('label', { class: 'reader', dataset: { reader: r.name, state: r.state } },
        h('input', { type: 'radio', name: 'default-reader', value: r.name, checked: r.name === state.defaultReader, onchange: () => saveDefaultReader(r.name) }),
        h('span', { class: 'reader-name' }, r.name),
        h('span', { class: 'reader-state' }, readerStateText(state.lang, r.state))))))];
}

function siteSection(s) {
  if (!state.sites.length) return [h('p', { class: 'quiet' }, s.sitesEmpty)];
  return [h('p', {}, s.sitesHint),
    h('ul', { class: 'sites' }, state.sites.map((site) => h('li', {},
      h('span', { class: 'site-origin' }, site.origin),
      h('span', { class: 'site-date' }, s.siteSince(new Date(site.date))),
      h('button', { class: 'secondary revoke', dataset: { origin: site.origin }, onclick: () => permissions.revoke(site.origin) }, s.revoke))))];
}
