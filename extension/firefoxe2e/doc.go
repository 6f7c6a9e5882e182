// Package firefoxe2e runs the MynaConnect login end to end in Firefox: the
// real host binary, registered for Firefox in a temporary HOME, the Firefox
// build of the extension, pcscd with the virtual card in a vpcd reader, and
// the test-sign demo site. The browser is Debian's firefox-esr, driven by
// extension/firefox/e2e.mjs (puppeteer-core over WebDriver BiDi); these
// tests prepare everything around it and read its verdict. TestWebExtLint
// runs Mozilla's add-on linter on the same build.
//
// Walk (with Available and CheckShots) is the reusable part: it runs
// e2e.mjs for a HOME in which someone registered the host, and returns the
// site's verdict. This package's tests register the host themselves;
// installer/e2e lets mynaconnect-install do it.
//
// Needs: firefox-esr, node, `npm ci --prefix extension/firefox` (with
// PUPPETEER_SKIP_DOWNLOAD=1), pcscd and vpcd. Without one of them the tests
// skip, saying what to install; with CI set they fail instead.
//
// FIREFOXE2E_SCREENSHOTS=DIR keeps the walks' screenshots in DIR/<test>
// (site, consent sheet, PIN pad, site result); otherwise they go to the
// test's temporary directory.
package firefoxe2e
