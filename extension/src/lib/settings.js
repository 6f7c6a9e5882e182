// The person's settings, kept in chrome.storage.local and shared by the
// extension's pages: the language and the card reader to use by default.

import { LANG_KEY, pickLang } from './i18n.js';

const READER_KEY = 'defaultReader';

/** The chrome.storage.local keys of the settings, for a page that reads them before this module loads. */
export const SETTINGS_KEYS = [LANG_KEY, READER_KEY];

/**
 * {lang, defaultReader} as stored (Japanese and no reader by default), from
 * stored: the SETTINGS_KEYS items, when a page's first script already asked
 * for them.
 */
export async function loadSettings(stored = chrome.storage.local.get(SETTINGS_KEYS)) {
  const items = await stored;
  return { lang: pickLang(items[LANG_KEY]), defaultReader: typeof items[READER_KEY] === 'string' ? items[READER_KEY] : null };
}

export function saveLang(lang) {
  return chrome.storage.local.set({ [LANG_KEY]: pickLang(lang) });
}

export function saveDefaultReader(name) {
  return chrome.storage.local.set({ [READER_KEY]: name });
}

/**
 * Calls fn with the changed settings ({lang?, defaultReader?}) whenever
 * another page (or this one) changes them, so that every open page follows.
 */
export function onSettingsChange(fn) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    const changed = {};
    if (changes[LANG_KEY]) changed.lang = pickLang(changes[LANG_KEY].newValue);
    if (changes[READER_KEY]) changed.defaultReader = changes[READER_KEY].newValue ?? null;
    if (Object.keys(changed).length) fn(changed);
  });
}
