package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"

	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
	"github.com/mynaconnect/mynaconnect/installer/findings"
)

func TestTwoTabsAreAskedOneAtATime(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card})
	// Two sites: each tab has its own session and challenge (one site in
	// two tabs would share a session, and the second challenge would
	// replace the first).
	site1, site2 := e.site(), e.site()
	page1, page2 := e.open(site1.Origin()), e.open(site2.Origin())

	e.startLogin(page1)
	first := e.consent()
	e.step(first, "sheet")
	e.startLogin(page2)
	waitTrue(t, first, `!document.querySelector('#queue').hidden && document.querySelector('#queue').textContent.includes('他に 1 件の要求が待っています')`)
	e.shot(first, "sheet-with-one-waiting")
	if n := len(e.consentTargets()); n != 1 {
		t.Errorf("%d consent windows are open at once, want 1", n)
	}
	checkSheetNames(t, first, site1.Origin(), site2.Origin())
	e.approve(first)
	e.typePIN(first, rightPIN, false)
	if res := e.result(page1); res.Status != "verified" {
		t.Fatalf("the first tab shows %+v", res)
	}
	if st := eval[string](t, page2, `document.querySelector('#result').dataset.status`); st != "working" {
		t.Errorf("the second tab shows %q while its request waits, want working", st)
	}

	// The second window opens once the first is gone.
	e.waitClosed(first)
	second := e.consent()
	e.step(second, "sheet")
	checkSheetNames(t, second, site2.Origin(), site1.Origin())
	if hidden := eval[bool](t, second, `document.querySelector('#queue').hidden`); !hidden {
		t.Errorf("the second window still shows a queue: %q", eval[string](t, second, `document.querySelector('#queue').textContent`))
	}
	e.approve(second)
	e.typePIN(second, rightPIN, false)
	if res := e.result(page2); res.Status != "verified" {
		t.Fatalf("the second tab shows %+v", res)
	}
	if n := card.Count(insSign); n != 2 {
		t.Errorf("the card signed %d times, want 2", n)
	}
}

func TestMissingHostOpensOnboarding(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card, noHost: true})
	site := e.site()
	page := e.open(site.Origin())

	e.startLogin(page)
	res := e.result(page)
	if res.Status != "rejected" || res.Reason != "HOST_MISSING" || !strings.Contains(res.Text, "4900") {
		t.Errorf("the site shows %+v, want rejected with 4900 HOST_MISSING", res)
	}
	onboarding, cancel, err := e.browser.WaitForTarget(e.ctx, e.browser.ExtensionURL("onboarding.html"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	// The page checks the host as it opens: no #recheck click. It says
	// what `mynaconnect doctor` says, from the same catalog: Chromium
	// reports a missing manifest and a manifest naming a missing binary
	// alike, so both findings show.
	waitTrue(t, onboarding, `document.body.dataset.hostState === 'missing' && document.querySelector('#findings li')`)
	checkOnboardingFindings(t, onboarding, "ja", findings.ManifestMissing, findings.HostBinaryMissing)
	e.shot(onboarding, "onboarding")
	if err := chromium.Click(onboarding, "#lang"); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, onboarding, `document.documentElement.lang === 'en'`)
	checkOnboardingFindings(t, onboarding, "en", findings.ManifestMissing, findings.HostBinaryMissing)
	e.shot(onboarding, "onboarding-en")
	// Checking again still finds no host, and says so.
	if err := chromium.Click(onboarding, "#recheck"); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, onboarding, `document.querySelector('#result .alert-title')?.textContent.startsWith('Not found yet') && document.querySelector('#findings li')`)
	checkOnboardingFindings(t, onboarding, "en", findings.ManifestMissing, findings.HostBinaryMissing)
	if n := len(e.consentTargets()); n != 0 {
		t.Errorf("%d consent windows opened without a host", n)
	}
	if n := len(card.Log()); n != 0 {
		t.Errorf("the card received %d APDUs without a host", n)
	}

	// A second failure does not open a second onboarding tab.
	e.startLogin(page)
	if res := e.result(page); res.Reason != "HOST_MISSING" {
		t.Errorf("the second login: %+v, want HOST_MISSING", res)
	}
	time.Sleep(300 * time.Millisecond)
	if n := e.countTargets(e.browser.ExtensionURL("onboarding.html")); n != 1 {
		t.Errorf("%d onboarding tabs are open, want 1", n)
	}
}

// checkOnboardingFindings checks that the onboarding page lists exactly
// the findings codes, each in the doctor's words for lang (the page calls
// the browser "this browser"), and names the commands to run.
func checkOnboardingFindings(t *testing.T, onboarding context.Context, lang string, codes ...string) {
	t.Helper()
	type item struct{ Code, Status, Text string }
	got := eval[[]item](t, onboarding, `[...document.querySelectorAll('#findings li')].map((li) =>
		({Code: li.dataset.code, Status: li.dataset.status, Text: li.textContent}))`)
	browser := map[string]string{"ja": "このブラウザ", "en": "this browser"}[lang]
	catalog := findings.Onboarding()
	var want []item
	for _, c := range codes {
		tmpl := catalog.Findings[c]
		want = append(want, item{c, string(tmpl.Status), tmpl.Fill(lang, map[string]string{"browser": browser})})
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("onboarding (%s) shows the findings\n  %q\nwant the doctor's\n  %q", lang, got, want)
	}
	cmds := eval[[]string](t, onboarding, `[document.querySelector('#run-install')?.textContent, document.querySelector('#run-doctor')?.textContent]`)
	install := "mynaconnect-install --extension-id " + manifesttemplates.DevelopmentExtensionID() // the unpacked build's own id
	if len(cmds) != 2 || cmds[0] != install || cmds[1] != "mynaconnect doctor" {
		t.Errorf("onboarding (%s) names the commands %q, want %q and mynaconnect doctor", lang, cmds, install)
	}
	text := eval[string](t, onboarding, `document.body.innerText`)
	if !strings.Contains(text, "make install") || !strings.Contains(text, "pcscd") {
		t.Errorf("onboarding (%s) does not mention make install and the full diagnosis (pcscd):\n%s", lang, text)
	}
}

func TestMalformedRequestsFailWithoutAWindow(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card})
	site := e.site()
	page := e.open(site.Origin())

	nonces := map[string]string{
		"5 bytes":          "c2hvcnQ=",
		"31 bytes":         b64(31),
		"not base64":       "this is not base64 but it is long enough to be 32 bytes!!",
		"URL-safe base64":  strings.NewReplacer("+", "-", "/", "_").Replace(plusSlashNonce()),
		"unpadded":         strings.TrimRight(b64(32), "="),
		"not a string":     "",
		"non-canonical":    b64(32)[:42] + "B=",
		"longer than 1024": b64(1024),
	}
	for name, nonce := range nonces {
		t.Run("nonce "+name, func(t *testing.T) {
			var params any = []any{map[string]any{"challengeNonce": nonce}}
			if name == "not a string" {
				params = []any{map[string]any{"challengeNonce": 12345}}
			}
			r := request(t, page, "mynaconnect_authenticate", params)
			if r.OK || r.Code != -32602 || r.Reason != "INVALID_PARAMS" {
				t.Errorf("got %v, want -32602 INVALID_PARAMS", r)
			}
		})
	}
	for name, params := range map[string]any{
		"no params":    nil,
		"empty list":   []any{},
		"extra member": []any{map[string]any{"challengeNonce": newNonce(), "origin": "https://bank.example"}},
		"two requests": []any{map[string]any{"challengeNonce": newNonce()}, map[string]any{"challengeNonce": newNonce()}},
	} {
		t.Run("params "+name, func(t *testing.T) {
			r := request(t, page, "mynaconnect_authenticate", params)
			if r.OK || r.Code != -32602 || r.Reason != "INVALID_PARAMS" {
				t.Errorf("got %v, want -32602 INVALID_PARAMS", r)
			}
		})
	}
	for _, method := range []string{"eth_sendRawTransaction", "eth_subscribe", "mynaconnect_sign", "authenticate", "readAuthCertificate"} {
		t.Run("method "+method, func(t *testing.T) {
			r := request(t, page, method, []any{map[string]any{"challengeNonce": newNonce()}})
			if r.OK || r.Code != 4200 || r.Reason != "UNSUPPORTED_METHOD" {
				t.Errorf("got %v, want 4200 UNSUPPORTED_METHOD", r)
			}
		})
	}
	// Not a request object at all: JSON-RPC's Invalid Request, not Invalid params.
	for name, args := range map[string]string{
		"no argument":       ``,
		"a string":          `'eth_accounts'`,
		"no method":         `{params: []}`,
		"empty method":      `{method: ''}`,
		"method not string": `{method: 7}`,
		"params a string":   `{method: 'eth_accounts', params: 'x'}`,
	} {
		t.Run("request "+name, func(t *testing.T) {
			r := eval[rpc](t, page, settle(`window.ethereum.request(`+args+`)`))
			if r.OK || r.Code != -32600 || r.Reason != "INVALID_REQUEST" {
				t.Errorf("got %v, want -32600 INVALID_REQUEST", r)
			}
		})
	}
	// Nothing was shown and nothing reached the card.
	time.Sleep(300 * time.Millisecond)
	if n := len(e.consentTargets()); n != 0 {
		t.Errorf("%d consent windows opened", n)
	}
	if n := card.Count(insSign); n != 0 || containsPIN(verifies(card)) {
		t.Errorf("the card received %d SIGN commands and VERIFYs %04X", n, verifies(card))
	}
}

func TestPermissionsFollowLoginAndRevocation(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card})
	site := e.site()
	other := e.site()
	page := e.open(site.Origin())

	perms := func() []permission {
		t.Helper()
		r := request(t, page, "wallet_getPermissions", nil)
		if !r.OK {
			t.Fatalf("wallet_getPermissions: %v", r)
		}
		var p []permission
		if err := json.Unmarshal(r.Result, &p); err != nil {
			t.Fatalf("wallet_getPermissions answered %s: %v", r.Result, err)
		}
		return p
	}
	badge := func(consent context.Context) bool {
		t.Helper()
		return eval[bool](t, consent, `!!document.querySelector('[data-badge="first-visit"]')`)
	}

	if p := perms(); len(p) != 0 {
		t.Fatalf("before any login the origin has permissions %+v", p)
	}

	// The first login: the sheet says the site is new.
	e.startLogin(page)
	consent := e.consent()
	e.step(consent, "sheet")
	if !badge(consent) {
		t.Error("the first sheet for the origin has no first-visit badge")
	}
	before := time.Now()
	e.approve(consent)
	e.typePIN(consent, rightPIN, false)
	if res := e.result(page); res.Status != "verified" {
		t.Fatalf("the site shows %+v", res)
	}
	p := perms()
	if len(p) != 1 || p[0].ParentCapability != "mynaconnect_authenticate" || p[0].Invoker != site.Origin() || len(p[0].Caveats) != 0 {
		t.Fatalf("after a login wallet_getPermissions = %+v, want mynaconnect_authenticate for %s", p, site.Origin())
	}
	if d := time.UnixMilli(p[0].Date); d.Before(before.Add(-time.Second)) || d.After(time.Now().Add(time.Second)) {
		t.Errorf("the permission is dated %v, want about now", d)
	}
	e.waitClosed(consent)

	// Another origin has none.
	otherPage := e.open(other.Origin())
	if r := request(t, otherPage, "wallet_getPermissions", nil); !r.OK || string(r.Result) != "[]" {
		t.Errorf("another origin's permissions: %v", r)
	}

	// The next sheet knows the site.
	e.startLogin(page)
	consent = e.consent()
	e.step(consent, "sheet")
	if badge(consent) {
		t.Error("the sheet still says first visit after an approved login")
	}
	e.cancelConsent(consent)
	e.result(page)
	e.waitClosed(consent)

	// Malformed revocations change nothing.
	for _, bad := range []any{nil, []any{}, []any{map[string]any{"snap_dialog": map[string]any{}}}} {
		if r := request(t, page, "wallet_revokePermissions", bad); r.OK || r.Reason != "INVALID_PARAMS" {
			t.Errorf("wallet_revokePermissions(%v) = %v, want INVALID_PARAMS", bad, r)
		}
	}
	if len(perms()) != 1 {
		t.Fatal("a malformed revocation removed the permission")
	}
	r := request(t, page, "wallet_revokePermissions", []any{map[string]any{"mynaconnect_authenticate": map[string]any{}}})
	if !r.OK || string(r.Result) != "null" {
		t.Fatalf("wallet_revokePermissions = %v, want null", r)
	}
	if p := perms(); len(p) != 0 {
		t.Fatalf("after revocation wallet_getPermissions = %+v", p)
	}

	// The origin is new again.
	e.startLogin(page)
	consent = e.consent()
	e.step(consent, "sheet")
	e.shot(consent, "sheet-first-visit-again")
	if !badge(consent) {
		t.Error("after revocation the sheet has no first-visit badge")
	}
	e.cancelConsent(consent)
	e.result(page)
}

// permission is an EIP-2255 permission as wallet_getPermissions gives it.
type permission struct {
	ParentCapability string `json:"parentCapability"`
	Invoker          string `json:"invoker"`
	Caveats          []any  `json:"caveats"`
	Date             int64  `json:"date"`
}
