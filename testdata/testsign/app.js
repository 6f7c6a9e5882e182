// The test-sign page: ask the server for a challenge, have MynaConnect sign
// it with the card (window.ethereum, method mynaconnect_authenticate), send
// the token back, and show what the server made of it.
//
// No framework and no inline script, so the page runs under the server's
// CSP (default-src 'self'). Everything shown is built with textContent:
// nothing the server or the wallet returns is parsed as HTML.
//
// #result carries the outcome for people and for browser tests:
//   data-status="verified"                      the server verified the login
//   data-status="failed"   data-code=<CODE>     the server (or the network) refused it
//   data-status="rejected" data-reason=<REASON> the wallet answered with an error
//                                               (EXTENSION_NOT_INSTALLED when there is none)
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  // Japanese first, English alongside: what a person can do about each outcome.
  const serverCodes = {
    NO_SESSION: ['セッションがありません。Cookie を有効にして、ページを再読み込みしてください。', 'No session: enable cookies and reload the page.'],
    NO_CHALLENGE: ['ログインの準備ができていません。もう一度お試しください。', 'No login was started: try again.'],
    NONCE_REPLAYED: ['このログイン要求はすでに使われています（再送は受け付けません）。', 'This login request was already used; replays are refused.'],
    NONCE_EXPIRED: ['時間切れです。もう一度お試しください。', 'The login request expired: try again.'],
    WRONG_CHALLENGE: ['別の画面やタブで始めたログインの署名です。もう一度お試しください。', 'The signature answers a login started elsewhere (another tab?). Try again.'],
    WRONG_ORIGIN: ['別のサイトのための署名です。このサイトでは使えません。', 'The card signed for another site; it cannot be used here.'],
    BAD_SIGNATURE: ['署名が正しくありません（トークンが改ざんされています）。', 'The signature is not valid: the token was altered.'],
    UNTRUSTED_CERTIFICATE: ['信頼できる発行元の証明書ではありません。', 'The certificate is not from a trusted issuer.'],
    CERTIFICATE_EXPIRED: ['証明書の有効期限が切れています。', 'The certificate has expired.'],
    CERTIFICATE_NOT_YET_VALID: ['証明書の有効期間がまだ始まっていません。', 'The certificate is not valid yet.'],
    CERTIFICATE_POLICY: ['利用者証明用電子証明書ではありません。', 'Not a user-authentication certificate.'],
    REVOKED: ['証明書は失効しています。', 'The certificate is revoked.'],
    MALFORMED_TOKEN: ['トークンの形式が正しくありません。', 'The token is malformed.'],
    NETWORK: ['サーバーに接続できませんでした。', 'Could not reach the server.'],
  };
  const walletReasons = {
    EXTENSION_NOT_INSTALLED: ['MynaConnect 拡張機能がインストールされていません。', 'The MynaConnect extension is not installed.'],
    USER_REJECTED: ['キャンセルされました。', 'You cancelled.'],
    WINDOW_CLOSED: ['確認画面が閉じられました。', 'The consent window was closed.'],
    PIN_BLOCKED: ['暗証番号がロックされています。市区町村の窓口で解除してください。', 'The PIN is blocked; the municipal office can unblock it.'],
    ORIGIN_NOT_ALLOWED: ['このサイトのオリジンではログインできません。', 'Logins are not allowed from this origin.'],
    HOST_MISSING: ['MynaConnect のネイティブアプリが見つかりません。', 'The MynaConnect native host is not installed.'],
    HOST_VERSION: ['拡張機能とネイティブアプリのバージョンが合いません。', 'The extension and the native host versions do not match.'],
    HOST_EXITED: ['ネイティブアプリが停止しました。もう一度お試しください。', 'The native host stopped; try again.'],
    TIMEOUT: ['時間切れです。', 'Timed out.'],
    QUEUE_FULL: ['処理待ちの要求が多すぎます。', 'Too many requests are waiting.'],
    CARD_ERROR: ['カードの操作に失敗しました。', 'The card operation failed.'],
    INVALID_PARAMS: ['要求の形式が正しくありません。', 'The request was malformed.'],
  };

  // MynaConnect's provider: window.ethereum, unless another wallet took
  // that name, in which case the EIP-6963 announcement still finds it.
  let announced = null;
  window.addEventListener('eip6963:announceProvider', (e) => {
    if (e.detail && e.detail.info && e.detail.info.rdns === 'jp.mynaconnect') announced = e.detail.provider;
  });
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  const provider = () => {
    const eth = window.ethereum;
    if (eth && eth.isMynaConnect) return eth;
    return announced || eth || null;
  };

  const el = (tag, className, ...children) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    for (const c of children) e.append(c);
    return e;
  };
  const bilingual = (tag, className, ja, en) => el(tag, className, ja + ' ', el('span', 'en', en));

  const progress = (ja, en) => {
    const p = $('progress');
    p.replaceChildren();
    if (ja) p.append(ja + ' ', el('span', 'en', en));
  };

  const showResult = (status, attrs, ...children) => {
    const r = $('result');
    r.dataset.status = status;
    delete r.dataset.code;
    delete r.dataset.reason;
    Object.assign(r.dataset, attrs);
    r.replaceChildren(...children);
    r.hidden = false;
  };

  const row = (ja, en, value) => el('div', 'row',
    el('dt', '', ja + ' ', el('span', 'en', en)),
    el('dd', '', value || '—'));

  // Certificates are dated in Japan time (a validity that starts on
  // 1 April starts at 00:00 JST, which is 31 March in UTC).
  const day = (iso) => {
    const d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleDateString('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });
  };

  const verified = (v) => showResult('verified', {},
    bilingual('h2', '', 'ログインしました', 'Logged in'),
    el('p', '', 'サーバーが署名と証明書を確認しました。このサイトが知ったのは次のことだけです。 ',
      el('span', 'en', 'The server checked the signature and the certificate. This is all the site learned:')),
    el('dl', '',
      // Computed by this site from the certificate and its own origin; the
      // certificate itself also reaches every site, so this id does not
      // keep sites from matching the same card.
      row('このサイトでのアカウントID（証明書から計算。証明書はどのサイトにも届くため、サイト同士で照合できます）',
        'account id at this site (computed from the certificate, which every site receives, so sites can match it)', v.subject),
      row('カードを発行した市区町村', 'municipality that issued the card', [v.prefecture, v.municipality].filter(Boolean).join(' ')),
      row('証明書の発行者', 'certificate issuer', v.issuer),
      row('証明書の有効期間（日本時間）', 'certificate validity, Japan time', day(v.notBefore) + ' – ' + day(v.notAfter)),
      row('署名を確認したオリジン', 'origin the signature was checked for', v.origin)));

  const failed = (code, message) => {
    const [ja, en] = serverCodes[code] || ['ログインできませんでした。', 'The login failed.'];
    const parts = [
      bilingual('h2', '', 'ログインできませんでした', 'Login failed'),
      bilingual('p', '', ja, en),
      el('p', 'detail', el('code', '', code), ' ', message || ''),
    ];
    if (code === 'NO_SESSION' && window.top !== window) {
      // SameSite=Strict cookies are not sent in a frame of another site
      // (localhost inside 127.0.0.1, say); another port of the same host works.
      parts.push(bilingual('p', 'detail', '別のサイトに埋め込まれたページには、セッションの Cookie が送られません。',
        'A page framed by another site does not get its session cookie (SameSite=Strict).'));
    }
    showResult('failed', { code }, ...parts);
  };

  const rejected = (code, reason, message) => {
    const [ja, en] = walletReasons[reason] || ['ウォレットがエラーを返しました。', 'The wallet returned an error.'];
    showResult('rejected', { reason },
      bilingual('h2', '', 'ログインしませんでした', 'No login'),
      bilingual('p', '', ja, en),
      el('p', 'detail', el('code', '', String(code)), ' ', el('code', '', reason), ' ', message || ''));
  };

  // post sends JSON to the site's own API and returns [ok, body].
  const post = async (path, body) => {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    let json = null;
    try {
      json = await res.json();
    } catch {
      json = { error: 'HTTP_' + res.status, message: res.statusText };
    }
    return [res.ok, json];
  };

  const login = async () => {
    const button = $('login');
    button.disabled = true;
    $('result').hidden = true;
    $('result').dataset.status = 'working';
    $('token').textContent = '—';
    try {
      const eth = provider();
      if (!eth) {
        rejected('', 'EXTENSION_NOT_INSTALLED', '');
        return;
      }
      progress('ログインを準備しています…', 'Preparing the login…');
      let ok, body;
      try {
        [ok, body] = await post('/api/challenge', {});
      } catch (e) {
        failed('NETWORK', String(e));
        return;
      }
      if (!ok) {
        failed(body.error, body.message);
        return;
      }

      progress('カードをリーダーに置き、MynaConnect の画面で暗証番号（4桁）を入力してください。',
        'Place your card on the reader and enter your 4-digit PIN in the MynaConnect window.');
      let token;
      try {
        token = await eth.request({
          method: 'mynaconnect_authenticate',
          params: [{ challengeNonce: body.nonce }],
        });
      } catch (e) {
        const reason = (e && e.data && e.data.reason) || 'UNKNOWN';
        rejected(e && e.code !== undefined ? e.code : '', reason, e && e.message);
        return;
      }
      $('token').textContent = JSON.stringify(token, null, 2);

      progress('サーバーが確認しています…', 'The server is checking the token…');
      try {
        [ok, body] = await post('/api/login', { token });
      } catch (e) {
        failed('NETWORK', String(e));
        return;
      }
      if (ok && body.verified === true) verified(body);
      else failed(body.error, body.message);
    } finally {
      progress('', '');
      button.disabled = false;
    }
  };

  const start = () => {
    $('origin').textContent = location.origin;
    if (window.top !== window) {
      const anc = location.ancestorOrigins;
      $('parent-origin').textContent = anc && anc.length ? anc[0] : '?';
      $('framed').hidden = false;
    }
    $('login').addEventListener('click', login);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
