// The words the extension's pages use, in Japanese (the default) and
// English. Plain words for a first-time user: say what happened and what
// to do next. Entries are strings or functions of the values they show.

export const LANGS = ['ja', 'en'];
export const DEFAULT_LANG = 'ja';
/** The chrome.storage.local key of the chosen language. */
export const LANG_KEY = 'lang';

const ja = {
  langSwitch: 'English',
  cancel: 'キャンセル',
  approve: '許可',
  close: '閉じる',
  retry: 'もう一度試す',
  queueWaiting: (n) => `他に ${n} 件の要求が待っています`,

  cardTitle: 'カードリーダー設定',
  cardChooseHint: '「マイナンバーカードあり」と表示されているリーダーを押してください。',
  cardWaitHint: 'カードを置くと、自動で次に進みます。',
  readerState: {
    mynumber: 'マイナンバーカードあり',
    empty: 'カード未挿入',
    card: 'カードを確認しています…',
    other: 'マイナンバーカードではありません',
    busy: 'ほかのプログラムが使用中です',
    mute: 'カードが応答しません',
  },

  sheetFailed: 'このカードの内容を表示できませんでした。マイナンバーカードが置かれているか確かめてください。',
  cardChanged: 'カードが入れ替わりました。表示されている内容をもう一度確かめてください。',
  cardRestart: 'カードがリーダーから離れたため、はじめからやり直しています。内容を確かめて「許可」を押してください。',

  pinTitle: '利用者証明用PINを入力してください',
  pinHelpSummary: '利用者証明用PINとはなんですか？',
  pinHelp: [
    '4桁の数字です。',
    '操作しているのが本当にあなたであることを証明するためのPINです。',
    '券面事項入力補助用PIN、住民基本台帳用PINとは異なります（とはいえ多くの方は全て同じPINを設定していると思われます）。',
  ],
  pinRetries: (n) => `再試行可能回数は ${n} 回です`,
  pinWrongTitle: 'PINが間違っています',
  pinWrongBody: (n) => `もう一度、正しいPINを入力してください。残りの再試行回数は ${n} 回です`,
  pinLastTry: 'あと1回間違えるとロックされます。ロックされると、市区町村の窓口での手続きが必要になります。',
  pinLastTryConfirm: 'PINに間違いがないことを確かめました',
  pinEntered: (n) => `${n} / 4 桁入力済み`,
  pinBack: '1文字消す',
  pinSubmit: '決定',

  working: 'カードで署名しています…',
  workingKeep: '終わるまでカードをリーダーから離さないでください。',
  doneTitle: 'ログインしました',
  doneBody: 'このウィンドウは自動で閉じます。',
  // The same screens for the Ethereum requests, by kind.
  approveConnect: '接続する',
  approveSend: '送信',
  workingSend: 'カードで署名して、送信しています…',
  doneKind: { connect: '接続しました', sign: '署名しました', calls: '送信しました', handover: '引き継ぎの申し込みに署名しました' },
  doneTransaction: (hash) => `取引ID: ${hash}`,

  blockedTitle: 'PINがロックされています',
  blockedBody: [
    '利用者証明用PINを続けて間違えたため、このカードではログインできなくなっています。',
    'お住まいの市区町村の窓口で、PINの再設定を申し込んでください。マイナンバーカードと本人確認書類をお持ちください。',
    'このサイトには何も送信していません。',
  ],

  errorTitle: 'うまくいきませんでした',
  hostError: {
    NO_READER: 'カードリーダーが見つかりません。カードリーダーをパソコンにつないでください。',
    NO_CARD: 'カードをリーダーに置いてください',
    NOT_MYNUMBER_CARD: '置かれているカードはマイナンバーカードではありません。マイナンバーカードを置いてください。',
    CARD_REMOVED: 'カードがリーダーから離れました。カードをリーダーに置き直してください。',
    CARD_MUTE: 'カードが応答しません。カードの向きを確かめて、置き直してください。',
    READER_BUSY: 'ほかのプログラムがカードを使っています。そのプログラムを閉じてから、もう一度お試しください。',
    PCSC_UNAVAILABLE: 'カードリーダーを使うためのサービスが動いていません。パソコンを再起動してみてください。直らないときは、パソコンに詳しい方に「pcscd」が動いているか確かめてもらってください。',
    READER_REQUIRED: '使用するカードリーダーを選択してください。',
    CARD_RESET: 'カードとのやりとりが途中で止まりました。もう一度お試しください。',
    TIMEOUT: '時間がかかりすぎたため、やめました。もう一度お試しください。',
    QUEUE_FULL: 'カードへの操作が混み合っています。少し待ってから、もう一度お試しください。',
    HOST_EXITED: 'MynaConnect のプログラムが止まりました。ページに戻って、もう一度お試しください。',
    ACCOUNT_MISMATCH: 'このカードは、このサイトにつないだアカウントのカードではありません。つないだときのマイナンバーカードを置いてください。',
    TRANSACTION_REVERTED: 'この取引は実行できません（残高が足りないなど）。カードでの署名はしていません。内容を確かめて、ページからやり直してください。',
    SUBMIT_FAILED: '署名した取引を送信できませんでした。少し待ってから、もう一度お試しください。',
    GAS_LIMIT_EXCEEDED: 'この取引は手数料（ガス）を使いすぎるため、送れません。カードでの署名はしていません。',
    FEE_CHANGED: '手数料が変わりました。カードでの署名はしていません。ページからやり直してください。',
    CHAIN_UNAVAILABLE: 'ブロックチェーンにつながりません。インターネットの接続を確かめて、もう一度お試しください。',
    CHAIN_UNCONFIGURED: 'MynaConnect にこのネットワークの設定がありません。',
    HOST_MISSING: 'MynaConnect のプログラムが見つかりません。',
    HOST_VERSION: 'MynaConnect のプログラムと拡張機能のバージョンが合いません。新しいほうに更新してください。',
    other: 'カードの読み取りに失敗しました。カードを置き直して、もう一度お試しください。何度も続くときは「閉じる」を押してください。',
  },

  optionsTitle: 'MynaConnect の設定',
  readersTitle: 'カードリーダー',
  readersHint: 'いつも使うカードリーダーを選んでください。',
  readersNone: 'カードリーダーが見つかりません。',
  sitesTitle: '接続しているサイト',
  sitesHint: 'ここにあるサイトには、マイナンバーカードでのログインを許可したことがあります。',
  sitesEmpty: '接続しているサイトはありません。',
  siteSince: (d) => `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日に許可`,
  revoke: '接続を解除',
  languageTitle: '言語 / Language',
  hostChecking: 'MynaConnect のプログラムを確認しています…',
  hostReady: (v) => `MynaConnect のプログラムは動いています（バージョン ${v}）。`,
  hostHowTo: '準備のしかたを見る',

  protectOpenCancel: 'この手続きを取り消す',
  protectOpenAdd: '見守り人を登録する',

  onbTitle: 'MynaConnect を使う準備',
  onbIntro: 'マイナンバーカードでログインするには、次の2つが必要です。',
  onbNeeds: [
    'このパソコンに入れる「MynaConnect」のプログラム',
    'マイナンバーカードを読み取るカードリーダー',
  ],
  onbDoTitle: 'すること',
  onbDo: [
    'MynaConnect のインストーラーを実行してください。',
    'カードリーダーをパソコンにつないでください。',
    '終わったら、下の「もう一度確認」を押してください。',
  ],
  onbDev: '開発者の方は、MynaConnect のソースのフォルダで次のコマンドを実行してください。',
  recheck: 'もう一度確認',
  onbReady: (v) => `準備ができました（MynaConnect ${v}）。ログインしようとしたページに戻って、もう一度お試しください。`,
  onbMissing: 'まだ見つかりません。インストールが終わったか確かめて、ブラウザを一度閉じてから開き直し、もう一度お試しください。',
  // The doctor's findings (from the build's mynaconnect:findings) name the browser as this.
  onbBrowser: 'このブラウザ',
  onbCauses: '考えられる原因:',
  onbRun: '端末で次のコマンドを実行してください。',
  onbDoctor: 'カードリーダー、pcscd（カードリーダーのサービス）、カードまで含めて詳しく調べるには:',
};

const en = {
  langSwitch: '日本語',
  cancel: 'Cancel',
  approve: 'Allow',
  close: 'Close',
  retry: 'Try again',
  queueWaiting: (n) => (n === 1 ? '1 more request is waiting' : `${n} more requests are waiting`),

  cardTitle: 'Card reader',
  cardChooseHint: 'Press a reader that shows "My Number card".',
  cardWaitHint: 'When the card is on the reader, this moves on by itself.',
  readerState: {
    mynumber: 'My Number card',
    empty: 'No card',
    card: 'Checking the card…',
    other: 'Not a My Number card',
    busy: 'In use by another program',
    mute: 'The card does not answer',
  },

  sheetFailed: 'The card could not be read. Check that your My Number card is on the reader.',
  cardChanged: 'The card was changed. Please check what is shown again.',
  cardRestart: 'The card left the reader, so this starts again. Check what is shown and press "Allow".',

  pinTitle: 'Enter your user authentication PIN',
  pinHelpSummary: 'What is the user authentication PIN?',
  pinHelp: [
    'It is a 4-digit number.',
    'It proves that it really is you using the card.',
    'It is not the PIN for card information input or for the Basic Resident Register (though many people set them all the same).',
  ],
  pinRetries: (n) => (n === 1 ? 'You have 1 try left' : `You have ${n} tries left`),
  pinWrongTitle: 'The PIN is wrong',
  pinWrongBody: (n) => `Please enter the correct PIN again. ${n === 1 ? '1 try' : `${n} tries`} left.`,
  pinLastTry: 'One more wrong PIN locks the card. Unlocking it needs a visit to your municipal office.',
  pinLastTryConfirm: 'I have checked that my PIN is correct',
  pinEntered: (n) => `${n} of 4 digits entered`,
  pinBack: 'Delete one digit',
  pinSubmit: 'OK',

  working: 'Signing with your card…',
  workingKeep: 'Keep the card on the reader until this finishes.',
  doneTitle: 'You are logged in',
  doneBody: 'This window closes by itself.',
  approveConnect: 'Connect',
  approveSend: 'Send',
  workingSend: 'Signing with your card and sending…',
  doneKind: { connect: 'Connected', sign: 'Signed', calls: 'Sent', handover: 'Signed the application to take over' },
  doneTransaction: (hash) => `Transaction ID: ${hash}`,

  blockedTitle: 'The PIN is locked',
  blockedBody: [
    'The user authentication PIN was entered wrongly too many times, so this card cannot log in now.',
    'Ask your municipal office to reset the PIN. Bring your My Number card and an identity document.',
    'Nothing was sent to the site.',
  ],

  errorTitle: 'That did not work',
  hostError: {
    NO_READER: 'No card reader found. Connect a card reader to this computer.',
    NO_CARD: 'Place your card on the reader',
    NOT_MYNUMBER_CARD: 'The card on the reader is not a My Number card. Please place your My Number card.',
    CARD_REMOVED: 'The card left the reader. Place it on the reader again.',
    CARD_MUTE: 'The card does not answer. Check which way round it is and place it again.',
    READER_BUSY: 'Another program is using the card. Close that program and try again.',
    PCSC_UNAVAILABLE: 'The service that runs card readers is not working. Try restarting the computer. If that does not help, ask someone to check that "pcscd" is running.',
    READER_REQUIRED: 'Choose the card reader to use.',
    CARD_RESET: 'Talking to the card was interrupted. Please try again.',
    TIMEOUT: 'This took too long and was stopped. Please try again.',
    QUEUE_FULL: 'The card is busy. Wait a moment and try again.',
    HOST_EXITED: 'The MynaConnect program stopped. Go back to the page and try again.',
    ACCOUNT_MISMATCH: 'This card is not the card of the account connected to this site. Place the My Number card you connected with.',
    TRANSACTION_REVERTED: 'This transaction cannot be carried out (for example, the balance is too low). Nothing was signed. Check it and start again from the page.',
    SUBMIT_FAILED: 'The signed transaction could not be sent. Wait a moment and try again.',
    GAS_LIMIT_EXCEEDED: 'This transaction uses too much fee (gas), so it cannot be sent. Nothing was signed.',
    FEE_CHANGED: 'The fee changed. Nothing was signed. Start again from the page.',
    CHAIN_UNAVAILABLE: 'The blockchain cannot be reached. Check the internet connection and try again.',
    CHAIN_UNCONFIGURED: 'MynaConnect has no settings for this network.',
    HOST_MISSING: 'The MynaConnect program was not found.',
    HOST_VERSION: 'The MynaConnect program and the extension do not match. Update the older one.',
    other: 'Reading the card failed. Place the card again and try again. If it keeps happening, press "Close".',
  },

  optionsTitle: 'MynaConnect settings',
  readersTitle: 'Card readers',
  readersHint: 'Choose the card reader you usually use.',
  readersNone: 'No card reader found.',
  sitesTitle: 'Connected sites',
  sitesHint: 'You have allowed these sites to log you in with your My Number card.',
  sitesEmpty: 'No connected sites.',
  siteSince: (d) => `Allowed on ${d.toLocaleDateString('en', { dateStyle: 'long' })}`,
  revoke: 'Disconnect',
  languageTitle: '言語 / Language',
  hostChecking: 'Checking the MynaConnect program…',
  hostReady: (v) => `The MynaConnect program is running (version ${v}).`,
  hostHowTo: 'How to set it up',

  protectOpenCancel: 'Cancel this move',
  protectOpenAdd: 'Add guardians',

  onbTitle: 'Getting MynaConnect ready',
  onbIntro: 'To log in with your My Number card you need two things:',
  onbNeeds: [
    'The MynaConnect program on this computer',
    'A card reader that reads the My Number card',
  ],
  onbDoTitle: 'What to do',
  onbDo: [
    'Run the MynaConnect installer.',
    'Connect the card reader to this computer.',
    'When done, press "Check again" below.',
  ],
  onbDev: 'Developers: in the MynaConnect source folder, run',
  recheck: 'Check again',
  onbReady: (v) => `Ready (MynaConnect ${v}). Go back to the page where you were logging in and try again.`,
  onbMissing: 'Not found yet. Check that the installation finished, close and reopen the browser, then try again.',
  onbBrowser: 'this browser',
  onbCauses: 'Possible causes:',
  onbRun: 'In a terminal, run:',
  onbDoctor: 'For the full diagnosis, including the card reader, pcscd (the card reader service) and the card:',
};

const STRINGS = { ja, en };

/** The language to use for a stored value: the stored one if known, else Japanese. */
export function pickLang(stored) {
  return LANGS.includes(stored) ? stored : DEFAULT_LANG;
}

/** The words of one language. */
export function strings(lang) {
  return STRINGS[pickLang(lang)];
}

/** What to tell the person about a host error code; unknown codes get the general text. */
export function hostErrorText(lang, code) {
  const s = strings(lang).hostError;
  return Object.hasOwn(s, code) ? s[code] : s.other;
}

/**
 * What to tell the person about the host connection in a state the
 * service worker reported ('missing', 'version' or 'exited').
 */
export function hostStateText(lang, state) {
  const code = { version: 'HOST_VERSION', exited: 'HOST_EXITED' }[state] ?? 'HOST_MISSING';
  return strings(lang).hostError[code];
}

/** The label of a reader state; unknown states read like "card", as the protocol asks. */
export function readerStateText(lang, state) {
  const s = strings(lang).readerState;
  return Object.hasOwn(s, state) ? s[state] : s.card;
}
