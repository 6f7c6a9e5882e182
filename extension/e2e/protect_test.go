package e2e

import (
	"context"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/recovery"
	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// TestGuardiansProtectTheAccountAndARenewedCardTakesItOver walks the account's protection in the browser
// with the real host, virtual cards through pcscd and the dev chain: the person chooses guardians on
// 「アカウントを守る」, among them a family member's card account (a sheet from MynaConnect itself, the card and its
// PIN); the card is lost, and the renewed card applies to take over the account; the family member's card
// reads the application, its check code matches, and it starts the move with one approval; every sheet of the
// account shows the move in red, with the way to cancel, and the person (who found the card again) cancels it
// with one approval; then the card is lost for good: a new application, the family card's approval, the wait
// on the chain's clock, the family card finishes the move, and the renewed card sends from the account.
func TestGuardiansProtectTheAccountAndARenewedCardTakesItOver(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{chain: true, timeout: 4 * testTimeout})
	plugged := e.plug(card)
	acct := e.cardAccount(devchaintest.Ether(5), devchaintest.Ether(1000))
	guardian, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	guardianAddr := crypto.PubkeyToAddress(guardian.PublicKey)

	// 「アカウントを守る」: read the card, add the guardian, approve on MynaConnect's own sheet.
	options := e.tab(e.browser.ExtensionURL("options.html"))
	readProtection(t, options)
	if got := eval[string](t, options, `document.querySelector('#protect-account').textContent`); !strings.EqualFold(got, acct.Hex()) {
		t.Fatalf("「アカウントを守る」 shows account %s, want %s", got, acct.Hex())
	}
	waitTrue(t, options, `!!document.querySelector('#no-guardians')`)
	e.shot(options, "protect-no-guardians")
	addGuardianByAddress(t, options, guardianAddr, 1)

	// The natural guardian: a family member's card, placed on the reader instead and read without a PIN. Its
	// account pays the fees of the steps it takes later.
	family, familyAcct, _ := familyCard(t, e)
	plugged = swapCard(t, e, options, plugged, family)
	if err := chromium.Click(options, "#guardian-read-card"); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, options, `document.querySelectorAll('#draft-guardians li').length === 2 && document.querySelector('#protect-status')?.dataset.outcome === 'ok'`)
	if got := eval[string](t, options, `document.querySelectorAll('#draft-guardians li')[1].textContent`); !strings.Contains(strings.ToLower(got), strings.ToLower(familyAcct.Hex())) {
		t.Errorf("the family card added %q, want its account %s", got, familyAcct.Hex())
	}
	plugged = swapCard(t, e, options, plugged, card)
	e.shot(options, "protect-guardians-chosen")

	// Declining changes nothing, and twice in a row does not lock the person out of their own page (a site
	// would have to wait).
	for range 2 {
		if err := chromium.Click(options, "#save-guardians"); err != nil {
			t.Fatal(err)
		}
		c := e.consent()
		e.step(c, "sheet")
		e.cancelConsent(c)
		e.waitClosed(c)
		waitTrue(t, options, `document.querySelector('#protect-status')?.dataset.outcome === 'error' && document.querySelector('#protect-status').textContent.includes('何も変わっていません')`)
	}
	saveGuardians(t, e, options, func(c context.Context) {
		waitTrue(t, c, `!!document.querySelector('[data-call-kind="recovery-set-guardians"]')`)
		if got := eval[string](t, c, `document.querySelector('[data-section="asker"]').textContent`); !strings.Contains(got, "マイナコネクト") {
			t.Errorf("the sheet of MynaConnect's own change names %q as the asker", got)
		}
		if got := strings.ToLower(strings.ReplaceAll(eval[string](t, c, `document.querySelector('[data-call-kind="recovery-set-guardians"]').textContent`), " ", "")); !strings.Contains(got, "お金を動かすことも") ||
			!strings.Contains(got, strings.ToLower(guardianAddr.Hex())) || !strings.Contains(got, strings.ToLower(familyAcct.Hex())) || !strings.Contains(got, "2人のうち1人") {
			t.Errorf("the guardians' sheet reads %q", got)
		}
		e.shot(c, "protect-sheet")
	})
	waitTrue(t, options, `document.querySelector('#protect-status')?.dataset.outcome === 'ok' && document.querySelectorAll('#guardians li').length === 2`)
	e.shot(options, "protect-guardians-saved")
	if n := len(devchaintest.CallAs[[][32]byte](t, e.chain, e.chain.Recovery(), contracts.CardRecovery, "guardiansOf", acct)); n != 2 {
		t.Fatalf("the chain holds %d guardians, want 2", n)
	}

	// The card is lost. The renewed card applies to take over the account, and the family card agrees.
	old, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, renewed := vcardtest.Renewed(t, old)
	plugged = swapCard(t, e, options, plugged, renewed)
	application, check := applyToTakeOver(t, e, acct, "first")
	plugged = swapCard(t, e, options, plugged, family)
	agreeAsGuardian(t, e, application, check, acct, "first")

	// Every sheet of the account says so, in red; the person has found the card again.
	plugged = swapCard(t, e, options, plugged, card)
	page := e.open(e.site().Origin())
	startRequest(t, page, "connect", "eth_requestAccounts", nil)
	c := e.consent()
	e.step(c, "sheet")
	waitTrue(t, c, `document.querySelector('[data-warning="RECOVERY_PENDING"]')?.getAttribute('role') === 'alert' && !!document.querySelector('#open-protect')`)
	if got := eval[string](t, c, `document.querySelector('[data-warning="RECOVERY_PENDING"]').textContent`); !strings.Contains(got, "あと 72時間（3日） で") {
		t.Errorf("the pending recovery reads %q", got)
	}
	e.shot(c, "sheet-recovery-pending")
	if err := chromium.Click(c, "#open-protect"); err != nil {
		t.Fatal(err)
	}
	opened, cancelOpened, err := e.browser.WaitForTarget(e.ctx, e.browser.ExtensionURL("options.html#protect"))
	if err != nil {
		t.Fatalf("「この手続きを取り消す」 opened no 「アカウントを守る」: %v", err)
	}
	t.Cleanup(cancelOpened)
	e.cancelConsent(c)
	if r := requestResult(t, page, "connect"); r.OK {
		t.Errorf("the cancelled connect answered %s", r)
	}
	e.waitClosed(c)

	// One approval cancels it.
	readProtection(t, opened)
	waitTrue(t, opened, `document.querySelector('#pending-recovery')?.getAttribute('role') === 'alert'`)
	e.shot(opened, "protect-recovery-pending")
	if err := chromium.Click(opened, "#cancel-recovery"); err != nil {
		t.Fatal(err)
	}
	c = e.consent()
	e.step(c, "sheet")
	waitTrue(t, c, `!!document.querySelector('[data-call-kind="recovery-cancel"]')`)
	if eval[bool](t, c, `!!document.querySelector('#open-protect')`) {
		t.Error("the cancel's own sheet leads to 「アカウントを守る」 again")
	}
	e.shot(c, "protect-cancel-sheet")
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	e.waitClosed(c)
	waitTrue(t, opened, `document.querySelector('#protect-status')?.dataset.outcome === 'ok' && !document.querySelector('#pending-recovery')`)
	// The history, the latest first: chosen, started, cancelled.
	if got := eval[string](t, opened, `[...document.querySelectorAll('#protect-history li')].map((li) => li.dataset.kind).join()`); got != "recovery-cancelled,recovery-started,guardians-changed" {
		t.Errorf("the history reads %q", got)
	}
	e.shot(opened, "protect-recovery-cancelled")

	// Lost for good: the cancelled application is used up; a new one, the family card's approval, the wait,
	// and the family card finishes the move.
	plugged = swapCard(t, e, options, plugged, family)
	guardianPage := readApplication(t, e, application)
	waitTrue(t, guardianPage, `document.querySelector('#application')?.dataset.state === 'used'`)
	plugged = swapCard(t, e, options, plugged, renewed)
	application, check = applyToTakeOver(t, e, acct, "second")
	plugged = swapCard(t, e, options, plugged, family)
	guardianPage = agreeAsGuardian(t, e, application, check, acct, "second")
	if err := e.chain.AdvanceTime(72*time.Hour + time.Second); err != nil {
		t.Fatal(err)
	}
	if err := chromium.Click(guardianPage, "#application-read"); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, guardianPage, `document.querySelector('#application')?.dataset.state === 'ready'`)
	sendRecoveryCall(t, e, guardianPage, "#application-finish", "recovery-execute", "guardian-finish-sheet")
	waitTrue(t, guardianPage, `document.querySelector('#protect-status')?.dataset.outcome === 'ok' && document.querySelector('#application')?.dataset.state === 'used'`)
	e.shot(guardianPage, "guardian-finished")

	// The renewed card, placed on the reader, is shown the account it took over and sends from it.
	swapCard(t, e, options, plugged, renewed)
	e.connect(page)
	bob := common.HexToAddress("0x00000000000000000000000000000000b0b0e2e1")
	e.signInWindow(page, "eth_sendTransaction", []any{map[string]any{"from": acct.Hex(), "to": bob.Hex(), "value": "0x" + strconv.FormatInt(7e15, 16)}}, "calls")
	if bal := devchaintest.Balance(t, e.chain, bob); bal.Cmp(big.NewInt(7e15)) != 0 {
		t.Errorf("bob has %s wei after the renewed card sent 0.007 ETH", bal)
	}
}

// applyToTakeOver has the renewed card on the reader apply, on a fresh 「アカウントを守る」, to take over acct
// (the page offers it: it showed that account before), and returns the application's text and check code.
func applyToTakeOver(tb testing.TB, e *env, acct common.Address, shot string) (application, check string) {
	tb.Helper()
	page := e.tab(e.browser.ExtensionURL("options.html"))
	readProtection(tb, page)
	if got := eval[string](tb, page, `document.querySelector('#handover-account').value`); !strings.EqualFold(got, acct.Hex()) {
		tb.Fatalf("the renewed card is offered %q to take over, want the account shown before, %s", got, acct.Hex())
	}
	if err := chromium.Click(page, "#handover-apply"); err != nil {
		tb.Fatal(err)
	}
	c := e.consent()
	e.step(c, "sheet")
	if got := eval[string](tb, c, `document.querySelector('[data-item="signature"]')?.textContent ?? ''`); !strings.Contains(got, "アカウントを引き継ぐための署名") || !strings.Contains(strings.ToLower(got), strings.ToLower(acct.Hex())) {
		tb.Errorf("the application's sheet reads %q", got)
	}
	e.shot(c, "handover-sheet-"+shot)
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	e.waitClosed(c)
	waitTrue(tb, page, `document.querySelector('#handover-code')?.value.startsWith('MYNA-HANDOVER-1:') && !!document.querySelector('#handover-check')`)
	e.shot(page, "handover-application-"+shot)
	return eval[string](tb, page, `document.querySelector('#handover-code').value`), eval[string](tb, page, `document.querySelector('#handover-check').textContent`)
}

// readApplication pastes an application into a fresh 「アカウントを守る」 of the card on the reader (a
// guardian's) and reads it.
func readApplication(tb testing.TB, e *env, application string) context.Context {
	tb.Helper()
	page := e.tab(e.browser.ExtensionURL("options.html"))
	readProtection(tb, page)
	pasteApplication(tb, page, application)
	waitTrue(tb, page, `!!document.querySelector('#application')`)
	return page
}

// agreeAsGuardian has the family card on the reader read the application, find the same check code, and
// start the move with one approval; it returns the guardian's page.
func agreeAsGuardian(tb testing.TB, e *env, application, check string, acct common.Address, shot string) context.Context {
	tb.Helper()
	page := readApplication(tb, e, application)
	waitTrue(tb, page, `document.querySelector('#application')?.dataset.state === 'new'`)
	if got := eval[string](tb, page, `document.querySelector('#application-check').textContent`); got != check {
		tb.Errorf("the guardian sees check code %q, the renewed card %q", got, check)
	}
	e.shot(page, "guardian-application-"+shot)
	if err := chromium.Click(page, "#application-approve"); err != nil {
		tb.Fatal(err)
	}
	c := e.consent()
	e.step(c, "sheet")
	waitTrue(tb, c, `!!document.querySelector('[data-call-kind="recovery-start"]') && !!document.querySelector('[data-warning="GUARDIAN_APPROVAL"]')`)
	if got := eval[string](tb, c, `document.querySelector('[data-call-kind="recovery-start"]').textContent`); !strings.Contains(got, check) || !strings.Contains(strings.ToLower(got), strings.ToLower(acct.Hex())) {
		tb.Errorf("the guardian's sheet reads %q, want the account and check code %s", got, check)
	}
	e.shot(c, "guardian-sheet-"+shot)
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	e.waitClosed(c)
	waitTrue(tb, page, `document.querySelector('#protect-status')?.dataset.outcome === 'ok' && document.querySelector('#application')?.dataset.state === 'waiting'`)
	e.shot(page, "guardian-started-"+shot)
	return page
}

// swapCard takes the card of plugged off reader 0 and places next there, as a person does with one reader,
// and waits until the settings page options sees the new card.
func swapCard(tb testing.TB, e *env, options context.Context, plugged *vcard.Conn, next *vcard.Card) *vcard.Conn {
	tb.Helper()
	reader := strconv.Quote(e.daemon.ReaderName(0))
	plugged.Close()
	waitTrue(tb, options, `document.querySelector('label.reader[data-reader=`+reader+`]')?.dataset.state === 'empty'`)
	conn := e.plug(next)
	waitTrue(tb, options, `document.querySelector('label.reader[data-reader=`+reader+`]')?.dataset.state === 'mynumber'`)
	return conn
}

// readProtection presses 「カードを読み取る」 on 「アカウントを守る」 and waits for the account.
func readProtection(tb testing.TB, options context.Context) {
	tb.Helper()
	// Clicked from the page itself: the section redraws as readers come and go, and a node the driver
	// found a moment before may be gone.
	waitTrue(tb, options, `!!document.querySelector('#protect-read')`)
	eval[bool](tb, options, `(document.querySelector('#protect-read').click(), true)`)
	waitTrue(tb, options, `!!document.querySelector('#protect-account')`)
	eval[bool](tb, options, `(document.querySelector('#protect').scrollIntoView(), true)`)
}

// A site that asks the account to choose its guardians (the first choice takes effect at once, so a
// phishing site's own address would be in a position to move the account), alone or hidden in a batch,
// or for a guardian's approval of moving another account, gets INVALID_PARAMS from the sheet's one
// reading: no PIN, no signature, no change on chain. (A site's cancel of a recovery is refused the same
// way, wasm/ethsheet TestRecoveryCalls; with none pending its simulation reverts before any sheet.)
func TestASiteCannotTouchTheAccountsProtection(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card, chain: true})
	acct := e.cardAccount(devchaintest.Ether(1), devchaintest.Ether(10))
	page := e.open(e.site().Origin())
	e.connect(page)

	attacker := common.HexToAddress("0x00000000000000000000000000000000bad0bad0")
	setGuardians, err := contracts.CardRecovery.Pack("setGuardians", [][]byte{attacker.Bytes()}, uint8(1), uint32(0))
	if err != nil {
		t.Fatal(err)
	}
	rec := e.chain.Recovery().Hex()
	// A guardian's start of moving another account to the attacker's key (the account approves by calling).
	attackerKey := devchaintest.OwnerOf(t, mustPKI(t))
	startMove, err := contracts.CardRecovery.Pack("startRecovery", common.HexToAddress("0x00000000000000000000000000000000000a11ce"),
		attackerKey.E, attackerKey.N, make([]byte, 256), [][]byte{acct.Bytes()}, [][]byte{{}})
	if err != nil {
		t.Fatal(err)
	}
	// What a guardian's card would sign to approve moving someone's account to the attacker's key.
	approval := `{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],` +
		`"Recovery":[{"name":"account","type":"address"},{"name":"newKeyHash","type":"bytes32"},{"name":"nonce","type":"uint256"}]},"primaryType":"Recovery",` +
		`"domain":{"name":"CardRecovery","version":"1","chainId":1337,"verifyingContract":"` + rec + `"},` +
		`"message":{"account":"0x00000000000000000000000000000000000a11ce","newKeyHash":"0x` + strings.Repeat("5e", 32) + `","nonce":"0"}}`
	attacks := []struct {
		name, method string
		params       []any
	}{
		{"choose guardians", "eth_sendTransaction", []any{map[string]any{"from": acct.Hex(), "to": rec, "data": hexutil.Encode(setGuardians)}}},
		{"choose guardians, hidden in a batch", "wallet_sendCalls", []any{map[string]any{"version": "2.0.0", "chainId": "0x539", "from": acct.Hex(), "atomicRequired": true,
			"calls": []any{map[string]any{"to": attacker.Hex(), "value": "0x1"}, map[string]any{"to": strings.ToLower(rec), "data": hexutil.Encode(setGuardians)}}}}},
		{"a guardian's approval", "eth_signTypedData_v4", []any{acct.Hex(), approval}},
		{"a guardian's start of a move", "eth_sendTransaction", []any{map[string]any{"from": acct.Hex(), "to": rec, "data": hexutil.Encode(startMove)}}},
	}
	for _, a := range attacks {
		name := a.name
		startRequest(t, page, "attack", a.method, a.params)
		if r := requestResult(t, page, "attack"); r.Code != -32602 || r.Reason != "INVALID_PARAMS" || !strings.Contains(r.Message, "recovery contract") {
			t.Errorf("%s: the page got %s, want INVALID_PARAMS naming the recovery contract", name, r)
		}
		waitNoConsent(t, e)
	}
	if n := card.Count(insSign); n != 0 {
		t.Errorf("the card signed %d times", n)
	}
	if containsPIN(verifies(card)) {
		t.Errorf("a PIN reached the card: VERIFY status words %04x", verifies(card))
	}
	if code, _ := e.chain.Client().CodeAt(e.ctx, acct, nil); len(code) != 0 {
		t.Error("the account was deployed: something was sent")
	}
}

// waitNoConsent waits until no consent window is open.
func waitNoConsent(tb testing.TB, e *env) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(e.consentTargets()) != 0 {
		if time.Now().After(deadline) {
			tb.Fatalf("%d consent windows are left open", len(e.consentTargets()))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// From 90 days before the card's certificate expires, every sheet of the account says when the key will
// change and, without guardians, offers to add them.
func TestTheSheetsSayTheKeyWillChangeBeforeTheRenewal(t *testing.T) {
	// Issued five years ago less 30 days: it expires in about a month.
	p, err := testpki.Generate(time.Now().AddDate(-5, 0, 30))
	if err != nil {
		t.Fatal(err)
	}
	card, err := vcard.New(vcard.ConfigFromPKI(p))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOptions{card: card, chain: true})
	page := e.open(e.site().Origin())
	startRequest(t, page, "connect", "eth_requestAccounts", nil)
	c := e.consent()
	e.step(c, "sheet")
	waitTrue(t, c, `!!document.querySelector('[data-warning="KEY_CHANGE_SOON"]') && !!document.querySelector('[data-warning="NO_GUARDIANS"] #open-protect')`)
	if got := eval[string](t, c, `document.querySelector('#open-protect').textContent`); got != "見守り人を登録する" {
		t.Errorf("the way to 「アカウントを守る」 reads %q", got)
	}
	e.shot(c, "sheet-key-change-soon")
	e.approve(c)
	if r := requestResult(t, page, "connect"); !r.OK {
		t.Errorf("eth_requestAccounts: %s", r)
	}
}

// Renewal without drama: while the previous card still works, the renewed card applies to take over the
// account, the previous card switches it at once (no guardians, no wait), and the renewed card is then
// shown the account and sends from it.
func TestARenewedCardTakesOverAtOnceWhileThePreviousOneWorks(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{chain: true, timeout: 2 * testTimeout})
	plugged := e.plug(card)
	acct := e.cardAccount(devchaintest.Ether(5), nil)
	page := e.open(e.site().Origin())
	e.connect(page)
	bob := common.HexToAddress("0x00000000000000000000000000000000b0b0e2e2")
	send := []any{map[string]any{"from": acct.Hex(), "to": bob.Hex(), "value": "0x1"}}
	e.signInWindow(page, "eth_sendTransaction", send, "calls") // deploys the account

	old, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	renewedPKI, renewed := vcardtest.Renewed(t, old)
	options := e.tab(e.browser.ExtensionURL("options.html"))
	plugged = swapCard(t, e, options, plugged, renewed)
	readProtection(t, options)
	eval[bool](t, options, `(() => { const i = document.querySelector('#handover-account'); i.value = `+strconv.Quote(acct.Hex())+`; i.dispatchEvent(new Event('input')); return true; })()`)
	if err := chromium.Click(options, "#handover-apply"); err != nil {
		t.Fatal(err)
	}
	c := e.consent()
	e.step(c, "sheet")
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	e.waitClosed(c)
	waitTrue(t, options, `!!document.querySelector('#handover-rotate')`)

	plugged = swapCard(t, e, options, plugged, card)
	sendRecoveryCall(t, e, options, "#handover-rotate", "recovery-rotate", "rotate-sheet")
	waitTrue(t, options, `document.querySelector('#protect-status')?.dataset.outcome === 'ok'`)
	if got := devchaintest.CallAs[[32]byte](t, e.chain, acct, contracts.CardAccount, "keyHash"); got != devchaintest.OwnerOf(t, renewedPKI).KeyHash() {
		t.Fatal("the account is not the renewed card's")
	}

	swapCard(t, e, options, plugged, renewed)
	e.signInWindow(page, "eth_sendTransaction", send, "calls")
	if bal := devchaintest.Balance(t, e.chain, bob); bal.Cmp(big.NewInt(2)) != 0 {
		t.Errorf("bob has %s wei, want 2: one from each card", bal)
	}
}

func mustPKI(tb testing.TB) *testpki.PKI {
	tb.Helper()
	p, err := testpki.Generate(time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// Two family cards must agree: the first, whose account has code, signs its approval (EIP-712, through its
// account's ERC-1271) into the application; the second starts the move with it and its own, and the chain
// counts both.
func TestTwoFamilyCardsAgree(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{chain: true, timeout: 3 * testTimeout})
	plugged := e.plug(card)
	acct := e.cardAccount(devchaintest.Ether(5), nil)
	first, firstAcct, firstOwner := familyCard(t, e)
	second, secondAcct, _ := familyCard(t, e)
	create, err := contracts.CardAccountFactory.Pack("createAccount", firstOwner.E, firstOwner.N, new(big.Int))
	if err != nil {
		t.Fatal(err)
	}
	factory := e.chain.AccountFactory()
	if _, err := e.chain.Send(e.ctx, devchain.FaucetKey, &factory, nil, create); err != nil {
		t.Fatalf("deploying the first family card's account: %v", err)
	}

	options := e.tab(e.browser.ExtensionURL("options.html"))
	readProtection(t, options)
	addGuardianByAddress(t, options, firstAcct, 1)
	addGuardianByAddress(t, options, secondAcct, 2)
	chooseQuorum(t, options, 2)
	saveGuardians(t, e, options, nil)
	waitTrue(t, options, `document.querySelectorAll('#guardians li').length === 2`)

	old, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, renewed := vcardtest.Renewed(t, old)
	plugged = swapCard(t, e, options, plugged, renewed)
	application, _ := applyToTakeOver(t, e, acct, "two-cards")

	// The first family card signs its approval into the application.
	plugged = swapCard(t, e, options, plugged, first)
	page := readApplication(t, e, application)
	waitTrue(t, page, `document.querySelector('#application')?.dataset.state === 'new' && !!document.querySelector('#application-sign') && !document.querySelector('#application-approve')`)
	if err := chromium.Click(page, "#application-sign"); err != nil {
		t.Fatal(err)
	}
	c := e.consent()
	e.step(c, "sheet")
	waitTrue(t, c, `!!document.querySelector('[data-warning="GUARDIAN_APPROVAL"]')`)
	if got := eval[string](t, c, `document.querySelector('[data-item="signature"]').textContent`); !strings.Contains(got, "見守り人として同意する署名") {
		t.Errorf("the first family card's sheet reads %q", got)
	}
	e.shot(c, "first-family-approval-sheet")
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	e.waitClosed(c)
	waitTrue(t, page, `document.querySelector('#protect-status')?.dataset.outcome === 'ok' && document.querySelector('#application-approvals')?.textContent.includes('1 人（必要なのは 2 人）') && !document.querySelector('#application-sign')`)
	withFirst := eval[string](t, page, `document.querySelector('#application-text').value`)

	// The second starts the move with both.
	swapCard(t, e, options, plugged, second)
	page = readApplication(t, e, withFirst)
	waitTrue(t, page, `document.querySelector('#application')?.dataset.state === 'new' && !!document.querySelector('#application-approve')`)
	if err := chromium.Click(page, "#application-approve"); err != nil {
		t.Fatal(err)
	}
	c = e.consent()
	e.step(c, "sheet")
	if got := eval[string](t, c, `document.querySelector('[data-call-kind="recovery-start"] [data-field="approvals"]')?.textContent ?? ''`); got != "2人（あなたを含む）" {
		t.Errorf("the second family card's sheet counts %q approvals", got)
	}
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	e.waitClosed(c)
	waitTrue(t, page, `document.querySelector('#application')?.dataset.state === 'waiting'`)
	pending, err := recovery.Pending(e.ctx, e.chain.Client(), e.chain.Recovery(), acct)
	if err != nil {
		t.Fatal(err)
	}
	if pending.Approvals != 2 {
		t.Errorf("the chain's pending recovery: %+v, want two approvals", pending)
	}
}

// familyCard is a family member's card with a key of its own, its account (funded for fees) and its owner.
func familyCard(tb testing.TB, e *env) (*vcard.Card, common.Address, account.Owner) {
	tb.Helper()
	p, err := testpki.Generate(time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	owner := devchaintest.OwnerOf(tb, p)
	addr, err := owner.Address(e.chain.AccountFactory(), new(big.Int))
	if err != nil {
		tb.Fatal(err)
	}
	if err := e.chain.Fund(e.ctx, addr, devchaintest.Ether(1), nil); err != nil {
		tb.Fatal(err)
	}
	c, err := vcard.New(vcard.ConfigFromPKI(p))
	if err != nil {
		tb.Fatal(err)
	}
	return c, addr, owner
}

// addGuardianByAddress types a guardian's address on 「アカウントを守る」 and adds it to the list being
// chosen, which then has want entries.
func addGuardianByAddress(tb testing.TB, options context.Context, addr common.Address, want int) {
	tb.Helper()
	eval[string](tb, options, `document.querySelector('#guardian-address').value = `+strconv.Quote(addr.Hex()))
	if err := chromium.Click(options, "#guardian-add"); err != nil {
		tb.Fatal(err)
	}
	waitTrue(tb, options, `document.querySelectorAll('#draft-guardians li').length === `+strconv.Itoa(want))
}

// chooseQuorum sets how many guardians must agree.
func chooseQuorum(tb testing.TB, options context.Context, n int) {
	tb.Helper()
	eval[bool](tb, options, `(() => { const s = document.querySelector('#threshold'); s.value = '`+strconv.Itoa(n)+`'; s.dispatchEvent(new Event('change')); return true; })()`)
}

// saveGuardians presses 「この内容で登録する」 and approves the sheet with the card's PIN; check, when not
// nil, reads the sheet first.
func saveGuardians(tb testing.TB, e *env, options context.Context, check func(c context.Context)) {
	tb.Helper()
	if err := chromium.Click(options, "#save-guardians"); err != nil {
		tb.Fatal(err)
	}
	c := e.consent()
	e.step(c, "sheet")
	if check != nil {
		check(c)
	}
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	e.waitClosed(c)
}

// pasteApplication puts an application's text into the guardian's box and reads it.
func pasteApplication(tb testing.TB, page context.Context, application string) {
	tb.Helper()
	eval[bool](tb, page, `(() => { const t = document.querySelector('#application-text'); t.value = `+strconv.Quote(application)+`; t.dispatchEvent(new Event('input')); return true; })()`)
	if err := chromium.Click(page, "#application-read"); err != nil {
		tb.Fatal(err)
	}
}

// sendRecoveryCall presses button on page, waits for the sheet of the recovery call kind, and approves it
// with the card's PIN.
func sendRecoveryCall(tb testing.TB, e *env, page context.Context, button, kind, shot string) {
	tb.Helper()
	if err := chromium.Click(page, button); err != nil {
		tb.Fatal(err)
	}
	c := e.consent()
	e.step(c, "sheet")
	waitTrue(tb, c, `!!document.querySelector('[data-call-kind="`+kind+`"]')`)
	e.shot(c, shot)
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	e.waitClosed(c)
}
