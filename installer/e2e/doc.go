// Package e2e proves the installer end to end: what mynaconnect-install
// puts on a machine is what browsers use to log in, and --uninstall takes
// it all away again.
//
// TestInstalledHostEndToEnd builds mynaconnect-host and mynaconnect-install
// side by side (as dist/bin holds them), installs into a temporary HOME and
// a Chromium user data directory (--user-data-dir) for Chromium and
// Firefox, and then
//
//   - checks every manifest names the installed copy of the host (not the
//     build directory) and allows the extension, and that a second install
//     changes nothing (not a byte, not a modification time);
//   - deletes the built host, so that only the installed copy can run;
//   - starts Chromium on that profile with the launcher leaving the host
//     registration to the installer (chromium.Options.ExternalHost), and
//     walks the login on the test-sign site with the virtual card in pcscd
//     (host/testbed/demoflow) to a verified token;
//   - runs Firefox with HOME set to the temporary HOME, where only the
//     installer's manifest registers the host, through the same walk as
//     extension/firefoxe2e (firefoxe2e.Walk), to a verified token;
//   - watches /proc during both logins: the host process each browser
//     started runs the installed binary, with the arguments that browser
//     passes (the extension's origin; the manifest's path and the add-on id);
//   - uninstalls, and compares the HOME and the profile with their snapshot
//     from before the install: apart from what the browsers wrote there
//     themselves, they are as they were, with no file and no manifest of
//     MynaConnect left; a second uninstall finds nothing to do.
//
// TestOnboardingSaysWhatTheDoctorSays installs a host of another protocol
// version (this test binary, acting as one), runs the doctor's diagnosis
// on that machine, and opens the extension's onboarding page in Chromium on
// the installed profile: without a click, the page shows the doctor's
// VERSION_MISMATCH finding word for word, in Japanese and in English.
//
// It needs what extension/e2e and extension/firefoxe2e need: Chromium,
// firefox-esr, node with extension/firefox/node_modules, pcscd and vpcd.
// Without them it skips, saying what to install; under CI=true it fails.
// Screenshots of both walks go to $MYNACONNECT_SCREENSHOT_DIR/<test>/ when
// that is set.
package e2e
