package e2e

import (
	"strconv"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// TestOptionsPageShowsReadersAndRevokesSites walks the settings a person
// has: the readers with live card status, the sites they logged in to, a
// site revoked from the page, and the language.
func TestOptionsPageShowsReadersAndRevokesSites(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{})
	plugged := e.plug(card)
	site := e.site()
	page := e.open(site.Origin())
	e.startLogin(page)
	consent := e.consent()
	e.approve(consent)
	e.typePIN(consent, rightPIN, false)
	if res := e.result(page); res.Status != "verified" {
		t.Fatalf("the site shows %+v", res)
	}

	options := e.tab(e.browser.ExtensionURL("options.html"))
	reader := strconv.Quote(e.daemon.ReaderName(0))
	waitTrue(t, options, `document.querySelector('label.reader[data-reader=`+reader+`]')?.dataset.state === 'mynumber' &&
		document.querySelector('label.reader[data-reader=`+reader+`] .reader-state').textContent === 'マイナンバーカードあり'`)
	origin := strconv.Quote(site.Origin())
	waitTrue(t, options, `!!document.querySelector('button.revoke[data-origin=`+origin+`]')`)
	e.shot(options, "options")

	// The card leaves the reader: the page follows without a reload.
	plugged.Close()
	waitTrue(t, options, `document.querySelector('label.reader[data-reader=`+reader+`] .reader-state').textContent === 'カード未挿入'`)

	// Revoking from the page is what wallet_getPermissions then reports.
	if err := chromium.Click(options, `button.revoke[data-origin=`+origin+`]`); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, options, `!document.querySelector('button.revoke[data-origin=`+origin+`]')`)
	if r := request(t, page, "wallet_getPermissions", nil); !r.OK || string(r.Result) != "[]" {
		t.Errorf("after revoking on the options page, wallet_getPermissions = %v, want []", r)
	}

	if err := chromium.Click(options, "#lang-en"); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, options, `document.querySelector('label.reader[data-reader=`+reader+`] .reader-state').textContent === 'No card'`)
	e.shot(options, "options-en")
}
