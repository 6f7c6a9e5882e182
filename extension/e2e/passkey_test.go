package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/mynaconnect/mynaconnect/host/recovery"
	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// A passkey and a family member's card guard the account together (two must agree): the person adds a
// passkey (Chromium's virtual authenticator, with user verification, as a phone or a security key would
// be) and the family card's account on 「アカウントを守る」; the card is lost; the renewed card applies; the
// passkey approves on this computer, its WebAuthn signature joining the application; the family card,
// the second approval, starts the move, and the chain checks both (P-256 through the verifier).
func TestAPasskeyAndAFamilyCardAgreeTogether(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{chain: true, timeout: 3 * testTimeout})
	plugged := e.plug(card)
	acct := e.cardAccount(devchaintest.Ether(5), nil)
	family, familyAcct, _ := familyCard(t, e)

	// The owner's page, with a platform authenticator that verifies the person.
	options := e.tab(e.browser.ExtensionURL("options.html"))
	addAuthenticator(t, options)
	readProtection(t, options)
	if err := chromium.Click(options, "#guardian-passkey"); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, options, `document.querySelectorAll('#draft-guardians li').length === 1 && document.querySelector('#protect-status')?.dataset.outcome === 'ok'`)
	addGuardianByAddress(t, options, familyAcct, 2)
	chooseQuorum(t, options, 2)
	e.shot(options, "passkey-guardians-chosen")
	saveGuardians(t, e, options, func(c context.Context) {
		if got := eval[string](t, c, `document.querySelector('[data-call-kind="recovery-set-guardians"]').textContent`); !strings.Contains(got, "2人のうち2人") {
			t.Errorf("the guardians' sheet reads %q", got)
		}
	})
	// The family card's account has sent nothing yet, so the chain knows it only as an address.
	waitTrue(t, options, `document.querySelector('#protect-status')?.dataset.outcome === 'ok' && document.querySelector('#guardians li[data-kind="passkey"]') && document.querySelector('#guardians li[data-kind="address"]')`)
	e.shot(options, "passkey-guardians-saved")

	// The card is lost; the renewed card applies.
	old, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, renewed := vcardtest.Renewed(t, old)
	plugged = swapCard(t, e, options, plugged, renewed)
	application, check := applyToTakeOver(t, e, acct, "passkey")

	// The passkey approves on this computer: one of two.
	pasteApplication(t, options, application)
	waitTrue(t, options, `document.querySelector('#application')?.dataset.state === 'new' && !!document.querySelector('#application-passkey') && !document.querySelector('#application-approve')`)
	if err := chromium.Click(options, "#application-passkey"); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, options, `document.querySelector('#protect-status')?.dataset.outcome === 'ok' && document.querySelector('#application-approvals')?.textContent.includes('集まった同意: 1 人（必要なのは 2 人）') && !document.querySelector('#application-passkey')`)
	e.shot(options, "passkey-approved")
	withPasskey := eval[string](t, options, `document.querySelector('#application-text').value`)
	if withPasskey == application {
		t.Fatal("the passkey's approval did not join the application")
	}

	// The family card, the second approval, starts the move.
	swapCard(t, e, options, plugged, family)
	page := readApplication(t, e, withPasskey)
	waitTrue(t, page, `document.querySelector('#application')?.dataset.state === 'new' && !!document.querySelector('#application-approve')`)
	if got := eval[string](t, page, `document.querySelector('#application-check').textContent`); got != check {
		t.Errorf("the family card sees check code %q, the renewed card %q", got, check)
	}
	if err := chromium.Click(page, "#application-approve"); err != nil {
		t.Fatal(err)
	}
	c := e.consent()
	e.step(c, "sheet")
	if got := eval[string](t, c, `document.querySelector('[data-call-kind="recovery-start"] [data-field="approvals"]')?.textContent ?? ''`); got != "2人（あなたを含む）" {
		t.Errorf("the family card's sheet counts %q approvals", got)
	}
	e.shot(c, "passkey-family-sheet")
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	e.waitClosed(c)
	waitTrue(t, page, `document.querySelector('#application')?.dataset.state === 'waiting'`)
	pending, err := recovery.Pending(e.ctx, e.chain.Client(), e.chain.Recovery(), acct)
	if err != nil {
		t.Fatal(err)
	}
	if pending.Approvals != 2 || pending.ExecuteAfter == 0 {
		t.Errorf("the chain's pending recovery: %+v, want two approvals", pending)
	}
}

// addAuthenticator gives the page of ctx a virtual platform authenticator that keeps passkeys and verifies
// the person at once.
func addAuthenticator(tb testing.TB, ctx context.Context) {
	tb.Helper()
	if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		tb.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
		Protocol: webauthn.AuthenticatorProtocolCtap2, Transport: webauthn.AuthenticatorTransportInternal,
		HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true,
	}}); err != nil {
		tb.Fatal(err)
	}
}
