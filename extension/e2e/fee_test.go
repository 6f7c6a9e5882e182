package e2e

import (
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// The review's gas burner through the real path: a page sends 1 wei to a
// contract that burns a million gas on receipt. The sheet shows the most
// the account can pay and warns that it is high for what the call does;
// after the PIN the account has paid no more than the sheet showed. A
// burner above the cap is refused before the sheet, with no PIN asked. With
// the built-in relayer and with Alto sizing the operation too.
func TestTheSheetShowsTheMostTheAccountPaysForGas(t *testing.T) {
	for _, sub := range submitters {
		t.Run(sub.name, func(t *testing.T) {
			card := vcardtest.NewCard(t, nil)
			e := newEnv(t, envOptions{card: card, chain: true, bundler: sub.bundler, timeout: 2 * testTimeout})
			acct := e.cardAccount(devchaintest.Ether(2), nil)
			page := e.open(e.site().Origin())
			e.connect(page)

			burner := devchaintest.DeployGasBurner(t, e.chain, 1_000_000)
			startRequest(t, page, "burn", "eth_sendTransaction", []any{map[string]any{"from": acct.Hex(), "to": burner.Hex(), "value": "0x1"}})
			c := e.consent()
			e.step(c, "sheet")
			shownWei := eval[string](t, c, `document.querySelector('[data-item="fee"]')?.dataset.maxCostWei ?? ''`)
			shown, ok := new(big.Int).SetString(shownWei, 10)
			if !ok || shown.Sign() <= 0 {
				t.Fatalf("the sheet shows no maximum fee (%q)", shownWei)
			}
			if text := eval[string](t, c, `document.querySelector('[data-field="maxFee"]').textContent`); !strings.Contains(text, "ETH") {
				t.Errorf("the fee line reads %q", text)
			}
			if eval[int](t, c, `document.querySelectorAll('[data-warning="HIGH_FEE"]').length`) != 1 {
				t.Error("no HIGH_FEE warning for 1 wei that burns a million gas")
			}
			e.shot(c, "fee-line-and-high-fee-warning")
			fees := devchaintest.MeterFees(t, e.chain, acct)
			e.approve(c)
			e.typePIN(c, rightPIN, false)
			if r := requestResult(t, page, "burn"); !r.OK {
				t.Fatalf("eth_sendTransaction: %s", r)
			}
			e.waitClosed(c)
			// The account prefunds at most the maximum; what it did not use stays
			// as its EntryPoint deposit for the next operations.
			if prefund, paid := fees.Since(big.NewInt(1)); prefund.Cmp(shown) > 0 || paid.Sign() <= 0 || paid.Cmp(shown) > 0 {
				t.Errorf("the account prefunded %s and paid %s wei; the sheet showed at most %s", prefund, paid, shown)
			}

			heavy := devchaintest.DeployGasBurner(t, e.chain, 2_000_000)
			startRequest(t, page, "heavy", "eth_sendTransaction", []any{map[string]any{"from": acct.Hex(), "to": heavy.Hex(), "value": "0x1"}})
			c = e.consent()
			e.step(c, "error")
			if text := eval[string](t, c, `document.querySelector('.alert').textContent`); !strings.Contains(text, "手数料") {
				t.Errorf("the window says %q, want that the fee is too high", text)
			}
			e.shot(c, "gas-limit-exceeded")
			if err := chromium.Click(c, "#close"); err != nil {
				t.Fatal(err)
			}
			if r := requestResult(t, page, "heavy"); r.Reason != "GAS_LIMIT_EXCEEDED" {
				t.Errorf("the page got %s, want GAS_LIMIT_EXCEEDED", r)
			}
			if n := card.Count(insSign); n != 1 {
				t.Errorf("the card signed %d times, want 1", n)
			}
		})
	}
}

// An account that holds JPYC and no ETH sends JPYC from a dapp, through the
// real extension, host, card and Alto in safe mode: a hostile request for
// every JPYC (none left for the fee) ends before any sheet with no PIN;
// then the sheet shows the fee in JPYC (the most, in yen, and who takes it),
// the PIN sends, the recipient gets the JPYC, and the account paid at most
// the most shown and still holds no ETH.
func TestAnAccountWithOnlyJPYCPaysItsFeeInJPYC(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card, chain: true, bundler: true, timeout: 2 * testTimeout})
	acct := e.cardAccount(nil, devchaintest.Ether(1_000))
	page := e.open(e.site().Origin())
	e.connect(page)

	to := common.HexToAddress("0x00000000000000000000000000000000000fee20")
	// A page asking to send every JPYC: nothing would be left for the fee, so the window says so before
	// any sheet, no PIN is asked, and the page gets TRANSACTION_REVERTED.
	everything, err := contracts.TestJPYC.Pack("transfer", to, devchaintest.Ether(1_000))
	if err != nil {
		t.Fatal(err)
	}
	startRequest(t, page, "all", "eth_sendTransaction", []any{map[string]any{"from": acct.Hex(), "to": e.chain.Token().Hex(), "data": hexutil.Encode(everything)}})
	c := e.consent()
	e.step(c, "error")
	e.shot(c, "nothing-left-for-the-fee")
	if err := chromium.Click(c, "#close"); err != nil {
		t.Fatal(err)
	}
	if r := requestResult(t, page, "all"); r.Reason != "TRANSACTION_REVERTED" {
		t.Errorf("the page got %s, want TRANSACTION_REVERTED", r)
	}
	if containsPIN(verifies(card)) {
		t.Errorf("a PIN was sent to the card: VERIFY status words %04x", verifies(card))
	}

	transfer, err := contracts.TestJPYC.Pack("transfer", to, devchaintest.Ether(100))
	if err != nil {
		t.Fatal(err)
	}
	startRequest(t, page, "send", "eth_sendTransaction", []any{map[string]any{"from": acct.Hex(), "to": e.chain.Token().Hex(), "data": hexutil.Encode(transfer)}})
	c = e.consent()
	e.step(c, "sheet")
	most := eval[string](t, c, `document.querySelector('[data-item="fee"]')?.dataset.maxTokenCost ?? ''`)
	text := eval[string](t, c, `document.querySelector('[data-item="fee"] [data-field="maxFee"]').textContent`)
	label := eval[string](t, c, `document.querySelector('[data-item="fee"]').textContent`)
	if most == "" || !strings.Contains(text, "JPYC") || !strings.Contains(text, "円") || !strings.Contains(label, "JPYCで払います") {
		t.Fatalf("the fee line reads %q (most %q)", label, most)
	}
	e.shot(c, "fee-in-jpyc")
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	if r := requestResult(t, page, "send"); !r.OK {
		t.Fatalf("eth_sendTransaction: %s", r)
	}
	e.waitClosed(c)
	if got := devchaintest.TokenBalance(t, e.chain, to); got.Cmp(devchaintest.Ether(100)) != 0 {
		t.Errorf("the recipient holds %s JPYC units", got)
	}
	shown, ok := new(big.Float).SetString(most)
	paid := new(big.Float).Quo(new(big.Float).SetInt(new(big.Int).Sub(devchaintest.Ether(900), devchaintest.TokenBalance(t, e.chain, acct))), big.NewFloat(1e18))
	if !ok || paid.Sign() <= 0 || paid.Cmp(shown) > 0 {
		t.Errorf("the fee was %s JPYC; the sheet showed at most %s", paid, most)
	}
	if devchaintest.Balance(t, e.chain, acct).Sign() != 0 {
		t.Error("the account holds ETH")
	}
	t.Logf("fee %s JPYC of at most %s shown", paid.Text('f', 4), most)
}
