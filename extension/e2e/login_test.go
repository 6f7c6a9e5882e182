package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

const (
	rightPIN = vcard.DefaultAuthPIN
	wrongPIN = "9999"
)

// captureNonces makes the test-sign page keep the challenges its server
// hands out (window.__nonces), so the test can check the token itself.
const captureNonces = `(() => {
	const fetch = window.fetch;
	window.__nonces = [];
	window.fetch = async function (input, init) {
		const res = await fetch.apply(this, arguments);
		if (String(input).includes('/api/challenge')) {
			res.clone().json().then((j) => window.__nonces.push(j.nonce), () => {});
		}
		return res;
	};
	return true;
})()`

// token returns the token the test-sign page received, as its #token shows it.
func token(tb testing.TB, page context.Context) []byte {
	tb.Helper()
	return []byte(eval[string](tb, page, `document.querySelector('#token').textContent`))
}

func TestLoginSignsThePagesOwnOrigin(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card})
	site := e.site()
	page := e.open(site.Origin())
	eval[bool](t, page, captureNonces)
	e.shot(page, "site")

	e.startLogin(page)
	consent := e.consent()
	e.step(consent, "sheet")
	e.shot(consent, "sheet")
	checkSheetNames(t, consent, site.Origin())
	if n := card.Count(insSign); n != 0 {
		t.Errorf("the card signed %d times before the person approved", n)
	}
	e.approve(consent)
	e.step(consent, "pin")
	e.shot(consent, "pin-pad")
	e.typePIN(consent, rightPIN, false)

	res := e.result(page)
	e.shot(page, "site-verified")
	if res.Status != "verified" {
		t.Fatalf("the site shows %+v", res)
	}
	if !strings.Contains(res.Text, site.Origin()) {
		t.Errorf("the site's verdict does not name the origin it checked, %s:\n%s", site.Origin(), res.Text)
	}
	// The site's server verified the token against its own origin; check
	// the token in #token independently: signed for this origin and this
	// challenge, and for no other origin.
	nonces := eval[[]string](t, page, `window.__nonces`)
	if len(nonces) != 1 {
		t.Fatalf("the page fetched %d challenges, want 1", len(nonces))
	}
	checkSignedFor(t, token(t, page), site.Origin(), nonces[0], "https://bank.example", "http://127.0.0.1:1")
	if n := card.Count(insSign); n != 1 {
		t.Errorf("the card signed %d times, want 1", n)
	}
}

func TestWrongPINThenRightPINLogsInAndRestoresTheCounter(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card})
	site := e.site()
	page := e.open(site.Origin())

	e.startLogin(page)
	consent := e.consent()
	e.approve(consent)
	e.typePIN(consent, wrongPIN, false)

	// The pad comes back with the wrong-PIN message and the tries left.
	waitTrue(t, consent, `document.body.dataset.step === 'pin' && document.querySelector('#screen .alert[role="alert"]')`)
	e.shot(consent, "wrong-pin")
	alert := eval[string](t, consent, `document.querySelector('#screen .alert[role="alert"]').innerText`)
	if !strings.Contains(alert, "残りの再試行回数は 2 回です") {
		t.Errorf("the wrong-PIN message does not say 2 tries are left:\n%s", alert)
	}
	if auth, _ := card.Retries(); auth != 2 {
		t.Errorf("after one wrong PIN the card has %d tries left, want 2", auth)
	}
	if st := eval[string](t, page, `document.querySelector('#result').dataset.status`); st != "working" {
		t.Errorf("the wrong PIN reached the page: #result is %q, want working", st)
	}

	e.typePIN(consent, rightPIN, false)
	if res := e.result(page); res.Status != "verified" {
		t.Fatalf("the site shows %+v", res)
	}
	if auth, _ := card.Retries(); auth != vcard.DefaultAuthRetries {
		t.Errorf("after the right PIN the card has %d tries left, want %d", auth, vcard.DefaultAuthRetries)
	}
}

func TestBlockedPINIsNeverSentToTheCard(t *testing.T) {
	card := vcardtest.NewCard(t, func(c *vcard.Config) { c.AuthPIN.Failures = vcard.DefaultAuthRetries })
	if auth, _ := card.Retries(); auth != 0 {
		t.Fatalf("the card has %d tries left, want a blocked PIN", auth)
	}
	e := newEnv(t, envOptions{card: card})
	site := e.site()
	page := e.open(site.Origin())

	e.startLogin(page)
	consent := e.consent()
	e.approve(consent)
	e.step(consent, "blocked")
	e.shot(consent, "blocked")
	if n := eval[int](t, consent, `document.querySelectorAll('button[data-digit], #pin-submit').length`); n != 0 {
		t.Errorf("the blocked screen has %d PIN pad keys", n)
	}
	if err := chromium.Click(consent, "#close"); err != nil {
		t.Fatal(err)
	}
	res := e.result(page)
	if res.Status != "rejected" || res.Reason != "PIN_BLOCKED" || !strings.Contains(res.Text, "4001") {
		t.Fatalf("the site shows %+v, want rejected with 4001 PIN_BLOCKED", res)
	}
	e.waitClosed(consent)

	// The card was asked for its retry counter (VERIFY without data,
	// answered 63C0) and nothing else: a VERIFY carrying a PIN would have
	// been answered 6983 on this card.
	sws := verifies(card)
	if len(sws) == 0 {
		t.Error("the card was never asked for its retry counter")
	}
	for _, sw := range sws {
		if sw != 0x63C0 {
			t.Errorf("the card answered a VERIFY with %04X: a PIN was presented to a blocked card (all VERIFYs: %04X)", sw, sws)
			break
		}
	}
	if n := card.Count(insSign); n != 0 {
		t.Errorf("the card received %d SIGN commands", n)
	}
	if auth, _ := card.Retries(); auth != 0 {
		t.Errorf("the card has %d tries left", auth)
	}
}

func TestLastTryMustBeConfirmed(t *testing.T) {
	card := vcardtest.NewCard(t, func(c *vcard.Config) { c.AuthPIN.Failures = vcard.DefaultAuthRetries - 1 })
	e := newEnv(t, envOptions{card: card})
	site := e.site()
	page := e.open(site.Origin())

	e.startLogin(page)
	consent := e.consent()
	e.approve(consent)
	e.step(consent, "pin")
	for _, d := range rightPIN {
		if err := chromium.Click(consent, `button[data-digit="`+string(d)+`"]`); err != nil {
			t.Fatal(err)
		}
	}
	e.shot(consent, "pin-pad-last-try")
	state := func() [2]bool {
		return eval[[2]bool](t, consent, `[document.querySelector('#pin-submit').disabled, document.querySelector('#confirm-last-try').checked]`)
	}
	if s := state(); !s[0] || s[1] {
		t.Fatalf("with 4 digits typed and the last try not confirmed: submit disabled %v, confirmed %v; want disabled, unconfirmed", s[0], s[1])
	}
	// Pressing the disabled button, or Enter, sends nothing.
	if err := chromium.Click(consent, "#pin-submit"); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, consent, `document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})), true`)
	if st := eval[string](t, consent, `document.body.dataset.step`); st != "pin" {
		t.Fatalf("the unconfirmed last try was submitted: the window shows %q", st)
	}
	if sws := verifies(card); len(sws) > 0 && sws[len(sws)-1] != 0x63C1 {
		t.Fatalf("the card's last VERIFY answered %04X (all: %04X)", sws[len(sws)-1], sws)
	}

	if err := chromium.Click(consent, "#confirm-last-try"); err != nil {
		t.Fatal(err)
	}
	if s := state(); s[0] || !s[1] {
		t.Fatalf("after ticking the confirmation: submit disabled %v, confirmed %v; want enabled, confirmed", s[0], s[1])
	}
	if err := chromium.Click(consent, "#pin-submit"); err != nil {
		t.Fatal(err)
	}
	if res := e.result(page); res.Status != "verified" {
		t.Fatalf("the site shows %+v", res)
	}
	if auth, _ := card.Retries(); auth != vcard.DefaultAuthRetries {
		t.Errorf("the card has %d tries left, want %d", auth, vcard.DefaultAuthRetries)
	}
}

func TestCancelAndClosingTheWindowReject(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card})
	site := e.site()
	page := e.open(site.Origin())

	// キャンセル on the sheet.
	e.startLogin(page)
	consent := e.consent()
	e.step(consent, "sheet")
	e.cancelConsent(consent)
	res := e.result(page)
	if res.Status != "rejected" || res.Reason != "USER_REJECTED" || !strings.Contains(res.Text, "4001") {
		t.Errorf("after キャンセル the site shows %+v, want rejected with 4001 USER_REJECTED", res)
	}
	e.waitClosed(consent)

	// キャンセル on the PIN pad.
	e.startLogin(page)
	consent = e.consent()
	e.approve(consent)
	e.step(consent, "pin")
	e.cancelConsent(consent)
	res = e.result(page)
	if res.Status != "rejected" || res.Reason != "USER_REJECTED" {
		t.Errorf("after キャンセル on the PIN pad the site shows %+v, want rejected USER_REJECTED", res)
	}
	e.waitClosed(consent)

	// Two declines in a row: the site waits 2 s before it may open the
	// window again (lib/cooldown.js; TestASiteThatReasksAfterDeclinesGetsCooldown).
	time.Sleep(2*time.Second + 200*time.Millisecond)

	// The window closed by the person (here through CDP).
	e.startLogin(page)
	consent = e.consent()
	e.step(consent, "sheet")
	e.closeTarget(consent)
	res = e.result(page)
	if res.Status != "rejected" || res.Reason != "WINDOW_CLOSED" || !strings.Contains(res.Text, "4001") {
		t.Errorf("after closing the window the site shows %+v, want rejected with 4001 WINDOW_CLOSED", res)
	}
	e.waitClosed(consent)

	if n := card.Count(insSign); n != 0 {
		t.Errorf("the card received %d SIGN commands", n)
	}
	for _, sw := range verifies(card) {
		if sw&0xFFF0 != 0x63C0 {
			t.Errorf("a PIN was presented to the card (VERIFY answered %04X)", sw)
		}
	}
}

func TestLoginWaitsForTheCard(t *testing.T) {
	e := newEnv(t, envOptions{}) // no card in the reader
	site := e.site()
	page := e.open(site.Origin())

	e.startLogin(page)
	consent := e.consent()
	e.step(consent, "card")
	// The screen's own heading; the sheet's origin header above it has an h1 too.
	waitTrue(t, consent, `[...document.querySelectorAll('#screen > h1')].some((h) => h.textContent.includes('カードをリーダーに置いてください'))`)
	waitTrue(t, consent, `document.querySelector('button.reader[data-reader]')`)
	e.shot(consent, "card-prompt")

	card := vcardtest.NewCard(t, nil)
	e.plug(card)
	e.step(consent, "sheet")
	checkSheetNames(t, consent, site.Origin())
	e.approve(consent)
	e.typePIN(consent, rightPIN, false)
	if res := e.result(page); res.Status != "verified" {
		t.Fatalf("the site shows %+v", res)
	}
}
