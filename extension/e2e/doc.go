// Package e2e proves MynaConnect's login end to end with the real parts and
// nothing standing in for them: Chromium driven over CDP (host/testbed/chromium),
// the extension as extension/build builds it, the mynaconnect-host binary
// as `go build` makes it, registered as Chromium's native messaging host,
// pcscd with vsmartcard's vpcd reader and a virtual JPKI card dialled into
// it (host/pcsc/pcsctest, host/testbed/vcard), and the test-sign site with its
// token-verifying server (host/testbed/demoserver, trusting only the test CA).
//
// The tests, one behaviour each, walk the consent window the way a person
// does (host/testbed/demoflow) and check the outcome where it shows: on the page
// (#result, the error's code and data.reason), in the relying party's
// verdict, and on the card itself (Card.Log: which APDUs it received). They
// prove that
//
//   - a login signs the page's own origin, which the site's server verifies;
//   - a wrong PIN is handled in the window with the tries left, and the right
//     one restores the card's counter;
//   - a blocked PIN is never presented to the card, and the page gets
//     PIN_BLOCKED; the last try must be confirmed before it is used;
//   - キャンセル and closing the window reach the page as 4001 with
//     USER_REJECTED and WINDOW_CLOSED;
//   - a login started without a card waits for one and carries on;
//   - a cross-origin iframe logs in for its own origin, not its parent's;
//   - a page cannot make the extension show or sign for another origin,
//     nor sign without approval, by forging bridge messages or redefining
//     built-ins, and its real requests still work afterwards;
//   - logins from two tabs are asked one at a time, with the queue shown;
//   - a missing native host gives HOST_MISSING and opens the onboarding page;
//   - malformed requests and unknown methods fail at once, without a window;
//   - EIP-2255 permissions follow logins and revocation.
//
// BenchmarkTimeToSheet and BenchmarkPINToToken measure what a person waits
// for: from the page's request to the painted consent sheet, and from the
// PIN's submission to the token in the page.
//
// The tests start pcscd (which serves the whole machine) and so run one at a
// time. Without Chromium, pcscd or vpcd they skip, except under CI=true,
// where they fail. Screenshots of every screen go to
// $MYNACONNECT_SCREENSHOT_DIR/<test>/ when that is set.
package e2e
