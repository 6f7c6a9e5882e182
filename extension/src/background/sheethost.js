// The sheet host (../sheethost.js): opened when the browser starts and
// before each consent window, so the window finds the sheets running.
// Only Chromium has offscreen documents; the Firefox build has no sheet host
// (MYNACONNECT_SHEET_HOST is false there) and each consent window starts
// its own sheet, as it does in Chromium when the host is missing for any
// reason.

/* global MYNACONNECT_SHEET_HOST -- replaced by the build: true for Chromium */

const SHEET_HOST = 'sheethost.html';

let opening = null;

/** prepareSheetHost opens the sheet host unless it is open; it never throws. */
export const prepareSheetHost = MYNACONNECT_SHEET_HOST ? openSheetHost : () => Promise.resolve();

function openSheetHost() {
  opening ||= (async () => {
    if (await chrome.offscreen.hasDocument()) return;
    await chrome.offscreen.createDocument({
      url: SHEET_HOST,
      reasons: [chrome.offscreen.Reason.DOM_PARSER],
      justification: 'Builds the consent sheet DOM with its WebAssembly module, compiled once per browser session.',
    });
  })().catch(() => {}).finally(() => { opening = null; });
  return opening;
}
