// The options page's 「アカウントを守る」: the card's account, the guardians who
// can move it to a new card, how many must agree and how long a move waits,
// a move under way (in red, with its cancel), and the form that chooses the
// guardians. Every change is approved on a consent sheet with the card and
// its PIN (background/protectport.js); this page only asks.
//
// Below it, the two sides of a move to a new card: a renewed card applies to
// take over the previous card's account (and the previous card, while it
// works, switches at once), and a guardian reads such an application,
// compares its check code with the person on the phone, and starts the move
// (later finishes it) with their own card.
//
// DOM hooks for the browser tests: #protect, #protect-read, #pending-recovery,
// #cancel-recovery, #guardians li[data-kind], #guardian-read-card,
// #draft-guardians li, #guardian-address, #guardian-add,
// #threshold, #delay, #save-guardians, #protect-status[data-outcome],
// #protect-history li[data-kind]; #handover-account, #handover-apply,
// #handover-code, #handover-check, #handover-rotate; #application-text,
// #application-read, #application[data-state], #application-check,
// #application-approve, #application-finish; #guardian-passkey,
// #application-passkey, #application-sign, #application-approvals.

import { h } from './lib/dom.js';
import { isAddress } from './lib/ethparams.js';
import { encodeHandover } from './lib/handover.js';
import { keccakHex } from './lib/keccak.js';
import { credentialBytes, credentialId, hashBytes, passkeyApproval, passkeySigner } from './lib/passkey.js';
import { hostErrorText } from './lib/i18n.js';
import { DELAY_HOURS, MAX_GUARDIANS } from './lib/recoverycalls.js';
import { protectStrings as strings } from './protecttext.js';

/**
 * protectSection makes the section once; options.js places the same
 * element on every render, so what the person typed survives the reader
 * list's updates. setLang redraws it in another language.
 */
export function protectSection(initialLang) {
  const el = h('section', { id: 'protect' });
  const st = {
    lang: initialLang,
    busy: false,
    read: null, // {chain, card}: ethAccount's answer
    draft: null, // {guardians: [address], threshold, delayHours}: the form
    status: null, // {outcome: 'ok'|'error', text}
    handover: null, // {text, keyCheck}: the renewed card's application, once made
    handoverAccount: '', // what the person typed: the previous card's account
    applicationText: '', // a guardian's: the application pasted
    application: null, // {application, chain, keyCheck, standing}: as read from the chain
  };
  let port = null;
  const waiting = new Map();

  function ask(method, params) {
    if (!port) {
      port = chrome.runtime.connect({ name: 'protect' });
      port.onMessage.addListener((msg) => {
        const settle = waiting.get(msg?.id);
        if (!settle) return;
        waiting.delete(msg.id);
        settle(msg);
      });
      port.onDisconnect.addListener(() => {
        port = null;
        for (const settle of waiting.values()) settle({ error: { data: { reason: 'HOST_EXITED' } } });
        waiting.clear();
      });
    }
    const id = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      waiting.set(id, (msg) => (msg.error ? reject(msg.error) : resolve(msg.result)));
      port.postMessage({ id, method, params });
    });
  }

  async function run(work, doneText) {
    st.busy = true;
    st.status = null;
    draw();
    try {
      await work();
      if (doneText) st.status = { outcome: 'ok', text: doneText };
    } catch (e) {
      st.status = { outcome: 'error', text: errorText(st.lang, e) };
    }
    st.busy = false;
    draw();
  }

  async function readCard() {
    st.read = await ask('account');
    await remember(st.read.card);
    const p = st.read.card.protection;
    st.draft = {
      guardians: p.guardians.map((g) => g.signer),
      threshold: Math.max(p.threshold, 1),
      delayHours: DELAY_HOURS.includes(p.delay / 3600) ? p.delay / 3600 : 72,
    };
  }

  // change asks for one change; afterwards the card is read again, so the
  // page shows what the chain now holds.
  function change(params, doneText) {
    run(async () => {
      await ask('change', { account: st.read.card.address, ...params });
      await readCard();
    }, doneText);
  }

  function draw() {
    const s = strings(st.lang);
    el.replaceChildren(...[
      h('h2', {}, s.protectTitle),
      h('p', {}, s.protectIntro),
      ...(st.read ? account(s) : [h('div', { class: 'actions' },
        h('button', { id: 'protect-read', class: 'primary', disabled: st.busy, onclick: () => run(readCard) }, s.protectRead))]),
      st.busy && h('p', { class: 'quiet', role: 'status' }, s.protectWorking),
      st.status && h('p', { id: 'protect-status', class: st.status.outcome === 'ok' ? 'ok-note' : 'alert', role: 'status', dataset: { outcome: st.status.outcome } }, st.status.text),
    ].filter(Boolean));
  }

  function account(s) {
    const { chain, card } = st.read;
    const p = card.protection;
    const out = [h('p', {}, s.protectAccount, ' ', h('span', { class: 'mono', id: 'protect-account' }, card.address), ` (${chain.name})`)];
    if (p.pendingRecovery) {
      const left = p.pendingRecovery.executeAfter - p.chainTime;
      out.push(h('div', { id: 'pending-recovery', class: 'alert', role: 'alert' },
        h('p', { class: 'alert-title' }, s.pendingTitle),
        h('p', {}, left > 0 ? s.pendingLeft(Math.ceil(left / 3600)) : s.pendingNow),
        h('p', {}, s.pendingAdvice),
        h('div', { class: 'actions' }, h('button', { id: 'cancel-recovery', class: 'primary', disabled: st.busy,
          onclick: () => change({ action: 'cancelRecovery' }, s.cancelledRecovery) }, s.cancelRecovery))));
    }
    if (p.guardiansChange) {
      out.push(h('div', { id: 'guardians-change', class: 'notice' },
        h('p', {}, s.changeScheduled(new Date(p.guardiansChange.effectiveAt * 1000))),
        h('button', { id: 'cancel-change', class: 'secondary', disabled: st.busy,
          onclick: () => change({ action: 'cancelGuardiansChange' }, s.cancelledChange) }, s.cancelChange)));
    }
    out.push(h('h3', {}, s.guardiansNow));
    if (!p.guardians.length) out.push(h('p', { id: 'no-guardians' }, s.noGuardiansYet));
    else {
      out.push(h('ul', { id: 'guardians', class: 'guardians' }, p.guardians.map((g) => h('li', { dataset: { kind: g.kind } },
        h('strong', {}, s.guardianKind[g.kind] ?? s.guardianKind.other), ' ',
        h('span', { class: 'mono' }, g.signer)))));
      out.push(h('p', {}, s.quorumNow(p.threshold, p.guardians.length), ' ', s.delayNow(p.delay / 3600)));
    }
    out.push(...form(s, p), ...history(s, p.history ?? []), ...takeOver(s), ...guard(s));
    return out;
  }

  // takeOver is the renewed card's side: apply to take over the previous
  // card's account; then hand the application to a guardian, or switch with
  // the previous card while it still works.
  function takeOver(s) {
    const input = h('input', { id: 'handover-account', placeholder: '0x…', autocomplete: 'off', spellcheck: 'false', value: st.handoverAccount,
      oninput: (e) => { st.handoverAccount = e.target.value.trim(); } });
    const out = [
      h('h3', {}, s.handoverTitle),
      h('p', {}, s.handoverIntro),
      h('div', { class: 'actions' }, input, h('button', { id: 'handover-apply', class: 'secondary', disabled: st.busy, onclick: () => {
        if (!isAddress(st.handoverAccount)) st.status = { outcome: 'error', text: s.guardianBadAddress };
        else if (st.handoverAccount.toLowerCase() === st.read.card.address.toLowerCase()) st.status = { outcome: 'error', text: s.handoverSameCard };
        else {
          run(async () => {
            const made = await ask('apply', { account: st.handoverAccount });
            if (made.notCardAccount) throw { data: { reason: 'NOT_CARD_ACCOUNT' } };
            st.handover = made;
          });
          return;
        }
        draw();
      } }, s.handoverApply)),
    ];
    if (st.handover) {
      const code = h('textarea', { id: 'handover-code', class: 'mono', readonly: true, rows: 6 }, st.handover.text);
      out.push(
        h('p', {}, s.handoverCode),
        code,
        h('p', {}, s.handoverCheck, ' ', h('strong', { id: 'handover-check', class: 'mono check-code' }, st.handover.keyCheck)),
        h('div', { class: 'actions' }, h('button', { class: 'secondary', onclick: () => {
          navigator.clipboard.writeText(st.handover.text).then(() => { st.status = { outcome: 'ok', text: s.handoverCopied }; draw(); }, () => code.select());
        } }, s.handoverCopy)),
        h('p', {}, s.handoverNext),
        h('p', { class: 'quiet' }, s.handoverOldCard),
        h('div', { class: 'actions' }, h('button', { id: 'handover-rotate', class: 'secondary', disabled: st.busy,
          onclick: () => run(async () => {
            await ask('handOver', { action: 'rotateByOwner', text: st.handover.text });
            st.handover = null;
            await readCard();
          }, s.handoverRotated) }, s.handoverRotate)));
    }
    return out;
  }

  // guard is the guardian's side: read an application, compare its check
  // code, start the move; after the wait, finish it.
  function guard(s) {
    const text = h('textarea', { id: 'application-text', class: 'mono', rows: 6, placeholder: 'MYNA-HANDOVER-1:…',
      oninput: (e) => { st.applicationText = e.target.value; } });
    text.value = st.applicationText;
    const read = () => run(readApplication);
    // step sends one step with the guardian's card, then reads where the move stands.
    const step = (action, doneText) => run(async () => {
      try {
        await ask('handOver', { action, text: st.applicationText });
      } catch (e) {
        if (e?.data?.hostCode === 'TRANSACTION_REVERTED') throw { data: { reason: 'NOT_GUARDIAN' } };
        throw e;
      }
      await readApplication();
    }, doneText);
    // A passkey of this browser that guards the account approves: its
    // signature joins the application, for the guardian who starts the move.
    const approveWithPasskey = () => run(async () => {
      const a = st.application;
      const cred = await navigator.credentials.get({ publicKey: {
        challenge: hashBytes(a.application.hash),
        allowCredentials: a.passkeys.map((p) => ({ type: 'public-key', id: credentialBytes(p.id) })),
        userVerification: 'required',
        timeout: 120_000,
      } });
      const used = a.passkeys.find((p) => p.id === credentialId(cred.rawId));
      const approvals = [...a.application.approvals, { signer: used.signer, signature: passkeyApproval(cred.response) }];
      st.applicationText = encodeHandover({ ...a.application, approvals });
      await readApplication();
    }, s.passkeyApproved);
    const out = [
      h('h3', {}, s.guardianTitle),
      h('p', {}, s.guardianIntro),
      text,
      h('div', { class: 'actions' }, h('button', { id: 'application-read', class: 'secondary', disabled: st.busy, onclick: read }, s.guardianRead)),
    ];
    const a = st.application;
    if (a) {
      // A move under way counts up its own nonce only when it ends: while it
      // waits, the application is the one it runs on.
      const { standing } = a;
      const left = standing.executeAfter - standing.chainTime;
      const state = standing.underWay ? (left > 0 ? 'waiting' : 'ready') : standing.current ? 'new' : 'used';
      // The approvals so far, with the card's own when it is a guardian: the
      // move can start once they reach the account's quorum.
      const have = a.application.approvals.length + (a.mine ? 1 : 0);
      out.push(h('div', { id: 'application', class: 'notice', dataset: { state } },
        h('p', {}, s.guardianAsks(a.application.account), ` (${a.chain.name})`),
        h('p', {}, s.guardianCompare, ' ', h('strong', { id: 'application-check', class: 'mono check-code' }, a.keyCheck)),
        state === 'new' && h('p', { id: 'application-approvals' }, s.approvalsSoFar(a.application.approvals.length, a.threshold)),
        state === 'new' && a.passkeys.length > 0 && h('div', { class: 'actions' }, h('button', { id: 'application-passkey', class: 'secondary', disabled: st.busy,
          onclick: approveWithPasskey }, s.passkeyApprove)),
        state === 'new' && a.mine && have < a.threshold && (a.deployed
          ? h('div', { class: 'actions' }, h('button', { id: 'application-sign', class: 'secondary', disabled: st.busy, onclick: approveByCard }, s.cardApprove))
          : h('p', {}, s.cardApproveLast)),
        state === 'new' && have < a.threshold && h('p', {}, s.approvalsMore(a.threshold - have)),
        state === 'new' && have >= a.threshold && h('div', { class: 'actions' }, h('button', { id: 'application-approve', class: 'primary', disabled: st.busy,
          onclick: () => step('startRecovery', s.guardianStarted) }, a.mine ? s.guardianApprove : s.guardianSubmit)),
        state === 'waiting' && h('p', {}, s.guardianWaiting(Math.ceil(left / 3600))),
        state === 'ready' && h('div', { class: 'actions' }, h('button', { id: 'application-finish', class: 'primary', disabled: st.busy,
          onclick: () => step('executeRecovery', s.guardianFinished) }, s.guardianFinish)),
        state === 'used' && h('p', {}, s.applicationUsed)));
    }
    return out;
  }

  // approveByCard adds the card guardian's signed approval to the
  // application, for another guardian to start the move with.
  const approveByCard = () => run(async () => {
    st.applicationText = (await ask('handOver', { action: 'approve', text: st.applicationText })).text;
    await readApplication();
  }, strings(st.lang).cardApproved);

  // readApplication reads the pasted application and where it stands, and
  // finds this browser's passkeys that guard its account and have not
  // approved it yet.
  async function readApplication() {
    const a = await ask('application', { text: st.applicationText });
    const { passkeys = [] } = await chrome.storage.local.get('passkeys');
    const approved = new Set(a.application.approvals.map((x) => x.signer));
    a.passkeys = passkeys.filter((p) => a.guardianHashes.includes(keccakHex(p.signer)) && !approved.has(p.signer));
    st.application = a;
  }

  // remember keeps the accounts this page has protected (ones with
  // guardians), so that a renewed card is offered its previous card's
  // account to take over.
  async function remember(card) {
    const { protectAccounts = [] } = await chrome.storage.local.get('protectAccounts');
    const mine = card.address.toLowerCase();
    if (card.protection.guardians.length && !protectAccounts.includes(mine)) {
      await chrome.storage.local.set({ protectAccounts: [mine, ...protectAccounts].slice(0, 5) });
    }
    if (!st.handoverAccount) st.handoverAccount = protectAccounts.find((a) => a !== mine) ?? '';
  }

  // history lists what happened to the protection, the latest first.
  function history(s, events) {
    if (!events.length) return [];
    return [h('h3', {}, s.historyTitle), h('ul', { id: 'protect-history', class: 'guardians' }, events.toReversed().map((ev) => h('li', { dataset: { kind: ev.kind } },
      h('span', {}, s.historyDate(new Date(ev.time * 1000))), ' ', h('strong', {}, s.historyKind[ev.kind] ?? ev.kind))))];
  }

  function form(s, p) {
    const d = st.draft;
    const input = h('input', { id: 'guardian-address', placeholder: '0x…', autocomplete: 'off', spellcheck: 'false' });
    // addGuardian puts v on the list, or says why not; done is what to say then.
    const addGuardian = (v, done = null) => {
      if (!isAddress(v) && !v.startsWith(st.read.card.protection.passkeyVerifier.toLowerCase())) st.status = { outcome: 'error', text: s.guardianBadAddress };
      else if (v.toLowerCase() === st.read.card.address.toLowerCase()) st.status = { outcome: 'error', text: s.guardianIsSelf };
      else if (d.guardians.some((g) => g.toLowerCase() === v.toLowerCase())) st.status = { outcome: 'error', text: s.guardianTwice };
      else if (d.guardians.length >= MAX_GUARDIANS) st.status = { outcome: 'error', text: s.guardiansFull };
      else {
        d.guardians.push(v);
        st.status = done && { outcome: 'ok', text: done };
      }
      draw();
    };
    // A family member's card, the natural guardian: placed on the reader
    // instead of one's own, read without a PIN, its account added.
    const readFamilyCard = () => run(async () => {
      const { card } = await ask('account');
      addGuardian(card.address, s.familyCardAdded);
    });
    // A passkey (a phone or a security key) made here: its key is the
    // guardian, and this browser keeps its id to ask it for an approval.
    const addPasskey = () => run(async () => {
      const cred = await navigator.credentials.create({ publicKey: {
        rp: { name: 'MynaConnect' },
        user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'mynaconnect-guardian', displayName: s.passkeyName },
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }], // ES256: P-256, what the verifier checks
        authenticatorSelection: { userVerification: 'required' },
        timeout: 120_000,
      } });
      const signer = passkeySigner(st.read.card.protection.passkeyVerifier, cred.response.getPublicKey());
      const { passkeys = [] } = await chrome.storage.local.get('passkeys');
      await chrome.storage.local.set({ passkeys: [...passkeys, { id: credentialId(cred.rawId), signer }] });
      addGuardian(signer, s.passkeyAdded);
    });
    const unchanged = p.threshold > 0 && d.threshold === p.threshold && d.delayHours * 3600 === p.delay &&
      d.guardians.length === p.guardians.length && d.guardians.every((g, i) => g.toLowerCase() === p.guardians[i].signer.toLowerCase());
    return [
      h('h3', {}, s.chooseGuardians),
      h('p', { class: 'quiet' }, s.chooseHint),
      h('ul', { id: 'draft-guardians', class: 'guardians' }, d.guardians.map((g, i) => h('li', {},
        !isAddress(g) && h('strong', {}, s.guardianKind.passkey, ' '), h('span', { class: 'mono' }, isAddress(g) ? g : `${g.slice(0, 12)}…${g.slice(-8)}`), ' ',
        h('button', { class: 'secondary', disabled: st.busy, onclick: () => {
          d.guardians.splice(i, 1);
          d.threshold = Math.min(d.threshold, Math.max(d.guardians.length, 1));
          draw();
        } }, s.guardianRemove)))),
      h('div', { class: 'actions' }, h('button', { id: 'guardian-read-card', class: 'secondary', disabled: st.busy, onclick: readFamilyCard }, s.familyCardRead)),
      h('p', { class: 'quiet' }, s.familyCardHint),
      h('div', { class: 'actions' }, h('button', { id: 'guardian-passkey', class: 'secondary', disabled: st.busy, onclick: addPasskey }, s.passkeyAdd)),
      h('p', { class: 'quiet' }, s.passkeyHint),
      h('div', { class: 'actions' }, input, h('button', { id: 'guardian-add', class: 'secondary', disabled: st.busy, onclick: () => addGuardian(input.value.trim()) }, s.guardianAdd)),
      h('label', {}, s.thresholdLabel, ' ', h('select', { id: 'threshold', onchange: (e) => { d.threshold = Number(e.target.value); } },
        Array.from({ length: Math.max(d.guardians.length, 1) }, (_, i) => h('option', { value: i + 1, selected: i + 1 === d.threshold }, String(i + 1))))),
      h('label', {}, s.delayLabel, ' ', h('select', { id: 'delay', onchange: (e) => { d.delayHours = Number(e.target.value); } },
        DELAY_HOURS.map((hours) => h('option', { value: hours, selected: hours === d.delayHours }, s.hours(hours))))),
      h('p', { class: 'quiet' }, s.delayHint),
      h('div', { class: 'actions' }, h('button', { id: 'save-guardians', class: 'primary', disabled: st.busy || !d.guardians.length || unchanged,
        onclick: () => change({ action: 'setGuardians', guardians: d.guardians, threshold: d.threshold, delayHours: d.delayHours }, s.savedGuardians) },
      s.saveGuardians)),
    ];
  }

  draw();
  return {
    el,
    setLang(lang) {
      st.lang = lang;
      draw();
    },
  };
}

// errorText says what went wrong in the person's words: the host's code
// when there is one, else the page error's reason.
function errorText(lang, e) {
  const s = strings(lang);
  const reason = e?.data?.reason;
  if (reason === 'USER_REJECTED' || reason === 'WINDOW_CLOSED') return s.protectDeclined;
  if (reason === 'NOT_GUARDIAN') return s.notGuardian;
  if (reason === 'NOT_CARD_ACCOUNT') return s.handoverNotAccount;
  if (e?.name === 'NotAllowedError' || e?.name === 'AbortError') return s.passkeyCancelled;
  return hostErrorText(lang, e?.data?.hostCode ?? reason);
}
