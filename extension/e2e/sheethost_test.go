package e2e

import (
	"slices"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// TestTheSheetHostDrawsTheSheetAndItsLossCostsNoLogin: in Chromium the
// sheet host (extension/src/sheethost.js), opened when the browser starts,
// draws the login sheet of every consent window with the module it keeps
// running; if the browser closes it, the next login still gets its sheet
// (from a sheet host opened again, or from the window's own module).
func TestTheSheetHostDrawsTheSheetAndItsLossCostsNoLogin(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card})
	site := e.site()
	page := e.open(site.Origin())

	host, cancel, err := e.browser.WaitForTarget(e.ctx, e.browser.ExtensionURL("sheethost.html"))
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	// The login sheet's module is running before anyone asks.
	if !eval[bool](t, host, `globalThis.mynaconnectSheets.get('login').then((api) => typeof api.renderLogin === 'function')`) {
		t.Fatal("the sheet host has no login sheet")
	}
	login := func(wantFrom ...string) {
		t.Helper()
		e.startLogin(page)
		consent := e.consent()
		e.step(consent, "sheet")
		checkSheetNames(t, consent, site.Origin())
		from := eval[string](t, consent, `document.body.dataset.sheetFrom`)
		if !slices.Contains(wantFrom, from) {
			t.Errorf("the sheet came from %q, want one of %q", from, wantFrom)
		}
		e.approve(consent)
		e.step(consent, "pin")
		e.typePIN(consent, rightPIN, false)
		if res := e.result(page); res.Status != "verified" {
			t.Fatalf("the site shows %+v", res)
		}
		e.waitClosed(consent)
	}
	login("host")

	// The browser closes the sheet host (as it may, to save memory).
	browser := chromedp.FromContext(e.browser.Context()).Browser
	if _, err := cdp.Call(e.ctx, browser, target.CloseTarget, target.CloseTargetParams{TargetID: chromedp.FromContext(host).Target.TargetID}); err != nil {
		t.Fatal(err)
	}
	login("host", "window")
}
