// The Ethereum section of test - sign: what an unmodified dapp does with a
// wallet, through standard EIP-1193 methods only, and what its server checks.
//
// The wallet is found by EIP-6963 (MynaConnect's rdns "jp.mynaconnect"
// preferred) or else window.ethereum. The server (/api/eth/*) says which
// chain the site uses and verifies every signature (ERC-1271, ERC-6492 or
// ecrecover). Everything shown is built with textContent: nothing the
// server or the wallet returns is parsed as HTML.
//
// Each result element (#eth-*-result, #eth-receipt) carries its outcome for
// browser tests, like #result of the login (testdata/testsign/README.md):
//   data-status="working"                          under way
//   data-status="ok"                               done (verified, sent, funded)
//   data-status="failed"   data-code=<CODE>        the server refused it, or the page did
//   data-status="rejected" data-rpc-code=<number>  the wallet answered with an error
//                          data-reason=<REASON>    (EXTENSION_NOT_INSTALLED: no wallet)
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  // --- wallet discovery (EIP-6963, then window.ethereum) ---------------------

  const announced = [];
  window.addEventListener('eip6963:announceProvider', (e) => {
    const d = e.detail;
    if (d && d.info && d.provider && !announced.some((a) => a.info.uuid === d.info.uuid)) announced.push(d);
  });
  window.dispatchEvent(new Event('eip6963:requestProvider'));

  // wallet returns {provider, name} or null.
  const wallet = () => {
    const mine = announced.find((a) => a.info.rdns === 'jp.mynaconnect');
    if (mine) return { provider: mine.provider, name: mine.info.name + ' (' + mine.info.rdns + ', EIP-6963)' };
    if (window.ethereum) return { provider: window.ethereum, name: 'window.ethereum' };
    if (announced.length) return { provider: announced[0].provider, name: announced[0].info.name + ' (' + announced[0].info.rdns + ', EIP-6963)' };
    return null;
  };

  // --- small helpers ----------------------------------------------------------

  const el = (tag, className, ...children) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    for (const c of children) e.append(c);
    return e;
  };
  const bilingual = (tag, className, ja, en) => el(tag, className, ja + ' ', el('span', 'en', en));
  const row = (ja, en, value) => el('div', 'row', el('dt', '', ja + ' ', el('span', 'en', en)), el('dd', 'mono', value === undefined || value === '' ? '—' : String(value)));

  // An error the page itself raises, with a code like the server's.
  class PageError extends Error {
    constructor(code, message) { super(message); this.code = code; }
  }

  // Japanese first, English alongside: what each failure means.
  const codes = {
    // the page
    NETWORK: ['サーバーに接続できませんでした。', 'Could not reach the server.'],
    NOT_CONNECTED: ['先に「ウォレットに接続」を押してください。', 'Connect the wallet first.'],
    BAD_INPUT: ['入力を確認してください。', 'Check what you typed.'],
    NO_TOKEN: ['このチェーンには JPYC がありません。', 'This chain has no JPYC token.'],
    TX_REVERTED: ['取引は失敗しました（リバート）。', 'The transaction failed (reverted).'],
    BATCH_FAILED: ['まとめての送金は失敗しました。', 'The batch failed.'],
    TIMEOUT: ['時間内に結果が届きませんでした。', 'No result in time.'],
    // the server (demoserver.Code*)
    ETH_NOT_CONFIGURED: ['このサーバーにはチェーンの設定がありません。', 'This server has no chain configuration.'],
    CHAIN_UNAVAILABLE: ['チェーンに接続できませんでした。', 'The chain could not be reached.'],
    BAD_ADDRESS: ['アドレスの形式が正しくありません。', 'Not a valid address.'],
    MALFORMED_SIGNATURE: ['署名の形式が正しくありません。', 'The signature is malformed.'],
    MALFORMED_TYPED_DATA: ['構造化データの形式が正しくありません。', 'The typed data is malformed.'],
    MALFORMED_MESSAGE: ['サインインのメッセージの形式が正しくありません。', 'The sign-in message is malformed.'],
    BAD_SIGNATURE: ['署名が正しくありません。', 'The signature is not valid.'],
    WRONG_CHAIN: ['別のチェーンのための署名です。', 'Signed for another chain.'],
    WRONG_DOMAIN: ['別のサイトのためのサインインです。', 'The sign-in is for another site.'],
    WRONG_URI: ['別の URI のためのサインインです。', 'The sign-in is for another URI.'],
    WRONG_NONCE: ['別の画面やタブで始めたサインインです。もう一度お試しください。', 'The sign-in was started elsewhere (another tab?). Try again.'],
    WRONG_ADDRESS: ['別のアカウントのためのサインインです。', 'The sign-in is for another account.'],
    MESSAGE_ALTERED: ['サインインのメッセージが書き換えられています。', 'The sign-in message was altered.'],
    NO_SESSION: ['セッションがありません。Cookie を有効にして、ページを再読み込みしてください。', 'No session: enable cookies and reload the page.'],
    NO_CHALLENGE: ['サインインの準備ができていません。もう一度お試しください。', 'No sign-in was started: try again.'],
    NONCE_REPLAYED: ['このサインイン要求はすでに使われています。', 'This sign-in request was already used.'],
    NONCE_EXPIRED: ['時間切れです。もう一度お試しください。', 'The sign-in request expired: try again.'],
    FAUCET_DISABLED: ['このチェーンにはテスト用の配布（faucet）がありません。', 'This chain has no faucet.'],
    FAUCET_RATE_LIMITED: ['少し待ってからもう一度お試しください（1 分に 1 回）。', 'Wait a little: once a minute.'],
    FAUCET_FAILED: ['配布に失敗しました。', 'The faucet failed.'],
  };
  // EIP-1193 / EIP-1474 error codes of the wallet.
  const rpcCodes = {
    4001: ['キャンセルされました。', 'You cancelled.'],
    4100: ['このサイトはまだ許可されていません。', 'This site is not authorized yet.'],
    4200: ['ウォレットはこの操作に対応していません。', 'The wallet does not support this.'],
    4900: ['ウォレットが接続されていません。', 'The wallet is disconnected.'],
    4901: ['ウォレットがこのチェーンに接続されていません。', 'The wallet is not connected to this chain.'],
    4902: ['ウォレットはこのチェーンを知りません。', 'The wallet does not know this chain.'],
    5700: ['ウォレットはこの機能に対応していません。', 'The wallet lacks a required capability.'],
    '-32602': ['要求の形式が正しくありません。', 'Invalid parameters.'],
  };

  // show puts an outcome into a result element.
  const show = (id, status, attrs, ...children) => {
    const r = $(id);
    for (const k of Object.keys(r.dataset)) if (k !== 'status') delete r.dataset[k];
    r.dataset.status = status;
    Object.assign(r.dataset, attrs);
    r.replaceChildren(...children);
    r.hidden = false;
  };
  const working = (id, ja, en) => show(id, 'working', {}, bilingual('p', 'progress', ja, en));
  const okTitle = (ja, en) => bilingual('h4', '', ja, en);

  // fail shows any error: a wallet's (it has a numeric code), the server's or the page's.
  const fail = (id, e) => {
    if (e && typeof e.code === 'number') {
      const reason = (e.data && e.data.reason) || '';
      const [ja, en] = (reason === 'EXTENSION_NOT_INSTALLED' && ['ウォレット（MynaConnect 拡張機能）が見つかりません。', 'No wallet (the MynaConnect extension) was found.']) ||
        rpcCodes[e.code] || ['ウォレットがエラーを返しました。', 'The wallet returned an error.'];
      const attrs = { rpcCode: String(e.code) };
      if (reason) attrs.reason = reason;
      show(id, 'rejected', attrs, bilingual('h4', '', ja, en),
        el('p', 'detail', el('code', '', String(e.code)), reason ? ' ' : '', reason ? el('code', '', reason) : '', ' ', e.message || ''));
      return;
    }
    const code = (e && e.code) || 'ERROR';
    const [ja, en] = codes[code] || ['うまくいきませんでした。', 'It did not work.'];
    show(id, 'failed', { code }, bilingual('h4', '', ja, en), el('p', 'detail', el('code', '', code), ' ', (e && e.message) || ''));
  };

  // run disables the button while an action runs and routes its errors.
  const run = (buttonId, resultId, action) => $(buttonId).addEventListener('click', async () => {
    const b = $(buttonId);
    b.disabled = true;
    try {
      await action();
    } catch (e) {
      fail(resultId, e);
    } finally {
      b.disabled = false;
    }
  });

  // post sends JSON to the site's own API; a refusal throws PageError(code).
  const post = async (path, body) => {
    let res;
    try {
      res = await fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (e) {
      throw new PageError('NETWORK', String(e));
    }
    let json;
    try {
      json = await res.json();
    } catch {
      throw new PageError('HTTP_' + res.status, res.statusText);
    }
    if (!res.ok) throw new PageError(json.error || 'HTTP_' + res.status, json.message || '');
    return json;
  };

  // --- numbers, addresses, ABI ----------------------------------------------

  const isAddress = (s) => /^0x[0-9a-fA-F]{40}$/.test(s);
  const pad32 = (hex) => hex.padStart(64, '0');
  const toHex = (n) => '0x' + n.toString(16);

  // parseUnits reads a decimal amount ("1.5") as an integer of the token's units.
  const parseUnits = (s, decimals) => {
    const m = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(s);
    if (!m || (m[2] || '').length > decimals) throw new PageError('BAD_INPUT', `"${s}" is not an amount with at most ${decimals} decimals`);
    const v = BigInt(m[1] + (m[2] || '').padEnd(decimals, '0'));
    if (v === 0n) throw new PageError('BAD_INPUT', 'the amount is zero');
    return v;
  };
  const formatUnits = (v, decimals) => {
    const s = v.toString().padStart(decimals + 1, '0');
    const whole = BigInt(s.slice(0, s.length - decimals)).toLocaleString('ja-JP');
    const frac = s.slice(s.length - decimals).replace(/0+$/, '');
    return frac ? whole + '.' + frac : whole;
  };
  const utf8Hex = (s) => '0x' + Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join('');

  // ERC-20 calls, encoded here: transfer(address,uint256) and balanceOf(address).
  const erc20Transfer = (to, amount) => '0xa9059cbb' + pad32(to.slice(2).toLowerCase()) + pad32(amount.toString(16));
  const erc20BalanceOf = (who) => '0x70a08231' + pad32(who.slice(2).toLowerCase());

  const recipient = (id) => {
    const v = $(id).value.trim();
    if (!isAddress(v)) throw new PageError('BAD_INPUT', `"${v}" is not an address (0x and 40 hex digits)`);
    return v;
  };

  // --- state ------------------------------------------------------------------

  let chain = null; // /api/eth/chain
  let provider = null;
  let account = null;

  const request = (method, params) => {
    if (!provider) {
      const e = new Error('no wallet');
      e.code = 4900;
      e.data = { reason: 'EXTENSION_NOT_INSTALLED' };
      throw e;
    }
    return provider.request(params === undefined ? { method } : { method, params });
  };
  const needAccount = () => {
    if (!account) throw new PageError('NOT_CONNECTED', 'eth_requestAccounts first');
    return account;
  };
  const jpycDecimals = () => {
    const t = chain && chain.tokens.find((x) => x.address.toLowerCase() === (chain.jpyc || '').toLowerCase());
    return t ? t.decimals : 18;
  };
  const needJPYC = () => {
    if (!chain || !chain.jpyc) throw new PageError('NO_TOKEN', 'the chain configuration has no JPYC token');
    return chain.jpyc;
  };

  const setAccount = (a) => {
    account = a || null;
    const e = $('eth-account');
    e.textContent = account || '—';
    if (account) e.dataset.address = account;
    else delete e.dataset.address;
    showTypedData();
  };
  const setChainId = (id) => {
    const e = $('eth-chain-id');
    e.textContent = id ? id + ' (' + BigInt(id).toString() + ')' : '—';
    e.dataset.chainId = id || '';
    const match = !!(id && chain && BigInt(id) === BigInt(chain.chainId));
    e.dataset.match = id && chain ? String(match) : '';
    if (id && chain && !match) e.append(' ', bilingual('span', 'warn', 'サイトのチェーンと違います', 'not the site\'s chain'));
    $('eth-switch-chain').hidden = !id || !chain || match;
  };

  const event = (name, value) => {
    const time = new Date().toLocaleTimeString('ja-JP');
    $('eth-events').append(el('li', '', time + ' ', el('code', '', name), ' ' + JSON.stringify(value)));
  };

  // --- balances ---------------------------------------------------------------

  const setBalance = (id, wei, decimals, symbol) => {
    const e = $(id);
    if (wei === null) {
      e.textContent = '—';
      delete e.dataset.wei;
      return;
    }
    e.textContent = formatUnits(wei, decimals) + ' ' + symbol;
    e.dataset.wei = wei.toString();
  };

  const refreshBalances = async () => {
    if (!account || !provider) {
      setBalance('eth-balance-eth', null);
      setBalance('eth-balance-jpyc', null);
      return;
    }
    const who = account;
    const wei = BigInt(await request('eth_getBalance', [who, 'latest']));
    setBalance('eth-balance-eth', wei, chain ? chain.nativeCurrency.decimals : 18, chain ? chain.nativeCurrency.symbol : 'ETH');
    if (chain && chain.jpyc) {
      const out = await request('eth_call', [{ to: chain.jpyc, data: erc20BalanceOf(who) }, 'latest']);
      setBalance('eth-balance-jpyc', BigInt(out === '0x' ? 0 : out), jpycDecimals(), 'JPYC');
    } else {
      $('eth-balance-jpyc').textContent = '（このチェーンにはありません / none on this chain）';
    }
  };
  // Balances shown after an action must not turn the action into a failure.
  const refreshQuietly = async () => {
    try {
      await refreshBalances();
    } catch (e) {
      event('balance error', (e && e.message) || String(e));
    }
  };

  // --- receipts ---------------------------------------------------------------

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  const waitReceipt = async (hash) => {
    for (const end = Date.now() + 120000; Date.now() < end; await sleep(500)) {
      const r = await request('eth_getTransactionReceipt', [hash]);
      if (r) return r;
    }
    throw new PageError('TIMEOUT', 'no receipt for ' + hash + ' after 120 s');
  };

  // showReceipts lists receipts in #eth-receipt; the data-* describe the last one.
  const showReceipts = (receipts) => {
    const last = receipts[receipts.length - 1];
    const ok = receipts.every((r) => r.status === '0x1');
    show('eth-receipt', ok ? 'ok' : 'failed', {
      txHash: last.transactionHash,
      txStatus: last.status === '0x1' ? 'success' : 'reverted',
      block: BigInt(last.blockNumber).toString(),
      gasUsed: BigInt(last.gasUsed).toString(),
      ...(ok ? {} : { code: 'TX_REVERTED' }),
    }, ...receipts.map((r) => el('dl', 'receipt',
      row('取引ハッシュ', 'transaction hash', r.transactionHash),
      row('結果', 'status', r.status === '0x1' ? '成功 success (0x1)' : '失敗 reverted (' + r.status + ')'),
      row('ブロック', 'block', BigInt(r.blockNumber).toString()),
      row('使ったガス', 'gas used', BigInt(r.gasUsed).toString()))));
    return ok;
  };

  // sendAndShow sends one transaction and shows its hash, then its receipt.
  const sendAndShow = async (resultId, tx, ja, en) => {
    working(resultId, 'ウォレットで確認してください…', 'Confirm in the wallet…');
    const hash = await request('eth_sendTransaction', [tx]);
    working(resultId, '取引の完了を待っています… ' + hash, 'Waiting for the receipt…');
    const receipt = await waitReceipt(hash);
    const ok = showReceipts([receipt]);
    await refreshQuietly();
    if (!ok) throw new PageError('TX_REVERTED', hash);
    show(resultId, 'ok', { txHash: hash }, okTitle(ja, en), el('dl', '', row('取引ハッシュ', 'transaction hash', hash)));
  };

  // --- the actions ------------------------------------------------------------

  const connect = async () => {
    working('eth-connect-result', 'ウォレットで接続を許可してください…', 'Allow the connection in the wallet…');
    const accounts = await request('eth_requestAccounts');
    setAccount(accounts[0]);
    setChainId(await request('eth_chainId'));
    await refreshBalances();
    show('eth-connect-result', 'ok', {}, okTitle('接続しました', 'Connected'));
  };

  const switchChain = async () => {
    working('eth-connect-result', 'ウォレットでチェーンの切り替えを許可してください…', 'Allow the switch in the wallet…');
    await request('wallet_switchEthereumChain', [{ chainId: chain.chainId }]);
    setChainId(await request('eth_chainId'));
    await refreshBalances();
    show('eth-connect-result', 'ok', {}, okTitle('チェーンを切り替えました', 'Switched chain'));
  };

  const faucet = async () => {
    const who = needAccount();
    working('eth-faucet-result', 'テスト用の ETH と JPYC を送っています…', 'Sending test ETH and JPYC…');
    const r = await post('/api/eth/faucet', { address: who });
    await refreshQuietly();
    show('eth-faucet-result', 'ok', {}, okTitle('受け取りました', 'Funded'), el('dl', '',
      row('ETH', 'ETH', r.eth), row('JPYC（テスト用）', 'test JPYC', r.jpyc),
      ...r.transactions.map((h) => row('取引ハッシュ', 'transaction hash', h))));
  };

  // verified shows what the server made of a signature.
  const verified = (id, v, extra = []) => show(id, 'ok', { method: v.method, address: v.address },
    okTitle('サーバーが署名を確認しました', 'The server verified the signature'),
    el('dl', '',
      row('アドレス', 'address', v.address),
      row('確認の方法', 'how it was checked', methodText(v.method)),
      row('ハッシュ', 'hash', v.hash),
      row('チェーン ID・ブロック', 'chain id, block', v.chainId + ' / ' + v.block),
      ...extra));
  const methodText = (m) => ({
    'ERC-1271': 'ERC-1271（デプロイ済みのコントラクトアカウント / deployed contract account）',
    'ERC-6492': 'ERC-6492（まだデプロイされていないアカウント / account not deployed yet）',
    EOA: 'ecrecover（通常の鍵のアカウント / externally owned account）',
  })[m] || m;

  const sign = async () => {
    const who = needAccount();
    const message = $('eth-message').value;
    working('eth-sign-result', 'ウォレットで署名してください…', 'Sign in the wallet…');
    const signature = await request('personal_sign', [utf8Hex(message), who]);
    working('eth-sign-result', 'サーバーが確認しています…', 'The server is checking…');
    verified('eth-sign-result', await post('/api/eth/verify-message', { address: who, message, signature }));
  };

  const siwe = async () => {
    const who = needAccount();
    working('eth-siwe-result', 'サインインを準備しています…', 'Preparing the sign-in…');
    const { message } = await post('/api/eth/siwe/message', { address: who });
    $('eth-siwe-message').textContent = message;
    working('eth-siwe-result', 'ウォレットで署名してください…', 'Sign in the wallet…');
    const signature = await request('personal_sign', [utf8Hex(message), who]);
    working('eth-siwe-result', 'サーバーが確認しています…', 'The server is checking…');
    const v = await post('/api/eth/siwe/verify', { message, signature });
    verified('eth-siwe-result', v, [row('サインインしたアカウント', 'signed-in account', v.address)]);
  };

  // typedData is a realistic EIP-712 message: a JPYC payment order bound to the site's chain.
  const typedData = () => ({
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      Party: [
        { name: 'name', type: 'string' },
        { name: 'wallet', type: 'address' },
      ],
      PaymentOrder: [
        { name: 'payer', type: 'Party' },
        { name: 'payee', type: 'Party' },
        { name: 'token', type: 'address' },
        { name: 'amount', type: 'uint256' },
        { name: 'memo', type: 'string' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'PaymentOrder',
    domain: {
      name: 'test - sign',
      version: '1',
      chainId: chain ? chain.chainIdDecimal : 1,
      verifyingContract: (chain && chain.jpyc) || '0x0000000000000000000000000000000000000000',
    },
    message: {
      payer: { name: 'あなた', wallet: account || '0x0000000000000000000000000000000000000000' },
      payee: { name: 'テスト商店', wallet: '0x00000000000000000000000000000000000Ca5E0' },
      token: (chain && chain.jpyc) || '0x0000000000000000000000000000000000000000',
      amount: (1500n * 10n ** BigInt(jpycDecimals())).toString(),
      memo: 'ご注文 #1234（1,500 JPYC）',
      deadline: String(Math.floor(Date.now() / 1000) + 3600),
    },
  });
  let shownTypedData = null;
  const showTypedData = () => {
    if (!chain) return;
    shownTypedData = typedData();
    $('eth-typed-data').textContent = JSON.stringify(shownTypedData, null, 2);
  };

  const typed = async () => {
    const who = needAccount();
    showTypedData();
    const data = shownTypedData;
    working('eth-typed-result', 'ウォレットで署名してください…', 'Sign in the wallet…');
    const signature = await request('eth_signTypedData_v4', [who, JSON.stringify(data)]);
    working('eth-typed-result', 'サーバーが確認しています…', 'The server is checking…');
    verified('eth-typed-result', await post('/api/eth/verify-typed-data', { address: who, typedData: data, signature }));
  };

  const sendETH = async () => {
    const from = needAccount();
    const to = recipient('eth-to');
    const value = parseUnits($('eth-amount-eth').value, chain ? chain.nativeCurrency.decimals : 18);
    await sendAndShow('eth-send-eth-result', { from, to, value: toHex(value) }, 'ETH を送りました', 'ETH sent');
  };

  const sendJPYC = async () => {
    const from = needAccount();
    const token = needJPYC();
    const to = recipient('eth-to');
    const amount = parseUnits($('eth-amount-jpyc').value, jpycDecimals());
    await sendAndShow('eth-send-jpyc-result', { from, to: token, value: '0x0', data: erc20Transfer(to, amount) }, 'JPYC を送りました', 'JPYC sent');
  };

  // EIP-5792 v2: status codes 1xx pending, 2xx confirmed, 4xx-6xx failed. v1 wallets answer strings.
  const batchDone = (s) => (typeof s.status === 'number' ? s.status >= 200 : s.status === 'CONFIRMED');
  const batchOK = (s) => (typeof s.status === 'number' ? s.status >= 200 && s.status < 300 : s.status === 'CONFIRMED');

  const batch = async () => {
    const from = needAccount();
    const token = needJPYC();
    const toETH = recipient('eth-batch-to-eth');
    const toJPYC = recipient('eth-batch-to-jpyc');
    const eth = parseUnits($('eth-batch-amount-eth').value, chain.nativeCurrency.decimals);
    const jpyc = parseUnits($('eth-batch-amount-jpyc').value, jpycDecimals());
    working('eth-batch-result', 'ウォレットで確認してください…', 'Confirm in the wallet…');
    const sent = await request('wallet_sendCalls', [{
      version: '2.0.0',
      chainId: chain.chainId,
      from,
      atomicRequired: true,
      calls: [
        { to: toETH, value: toHex(eth) },
        { to: token, value: '0x0', data: erc20Transfer(toJPYC, jpyc) },
      ],
    }]);
    const id = typeof sent === 'string' ? sent : sent.id;
    let status;
    for (const end = Date.now() + 120000; ; await sleep(500)) {
      status = await request('wallet_getCallsStatus', [id]);
      working('eth-batch-result', '完了を待っています… 状態 ' + status.status, 'Waiting… status ' + status.status);
      if (batchDone(status)) break;
      if (Date.now() > end) throw new PageError('TIMEOUT', 'the batch ' + id + ' is still pending after 120 s');
    }
    const receipts = status.receipts || [];
    if (receipts.length) showReceipts(receipts);
    await refreshQuietly();
    if (!batchOK(status)) throw new PageError('BATCH_FAILED', 'wallet_getCallsStatus: status ' + status.status);
    show('eth-batch-result', 'ok', { callsId: id, callsStatus: String(status.status) },
      okTitle('まとめて送りました', 'Batch sent'),
      el('dl', '',
        row('バッチ ID', 'calls id', id),
        row('状態', 'status', String(status.status)),
        row('一括（atomic）', 'atomic', String(status.atomic)),
        ...receipts.map((r) => row('取引ハッシュ', 'transaction hash', r.transactionHash))));
  };

  // --- start ------------------------------------------------------------------

  const listen = (p) => {
    if (typeof p.on !== 'function') return;
    p.on('accountsChanged', (accounts) => {
      event('accountsChanged', accounts);
      setAccount(accounts[0]);
      refreshQuietly();
    });
    p.on('chainChanged', (id) => {
      event('chainChanged', id);
      setChainId(id);
      showTypedData();
      refreshQuietly();
    });
    p.on('disconnect', (e) => event('disconnect', e && e.message));
  };

  const start = async () => {
    run('eth-connect', 'eth-connect-result', connect);
    run('eth-switch-chain', 'eth-connect-result', switchChain);
    run('eth-refresh', 'eth-connect-result', refreshBalances);
    run('eth-faucet', 'eth-faucet-result', faucet);
    run('eth-sign', 'eth-sign-result', sign);
    run('eth-siwe', 'eth-siwe-result', siwe);
    run('eth-typed', 'eth-typed-result', typed);
    run('eth-send-eth', 'eth-send-eth-result', sendETH);
    run('eth-send-jpyc', 'eth-send-jpyc-result', sendJPYC);
    run('eth-batch', 'eth-batch-result', batch);

    // Announcements answer the request synchronously; a wallet injected a
    // moment later announces itself, so look again on the next task.
    await sleep(0);
    const w = wallet();
    provider = w && w.provider;
    $('eth-provider').textContent = w ? w.name : 'なし（MynaConnect 拡張機能が見つかりません） none found';
    $('eth-provider').dataset.found = String(!!w);
    if (provider) listen(provider);

    try {
      chain = await post('/api/eth/chain', {});
    } catch (e) {
      $('eth-chain').textContent = (e.code || 'ERROR') + ' ' + (e.message || '');
      $('eth-chain').dataset.code = e.code || 'ERROR';
      return;
    }
    $('eth-chain').textContent = chain.name + '（chain id ' + chain.chainIdDecimal + ' / ' + chain.chainId + '）';
    $('eth-chain').dataset.chainId = chain.chainId;
    $('eth-faucet').hidden = !chain.faucet;
    showTypedData();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
