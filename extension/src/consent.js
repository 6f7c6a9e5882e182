// The consent window: who is asking, what will be sent, the card reader,
// the PIN pad, and the outcome. It asks the service worker for each card
// operation by name; the origin, the challenge and what is signed stay in
// the service worker, which sends the host exactly the payload it gave this
// window to show. The PIN exists only in `pin` below while it is typed and
// in the one 'authenticate' or 'sign' message; it is never logged, stored
// or shown.
//
// Kinds of request (background.js): login (certificate → sheet → PIN →
// token), connect (card account → sheet → approve), message, typedData
// and calls (card account, which must be the connected one → sheet → PIN →
// the host signs, or signs and sends), and handover (MynaConnect's own
// page: a renewed card → sheet → PIN → the card applies to take over the
// account of the person's previous card, which it does not own yet).
//
// Screens set document.body.dataset.step to card|sheet|pin|blocked|
// working|done|error; the browser tests rely on these and on the ids and
// data-digit attributes used here.

import { h } from './lib/dom.js';
import { consentAction } from './lib/errors.js';
import { hostErrorText, readerStateText, strings } from './lib/i18n.js';
import { loadSettings, onSettingsChange, saveDefaultReader, saveLang } from './lib/settings.js';
import { FIRST_READ, compileSheet, readOp, startSheet } from './lib/sheetmodule.js';

const screenEl = document.getElementById('screen');
const queueEl = document.getElementById('queue');
const langButton = document.getElementById('lang');

const state = {
  lang: 'ja',
  defaultReader: null,
  origin: '',
  firstSeen: true,
  kind: 'login',
  chain: null, // Ethereum requests: the chain, as the host's ethChains gave it
  account: '', // message, typedData, calls: the account connected to the site
  payload: null, // message, typedData, calls: what the sheet shows and the host signs
  card: null, // Ethereum requests: the host's ethAccount result for the card read
  readers: [],
  readersError: null,
  waiting: 0,
  reader: undefined, // the reader in use, once the host has named it
  certificate: null, // the DER the sheet shows, as bytes
  accounts: undefined, // login: the card's accounts on configured chains (readAuthCertificate)
  fee: undefined, // calls: the gas and fees the host prepared, shown and then sent as they are
  hashes: null, // login: the host's SHA-256 of the certificate and of its key (readAuthCertificate)
  certificateSha256: '', // of the certificate the sheet showed: what is shown is what is sent
  retries: 0,
  lastTryConfirmed: false,
  restartNotice: '', // why the sheet is shown again, after the card left mid-way
};
let pin = '';
let reading = false; // a certificate read is under way
// Reader lists seen so far, and the one an automatic read last acted on:
// each list gets at most one automatic try, so a reader that looks ready
// but fails cannot loop.
let readersSeen = 0;
let readersTried = -1;
let render = () => {}; // draws the current screen again, in the current language
let pad = null; // the PIN pad's live nodes, while it is shown

document.body.dataset.navigationAt = String(performance.timeOrigin);
stamp('scriptAt');
const sheet = loadSheet();
sheet.catch(() => {}); // reported when a screen needs it

// --- talking to the service worker ----------------------------------------

// sheetload.js opened the port, attached to the request and asked for the
// card's first read (FIRST_READ); this script takes the port over below,
// with the messages that came before it.
const { port } = globalThis.mynaconnectConsent;
const calls = new Map();
let nextCall = FIRST_READ + 1;

function op(name, args = {}) {
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    calls.set(id, { resolve, reject });
    port.postMessage({ type: 'op', id, op: name, ...args });
  });
}

// The first read's answer: the read, the request's start message and the
// settings come in side by side; the sheet is shown when all three are in.
let firstRead = new Promise((resolve, reject) => calls.set(FIRST_READ, { resolve, reject }));
firstRead.catch(() => {}); // readCertificate reports it

function finish(reason, hostCode, detail) {
  port.postMessage({ type: 'finish', reason, hostCode, detail });
}

// The sheet module's reasons for refusing what a page sent (wasm/ethsheet).
const PAYLOAD_REFUSALS = new Set(['BAD_MESSAGE', 'BAD_TYPED_DATA', 'BAD_CALLS']);

const settings = loadSettings(globalThis.mynaconnectConsent.stored).then((s) => {
  Object.assign(state, s);
  applyLang();
});

function onMessage(msg) {
  switch (msg?.type) {
    case 'start':
      state.origin = msg.origin;
      state.firstSeen = msg.firstSeen;
      state.kind = msg.kind;
      state.chain = msg.chain ?? null;
      state.account = msg.account ?? '';
      state.payload = msg.payload ?? null;
      for (const [name, at] of Object.entries(msg.timing ?? {})) if (Number.isFinite(at)) document.body.dataset[name] = String(at);
      setWaiting(msg.waiting);
      settings.then(() => readCertificate());
      break;
    case 'gone':
      window.close();
      break;
    case 'queue':
      setWaiting(msg.waiting);
      break;
    case 'readers':
      readersChanged(msg);
      break;
    case 'op-result': {
      const call = calls.get(msg.id);
      if (!call) return;
      calls.delete(msg.id);
      if (msg.error) call.reject(msg.error);
      else call.resolve(msg.result);
      break;
    }
  }
}

onSettingsChange((changed) => {
  Object.assign(state, changed);
  if (changed.lang) {
    applyLang();
    render();
  }
});

langButton.addEventListener('click', () => saveLang(state.lang === 'ja' ? 'en' : 'ja'));

function applyLang() {
  document.documentElement.lang = state.lang;
  langButton.textContent = strings(state.lang).langSwitch;
  setWaiting(state.waiting);
}

function setWaiting(n) {
  state.waiting = Number.isInteger(n) && n > 0 ? n : 0;
  queueEl.hidden = state.waiting === 0;
  queueEl.textContent = state.waiting ? strings(state.lang).queueWaiting(state.waiting) : '';
}

// loadSheet resolves with the sheet for this window's kind of request: the
// sheet host's, running already (sheetload.js found it), or else this
// window's own, which sheetload.js began to compile before this script
// loaded. A sheet host that cannot give it (its module failed) is not
// asked again: the window starts its own.
async function loadSheet() {
  const source = globalThis.mynaconnectSheetSource;
  if (source.api) {
    try {
      const api = await source.api;
      document.body.dataset.sheetFrom = 'host';
      stamp('wasmCompiledAt');
      stamp('sheetReadyAt');
      return api;
    } catch {
      source.compiled = compileSheet(source.kind);
    }
  }
  source.compiled.then(() => stamp('wasmCompiledAt'), () => {});
  const api = await startSheet(source.compiled);
  document.body.dataset.sheetFrom = 'window';
  stamp('sheetReadyAt');
  return api;
}

// --- screens ----------------------------------------------------------------

function show(step, draw) {
  pad = null;
  render = () => {
    pad = null;
    screenEl.replaceChildren(...draw(strings(state.lang)).filter(Boolean));
  };
  document.body.dataset.step = step;
  render();
  screenEl.querySelector('h1')?.focus();
}

// stamp records when a step of the window's start was reached, for the
// time-to-sheet breakdown (docs/benchmarks.md).
function stamp(name) {
  document.body.dataset[name] = String(performance.timeOrigin + performance.now());
}

// markPainted stamps name at the frame after the one that drew the screen
// (two animation frames), in every browser; sheetShownAt below is the
// browser's own presentation time where it has one (docs/benchmarks.md
// compares them).
function markPainted(name) {
  requestAnimationFrame(() => requestAnimationFrame(() => stamp(name)));
}

// sheetShownAt: when the browser presented the frame that first showed the
// sheet, from its own paint timing (Element Timing on the 許可 button,
// Chromium only).
if (PerformanceObserver.supportedEntryTypes?.includes('element')) {
  new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) {
      if (entry.identifier === 'sheet' && !document.body.dataset.sheetShownAt) {
        document.body.dataset.sheetShownAt = String(performance.timeOrigin + entry.renderTime);
      }
    }
  }).observe({ type: 'element', buffered: true });
}

function cancelButton(s) {
  return h('button', { id: 'cancel', class: 'secondary', onclick: () => finish('USER_REJECTED') }, s.cancel);
}

function heading(text) {
  return h('h1', { tabindex: '-1' }, text);
}

function originHeader() {
  const el = h('div', { class: 'origin-header' });
  sheet.then((api) => api.renderOrigin(el, { origin: state.origin, firstSeen: state.firstSeen, lang: state.lang }), () => {});
  return el;
}

// readCertificate reads the card — its certificate for a login, its
// account for the others (the service worker started the first read when it
// opened this window) — and shows the sheet. Reader events can arrive in
// bursts: one read at a time.
async function readCertificate(reader = state.reader, notice = state.restartNotice) {
  if (reading) return;
  reading = true;
  const login = state.kind === 'login';
  const early = reader ? null : firstRead;
  firstRead = null;
  let r;
  try {
    r = await (early ?? op(readOp(state.kind), reader ? { reader } : {}));
    stamp('cardReadAt');
  } catch (e) {
    reading = false;
    failed(e);
    return;
  }
  reading = false;
  state.reader = r.reader;
  if (login) {
    state.certificate = Uint8Array.from(atob(r.certificate), (c) => c.charCodeAt(0));
    state.hashes = { certificateSha256: r.certificateSha256, publicKeySha256: r.publicKeySha256 };
    state.accounts = r.accounts; // the card's accounts its public key gives away
  } else if (!['connect', 'handover'].includes(state.kind) && r.address.toLowerCase() !== state.account.toLowerCase()) {
    // Another person's card, or a renewed one: nothing of it is shown.
    failed({ code: 'ACCOUNT_MISMATCH' });
    return;
  } else {
    state.card = r;
  }
  // Calls: the host builds the operation first, and the sheet shows its fee;
  // calls the sheet cannot read exactly are the page's mistake, whatever a
  // simulation would say, and are refused before the host is asked.
  if (state.kind === 'calls') {
    if (await refusedPayload()) return;
    try {
      state.fee = (await op('prepareCalls', { reader: state.reader })).fee;
    } catch (e) {
      failed(e);
      return;
    }
  }
  await showSheet(notice);
}

// refusedPayload reads the page's payload with the sheet module (drawn
// aside, with no fee yet) and ends the request as INVALID_PARAMS if the
// sheet refuses it.
async function refusedPayload() {
  let api;
  try {
    api = await sheet;
  } catch {
    return false; // showSheet says so
  }
  const result = renderSheet(api, document.createElement('div'), NO_FEE);
  if (result.ok || !PAYLOAD_REFUSALS.has(result.reason)) return false;
  finish('INVALID_PARAMS', undefined, String(result.detail ?? '').slice(0, 300));
  return true;
}
const NO_FEE = { callGasLimit: '0x0', verificationGasLimit: '0x0', preVerificationGas: '0x0', maxFeePerGas: '0x0', maxPriorityFeePerGas: '0x0' };

// failed leads the person from a host error to the screen where they can
// do something about it.
function failed(e) {
  const code = typeof e?.code === 'string' ? e.code : 'INTERNAL';
  switch (consentAction(code)) {
    case 'card':
      if (code === 'READER_REQUIRED' && e.readers?.includes(state.defaultReader)) {
        readCertificate(state.defaultReader);
        return;
      }
      // Past the sheet, the person approved a card that is gone: the sheet
      // comes again for the card that arrives, and says why.
      if (state.certificate || state.card) state.restartNotice = strings(state.lang).cardRestart;
      state.reader = undefined;
      state.certificate = null;
      state.card = null;
      showCard(code);
      return;
    case 'pin':
      state.retries = e.retriesLeft;
      showPin(true);
      return;
    case 'blocked':
      showBlocked();
      return;
    case 'reread':
      readCertificate(state.reader, strings(state.lang).cardChanged);
      return;
    case 'host':
    case 'final':
      showError(hostErrorText(state.lang, code), { retry: false, hostCode: code });
      return;
    default:
      showError(hostErrorText(state.lang, code), { retry: true, hostCode: code });
  }
}

// The card screen: which readers there are, what is on them, and what to
// do. It moves on by itself when a My Number card arrives.
function showCard(code) {
  if (!state.readers.length) op('listReaders').then(readersChanged, () => {});
  show('card', (s) => {
    const ready = state.readers.filter((r) => r.state === 'mynumber');
    const choose = ready.length > 1;
    const problem = state.readersError ? state.readersError.code : code;
    // The heading and the reader list already say these.
    const showProblem = problem && !['NO_CARD', 'READER_REQUIRED', 'NO_READER'].includes(problem);
    return [
      originHeader(),
      heading(hostErrorText(state.lang, choose ? 'READER_REQUIRED' : 'NO_CARD')),
      showProblem && h('p', { class: 'alert', role: 'alert' }, hostErrorText(state.lang, problem)),
      h('h2', {}, s.cardTitle),
      h('p', { class: state.readers.length ? null : 'alert' }, !state.readers.length ? s.hostError.NO_READER : choose ? s.cardChooseHint : ready.length ? s.hostError.READER_REQUIRED : s.cardWaitHint),
      h('ul', { class: 'readers' }, state.readers.map((r) => h('li', {},
        h('button', {
          class: 'reader', dataset: { reader: r.name, state: r.state },
          disabled: r.state !== 'mynumber', onclick: () => chooseReader(r.name),
        }, h('span', { class: 'reader-name' }, r.name), h('span', { class: 'reader-state' }, readerStateText(state.lang, r.state)))))),
      h('div', { class: 'actions' }, cancelButton(s)),
    ];
  });
  autoRead();
}

function chooseReader(name) {
  state.defaultReader = name;
  saveDefaultReader(name);
  readCertificate(name);
}

function readersChanged({ readers, error }) {
  state.readers = Array.isArray(readers) ? readers : [];
  state.readersError = error ?? null;
  readersSeen++;
  if (document.body.dataset.step === 'card' && !autoRead()) render();
}

// autoRead moves on from the card screen when the reader list shows the
// card to use: the default reader's, or the only My Number card.
function autoRead() {
  if (readersTried === readersSeen) return false;
  const ready = state.readers.filter((r) => r.state === 'mynumber').map((r) => r.name);
  const pick = ready.includes(state.defaultReader) ? state.defaultReader : ready.length === 1 ? ready[0] : null;
  if (!pick) return false;
  readersTried = readersSeen;
  readCertificate(pick);
  return true;
}

async function showSheet(notice) {
  let api;
  try {
    api = await sheet;
  } catch {
    showError(strings(state.lang).sheetFailed, { retry: false, hostCode: 'INTERNAL' });
    return;
  }
  let result = null;
  show('sheet', (s) => {
    const container = h('div', { class: 'sheet-host' });
    result = renderSheet(api, container);
    offerProtect(s, result, container);
    return [
      notice && h('p', { class: 'notice', role: 'status' }, notice),
      container,
      h('div', { class: 'actions' }, cancelButton(s),
        // Armed only after APPROVE_DELAY_MS: a click aimed at the page when
        // the window appeared (double-click-jacking) cannot approve.
        h('button', { id: 'approve', class: 'primary', disabled: true, onclick: approve, elementtiming: 'sheet' }, approveLabel(s))),
    ];
  });
  if (!result.ok && PAYLOAD_REFUSALS.has(result.reason)) {
    // The page's payload is not something the sheet can show exactly (the
    // host would refuse it too): the request ends as the page's mistake.
    finish('INVALID_PARAMS', undefined, String(result.detail ?? '').slice(0, 300));
    return;
  }
  if (!result.ok) {
    showError(strings(state.lang).sheetFailed, { retry: true, hostCode: 'CARD_ERROR' });
    return;
  }
  state.certificateSha256 = (state.kind === 'login' ? state.hashes : state.card).certificateSha256;
  state.restartNotice = '';
  stamp('sheetRenderedAt');
  markPainted('sheetPaintedAt');
  armApprove();
}

// APPROVE_DELAY_MS: how long 許可 stays disabled after the sheet appears
// or the window comes to the front, as browsers do for their own
// permission prompts: long enough to stop a click meant for the page,
// short enough that nobody reading the sheet notices it.
const APPROVE_DELAY_MS = 600;
let armTimer = 0;

function armApprove() {
  const button = document.getElementById('approve');
  if (!button) return;
  button.disabled = true;
  clearTimeout(armTimer);
  armTimer = setTimeout(() => { button.disabled = false; }, APPROVE_DELAY_MS);
}
window.addEventListener('focus', () => { if (document.body.dataset.step === 'sheet') armApprove(); });

// renderSheet draws the request's sheet with the sheet module from exactly
// what the service worker will send: the payload is passed as it came.
const RENDER = { connect: 'renderConnect', message: 'renderMessage', typedData: 'renderTypedData', calls: 'renderCalls', handover: 'renderHandover' };

function renderSheet(api, container, fee = state.fee) {
  const common = { origin: state.origin, firstSeen: state.firstSeen, lang: state.lang };
  if (state.kind === 'login') {
    return api.renderLogin(container, {
      ...common, certificate: state.certificate, publicKeySha256: state.hashes.publicKeySha256, accounts: state.accounts,
    });
  }
  // A handover's account is the previous card's: the card's own protection
  // is not about it.
  const own = state.kind !== 'handover' && { protection: state.card.protection, certificateNotAfter: state.card.certificateNotAfter };
  return api[RENDER[state.kind]](container, {
    ...common, ...state.payload, chain: state.chain,
    account: state.kind === 'connect' ? state.card.address : state.account, fee,
    publicKeySha256: state.card.publicKeySha256, ...own,
  });
}

// offerProtect puts, into a sheet's warning about the account (a move to
// another card under way; no guardians before a renewal), the button to
// 「アカウントを守る」, where it is dealt with on a sheet of its own.
function offerProtect(s, result, container) {
  if (state.kind === 'login' || !result.ok || result.self) return;
  const code = ['RECOVERY_PENDING', 'NO_GUARDIANS'].find((c) => result.warnings.includes(c));
  container.querySelector(`[data-warning="${code}"]`)?.append(h('button', {
    id: 'open-protect', class: code === 'RECOVERY_PENDING' ? 'primary' : 'secondary',
    onclick: () => chrome.tabs.create({ url: chrome.runtime.getURL('options.html#protect') }),
  }, code === 'RECOVERY_PENDING' ? s.protectOpenCancel : s.protectOpenAdd));
}

function approveLabel(s) {
  if (state.kind === 'connect') return s.approveConnect;
  if (state.kind === 'calls') return s.approveSend;
  return s.approve;
}

// approve reads the PIN's retry counter before the pad is shown: a blocked
// PIN gets no pad, and the last try gets a warning. A connect needs no PIN:
// it only tells the site the account's address.
async function approve(event) {
  event.currentTarget.disabled = true;
  try {
    if (state.kind === 'connect') {
      await op('approveConnect');
      showDone();
      return;
    }
    const status = await op('authPinStatus', { reader: state.reader });
    state.retries = status.retriesLeft;
    if (status.blocked || status.retriesLeft === 0) showBlocked();
    else showPin(false);
  } catch (e) {
    failed(e);
  }
}

function showPin(wrong) {
  pin = '';
  state.lastTryConfirmed = false;
  show('pin', (s) => {
    const dots = [0, 1, 2, 3].map(() => h('span', { class: 'pin-dot' }));
    const entered = h('span', { class: 'visually-hidden', 'aria-live': 'polite' });
    const submit = h('button', { id: 'pin-submit', class: 'pin-key pin-submit', onclick: submitPin }, s.pinSubmit);
    const lastTry = state.retries === 1;
    const digit = (d) => h('button', { class: 'pin-key', dataset: { digit: d }, onclick: () => typeDigit(d) }, d);
    const nodes = [
      heading(s.pinTitle),
      wrong && h('div', { class: 'alert', role: 'alert' },
        h('p', { class: 'alert-title' }, s.pinWrongTitle), h('p', {}, s.pinWrongBody(state.retries))),
      h('details', { class: 'help' }, h('summary', {}, s.pinHelpSummary), h('ul', {}, s.pinHelp.map((t) => h('li', {}, t)))),
      !wrong && h('p', { class: 'retries' }, s.pinRetries(state.retries)),
      lastTry && h('div', { class: 'warning' },
        h('p', {}, s.pinLastTry),
        h('label', { class: 'confirm' },
          h('input', {
            id: 'confirm-last-try', type: 'checkbox', checked: state.lastTryConfirmed,
            onchange: (e) => { state.lastTryConfirmed = e.currentTarget.checked; updatePad(); },
          }),
          s.pinLastTryConfirm)),
      h('div', { class: 'pin-dots', 'aria-hidden': 'true' }, dots),
      entered,
      h('div', { class: 'pin-pad' },
        ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(digit),
        h('button', { id: 'pin-back', class: 'pin-key pin-back', 'aria-label': s.pinBack, onclick: backspace }, '⌫'),
        digit('0'),
        submit),
      h('div', { class: 'actions' }, cancelButton(s)),
    ];
    pad = { dots, entered, submit, s };
    return nodes;
  });
  updatePad();
}

function updatePad() {
  if (!pad) return;
  pad.dots.forEach((d, i) => d.classList.toggle('filled', i < pin.length));
  pad.entered.textContent = pad.s.pinEntered(pin.length);
  pad.submit.disabled = pin.length !== 4 || (state.retries === 1 && !state.lastTryConfirmed);
}

function typeDigit(d) {
  if (pin.length < 4) pin += d;
  updatePad();
}

function backspace() {
  pin = pin.slice(0, -1);
  updatePad();
}

async function submitPin() {
  if (pin.length !== 4 || (state.retries === 1 && !state.lastTryConfirmed)) return;
  let digits = pin;
  pin = '';
  stamp('pinSubmittedAt');
  showWorking();
  const signed = op(state.kind === 'login' ? 'authenticate' : 'sign', {
    reader: state.reader, pin: digits, certificateSha256: state.certificateSha256,
  });
  digits = null;
  try {
    showDone(await signed);
  } catch (e) {
    failed(e);
  }
}

// showDone says what happened; for a transaction, its id, so the person can
// find it again.
function showDone(result) {
  show('done', (s) => [
    h('div', { class: 'done-mark', 'aria-hidden': 'true' }, '✓'),
    heading(state.kind === 'login' ? s.doneTitle : s.doneKind[state.kind] ?? s.doneKind.sign),
    result?.transactionHash && h('p', { id: 'transaction', class: 'mono' }, s.doneTransaction(result.transactionHash)),
    h('p', {}, s.doneBody),
  ]);
}

function showWorking() {
  show('working', (s) => [
    h('div', { class: 'spinner', 'aria-hidden': 'true' }),
    heading(state.kind === 'calls' ? s.workingSend : s.working),
    h('p', {}, s.workingKeep),
  ]);
}

function showBlocked() {
  show('blocked', (s) => [
    heading(s.blockedTitle),
    ...s.blockedBody.map((t) => h('p', {}, t)),
    h('div', { class: 'actions' }, h('button', { id: 'close', class: 'primary', onclick: () => finish('PIN_BLOCKED') }, s.close)),
  ]);
}

function showError(text, { retry, hostCode }) {
  show('error', (s) => [
    heading(s.errorTitle),
    h('p', { class: 'alert', role: 'alert' }, text),
    h('div', { class: 'actions' },
      h('button', { id: 'close', class: retry ? 'secondary' : 'primary', onclick: () => finish('CARD_ERROR', hostCode) }, s.close),
      retry && h('button', { id: 'retry', class: 'primary', onclick: () => readCertificate() }, s.retry)),
  ]);
}

// Digits, Backspace and Enter work on the PIN screen as on the pad.
document.addEventListener('keydown', (e) => {
  if (document.body.dataset.step !== 'pin' || e.ctrlKey || e.metaKey || e.altKey) return;
  if (/^[0-9]$/.test(e.key)) typeDigit(e.key);
  else if (e.key === 'Backspace') backspace();
  else if (e.key === 'Enter') submitPin();
  else return;
  e.preventDefault();
});

// Last, once everything above is defined: the port's messages so far, then
// the rest as they come.
{
  const { early, keep } = globalThis.mynaconnectConsent;
  port.onMessage.removeListener(keep);
  port.onMessage.addListener(onMessage);
  for (const msg of early.splice(0)) onMessage(msg);
}
