import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostErrorText, hostStateText, pickLang, readerStateText, strings } from './i18n.js';

test('Japanese is the default; a stored language is kept', () => {
  assert.equal(pickLang(undefined), 'ja');
  assert.equal(pickLang('fr'), 'ja');
  assert.equal(pickLang('en'), 'en');
});

test('both languages have the same words, of the same kinds', () => {
  const ja = strings('ja');
  const en = strings('en');
  const shape = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k,
    Array.isArray(v) ? `array${v.length}` : typeof v === 'object' ? shape(v) : typeof v]));
  assert.deepEqual(shape(en), shape(ja));
});

test('the mock screens\' wording is used', () => {
  const ja = strings('ja');
  assert.equal(ja.pinRetries(3), '再試行可能回数は 3 回です');
  assert.equal(ja.pinWrongBody(2), 'もう一度、正しいPINを入力してください。残りの再試行回数は 2 回です');
  assert.equal(readerStateText('ja', 'mynumber'), 'マイナンバーカードあり');
  assert.equal(readerStateText('ja', 'empty'), 'カード未挿入');
  assert.equal(hostErrorText('ja', 'NO_CARD'), 'カードをリーダーに置いてください');
});

test('unknown host codes and reader states still get words a person can act on', () => {
  assert.equal(hostErrorText('en', 'SOMETHING_NEW'), strings('en').hostError.other);
  assert.equal(hostErrorText('en', 'toString'), strings('en').hostError.other);
  assert.equal(readerStateText('en', 'sleeping'), strings('en').readerState.card);
});

test('each host state the service worker reports has its own words', () => {
  assert.equal(hostStateText('en', 'missing'), hostErrorText('en', 'HOST_MISSING'));
  assert.equal(hostStateText('ja', 'version'), hostErrorText('ja', 'HOST_VERSION'));
  assert.equal(hostStateText('ja', 'exited'), hostErrorText('ja', 'HOST_EXITED'));
  assert.equal(hostStateText('en', 'something new'), hostErrorText('en', 'HOST_MISSING'));
});
