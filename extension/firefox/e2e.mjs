// The Firefox end-to-end walk of a MynaConnect login, run by Go's
// firefoxe2e.Walk for the tests of extension/firefoxe2e and installer/e2e
// (which start pcscd, the virtual card and the demo site, and register the
// host in HOME first: themselves, or with mynaconnect-install). It launches Debian's
// firefox-esr headless through puppeteer-core over WebDriver BiDi, installs
// the extension as a temporary add-on, opens the test-sign site, presses
// #login, finds the consent window (moz-extension://…/consent.html, a popup
// window the extension opens), and then either approves the sheet and types
// the PIN (scenario "happy") or presses キャンセル (scenario "cancel").
//
// Input, all from the environment:
//   MYNACONNECT_SITE        the demo site's URL (http://127.0.0.1:<port>/)
//   MYNACONNECT_EXTENSION   the built extension (dist/firefox)
//   MYNACONNECT_SCENARIO    happy | cancel
//   MYNACONNECT_PIN         the card's authentication PIN (default 1234)
//   MYNACONNECT_SCREENSHOTS a folder for the screenshots; none without it
//   MYNACONNECT_FIREFOX     the browser (default /usr/lib/firefox-esr/firefox-esr)
//   HOME                    where Firefox finds .mozilla/native-messaging-hosts
//
// Output: progress on stderr (with Firefox's stderr), and one
// JSON line on stdout: {ok, scenario, status, reason, code, text, shots,
// steps: {name: ms}, error?}. The exit status is 0 when the scenario ended
// as it should, 1 when it did not, 2 for bad input.

import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const STEP_TIMEOUT_MS = 30_000;
const TOTAL_TIMEOUT_MS = 150_000;

const env = process.env;
const site = env.MYNACONNECT_SITE;
const extension = env.MYNACONNECT_EXTENSION;
const scenario = env.MYNACONNECT_SCENARIO || 'happy';
const pin = env.MYNACONNECT_PIN || '1234';
const shotDir = env.MYNACONNECT_SCREENSHOTS || '';
const firefox = env.MYNACONNECT_FIREFOX || '/usr/lib/firefox-esr/firefox-esr';

const out = { ok: false, scenario, status: '', reason: '', code: '', text: '', shots: [], steps: {} };

function log(...args) {
  console.error('[e2e]', ...args);
}

function finish(code, error) {
  if (error) out.error = String(error?.stack ?? error);
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exitCode = code;
}

if (!site || !extension || !['happy', 'cancel'].includes(scenario) || !/^[0-9]{4}$/.test(pin)) {
  finish(2, 'set MYNACONNECT_SITE, MYNACONNECT_EXTENSION and MYNACONNECT_SCENARIO (happy or cancel); MYNACONNECT_PIN is 4 digits');
  process.exit();
}
if (!fs.existsSync(path.join(extension, 'manifest.json'))) {
  finish(2, `${extension} has no manifest.json: build the Firefox extension first`);
  process.exit();
}

const started = performance.now();
let stepStart = started;
function step(name) {
  const now = performance.now();
  out.steps[name] = Math.round(now - stepStart);
  stepStart = now;
  log(`${name}: ${out.steps[name]} ms`);
}

async function shot(page, name) {
  if (!shotDir) return;
  const file = path.join(shotDir, `${String(out.shots.length + 1).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  out.shots.push(file);
}

// waitStep waits for the consent window to show a screen
// (body[data-step], see extension/README.md).
async function waitStep(consent, want) {
  try {
    await consent.waitForFunction((s) => document.body?.dataset.step === s, { polling: 100, timeout: STEP_TIMEOUT_MS }, want);
  } catch (e) {
    const now = await consent.evaluate(() => document.body?.dataset.step ?? '').catch(() => '?');
    throw new Error(`the consent window never showed "${want}" (it shows "${now}"): ${e.message}`);
  }
}

// findConsentWindow waits for the extension's consent window among the
// pages opened since before. Firefox's BiDi reports a window that an
// extension opens with the URL it started with (about:blank) rather than
// its moz-extension:// page, so each new page is asked where it is.
async function findConsentWindow(browser, before) {
  const deadline = performance.now() + STEP_TIMEOUT_MS;
  const seen = new Map();
  while (performance.now() < deadline) {
    for (const p of await browser.pages()) {
      if (before.has(p)) continue;
      const href = await Promise.race([
        p.evaluate(() => location.href).catch((e) => `(${e.message})`),
        new Promise((resolve) => setTimeout(resolve, 1000, '(no answer)')),
      ]);
      seen.set(p, href);
      if (/^moz-extension:\/\/[^/]+\/consent\.html\?/.test(href)) return p;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no consent window opened within ${STEP_TIMEOUT_MS} ms (new pages: ${[...seen.values()].join(', ') || 'none'})`);
}

async function run(browser) {
  // A temporary add-on, as about:debugging loads one: unsigned, removed
  // when the browser closes. Its id is the manifest's gecko id.
  const id = await browser.installExtension(path.resolve(extension));
  log(`installed ${id}`);
  step('install');

  const page = await browser.newPage();
  await page.goto(site, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
  try {
    await page.waitForFunction(() => document.querySelector('#login') && window.ethereum?.isMynaConnect === true, {
      polling: 100,
      timeout: STEP_TIMEOUT_MS,
    });
  } catch (e) {
    throw new Error(`the site at ${site} has no MynaConnect provider (window.ethereum): ${e.message}`);
  }
  step('site');
  await shot(page, 'site');

  const before = new Set(await browser.pages());
  await page.click('#login');
  const consent = await findConsentWindow(browser, before);
  log(`consent window ${await consent.evaluate(() => location.href)}`);

  await waitStep(consent, 'sheet');
  step('sheet');
  await shot(consent, 'consent-sheet');

  if (scenario === 'cancel') {
    await consent.click('#cancel');
  } else {
    // 許可 is armed a moment after the sheet appears (double-click-jacking).
    await consent.waitForFunction(() => document.querySelector('#approve')?.disabled === false, {
      polling: 100,
      timeout: STEP_TIMEOUT_MS,
    });
    await consent.click('#approve');
    await waitStep(consent, 'pin');
    step('pin-pad');
    await shot(consent, 'pin-pad');
    for (const d of pin) await consent.click(`button[data-digit="${d}"]`);
    await consent.waitForFunction(() => !document.querySelector('#pin-submit').disabled, {
      polling: 100,
      timeout: STEP_TIMEOUT_MS,
    });
    // The window closes itself once the login is done: its outcome is
    // read from the site, not from the window.
    await consent.click('#pin-submit');
  }

  try {
    await page.waitForFunction(
      () => ['verified', 'failed', 'rejected'].includes(document.querySelector('#result')?.dataset.status),
      { polling: 100, timeout: STEP_TIMEOUT_MS },
    );
  } catch (e) {
    throw new Error(`the site showed no result: ${e.message}`);
  }
  Object.assign(
    out,
    await page.evaluate(() => {
      const r = document.querySelector('#result');
      return { status: r.dataset.status || '', reason: r.dataset.reason || '', code: r.dataset.code || '', text: r.innerText };
    }),
  );
  step('result');
  await shot(page, 'site-result');

  const want = scenario === 'happy' ? out.status === 'verified' : out.status === 'rejected' && out.reason === 'USER_REJECTED';
  if (!want) throw new Error(`the site ended with status "${out.status}" (reason "${out.reason}", code "${out.code}"): ${out.text}`);
}

let browser;
const timer = setTimeout(() => {
  finish(1, `the walk took longer than ${TOTAL_TIMEOUT_MS} ms`);
  // process.exit skips the close below; the Go test kills the process
  // group, Firefox included.
  process.exit();
}, TOTAL_TIMEOUT_MS);

try {
  if (shotDir) fs.mkdirSync(shotDir, { recursive: true });
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefox,
    headless: true,
    // Firefox's own stderr, for the Go test's failure report. (The native
    // host's stderr goes to Firefox's browser console, not here.)
    dumpio: true,
    env: { ...env, MOZ_CRASHREPORTER_DISABLE: '1' },
    timeout: 60_000, // for Firefox to start: slow on a busy machine
    protocolTimeout: 60_000,
    extraPrefsFirefox: {
      // In Firefox, an MV3 add-on's host permissions (here the content
      // scripts' matches, http://*/* and https://*/*) are revocable site
      // access. Firefox (127 and later) grants them at install when this
      // pref is true, its default: a person sees them in the install
      // prompt. With it false the provider is never injected and the site
      // finds no window.ethereum, so the test pins it rather than rely on
      // the profile's default.
      'extensions.originControls.grantByDefault': true,
    },
  });
  step('launch');
  await run(browser);
  out.ok = true;
  out.steps.total = Math.round(performance.now() - started);
  finish(0);
} catch (e) {
  log(`failed: ${e?.message ?? e}`);
  finish(1, e);
} finally {
  clearTimeout(timer);
  await browser?.close().catch((e) => log(`closing Firefox: ${e.message}`));
}
