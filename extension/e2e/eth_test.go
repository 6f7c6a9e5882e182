package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/sigcheck"
	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// startChain starts a dev chain on a free port for one test and returns it
// with the path of its chains.json, for the host. With bundler, Alto in
// ERC-7562 safe mode serves the chain and the file names it as the chain's
// bundlerUrl, which the host then prefers to its built-in relayer.
func startChain(tb testing.TB, ctx context.Context, bundler bool) (*devchain.Chain, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "chains.json")
	c, err := devchain.Start(ctx, devchain.Options{Addr: "127.0.0.1:0", ConfigPath: path})
	if err != nil {
		tb.Fatalf("starting the dev chain: %v", err)
	}
	tb.Cleanup(func() { c.Close() })
	if bundler {
		f := c.ConfigFile()
		f.Networks[0].BundlerURL = devchaintest.StartBundler(tb, c)
		if err := f.Write(path); err != nil {
			tb.Fatal(err)
		}
	}
	return c, path
}

// submitters are the two ways the chain takes the card's UserOperations in
// the Ethereum walks: the dev configuration's built-in relayer, and Alto in
// ERC-7562 safe mode, as a public network's bundler.
var submitters = []struct {
	name    string
	bundler bool
}{{"built-in relayer", false}, {"Alto in safe mode", true}}

// cardAccount is the address of the account (index 0) of a card made by
// vcardtest.NewCard (the test PKI's default certificate) on the env's chain,
// funded with ETH and test JPYC.
func (e *env) cardAccount(eth, jpyc *big.Int) common.Address {
	e.tb.Helper()
	cfg, err := vcard.DefaultConfig()
	if err != nil {
		e.tb.Fatal(err)
	}
	owner, err := account.OwnerFromCertificate(cfg.AuthCert)
	if err != nil {
		e.tb.Fatal(err)
	}
	addr, err := owner.Address(e.chain.AccountFactory(), new(big.Int))
	if err != nil {
		e.tb.Fatal(err)
	}
	if err := e.chain.Fund(e.ctx, addr, eth, jpyc); err != nil {
		e.tb.Fatal(err)
	}
	return addr
}

// ethCall is an eth_call of data on to.
func ethCall(to common.Address, data []byte) ethereum.CallMsg {
	return ethereum.CallMsg{To: &to, Data: data}
}

// checkSignature checks sig with the standard ERC-6492 validator, as a
// dapp's server does, and reports how it verified.
func (e *env) checkSignature(signer common.Address, hash common.Hash, sig string) sigcheck.Method {
	e.tb.Helper()
	res, err := sigcheck.Verify(e.ctx, e.chain.Client(), signer, hash, hexutil.MustDecode(sig))
	if err != nil {
		e.tb.Fatal(err)
	}
	if !res.Valid {
		e.tb.Fatalf("the signature does not verify for %s: %s", signer, res.Reason)
	}
	return res.Method
}

func resultString(tb testing.TB, r rpc) string {
	tb.Helper()
	var s string
	if !r.OK || json.Unmarshal(r.Result, &s) != nil {
		tb.Fatalf("want a string result, got %s", r)
	}
	return s
}

func TestEthereumRequestsThatNeedNoWindow(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card, chain: true})
	acct := e.cardAccount(devchaintest.Ether(2), nil)
	page := e.open(e.site().Origin())

	tests := []struct {
		method string
		params any
		check  func(r rpc) bool
		want   string
	}{
		{"eth_chainId", nil, func(r rpc) bool { return string(r.Result) == `"0x539"` }, `"0x539"`},
		{"net_version", nil, func(r rpc) bool { return string(r.Result) == `"1337"` }, `"1337"`},
		{"eth_accounts", nil, func(r rpc) bool { return string(r.Result) == `[]` }, "[] before a connect"},
		{"eth_getBalance", []any{acct.Hex(), "latest"}, func(r rpc) bool { return string(r.Result) == `"0x1bc16d674ec80000"` }, "2 ETH from the chain"},
		{"eth_blockNumber", nil, func(r rpc) bool { return r.OK && strings.HasPrefix(string(r.Result), `"0x`) }, "a block number"},
		{"wallet_getCapabilities", []any{acct.Hex()}, func(r rpc) bool {
			return string(r.Result) == `{"0x539":{"atomic":{"status":"supported"}}}`
		}, "atomic batches on 0x539"},
		{"eth_sign", []any{acct.Hex(), "0x" + strings.Repeat("11", 32)}, func(r rpc) bool { return r.Code == 4200 && r.Reason == "NO_RAW_KEY" }, "4200 NO_RAW_KEY"},
		{"eth_signTransaction", []any{map[string]any{"from": acct.Hex()}}, func(r rpc) bool { return r.Code == 4200 && r.Reason == "NO_RAW_KEY" }, "4200 NO_RAW_KEY"},
		{"eth_sendRawTransaction", []any{"0x00"}, func(r rpc) bool { return r.Code == 4200 && r.Reason == "UNSUPPORTED_METHOD" }, "4200 UNSUPPORTED_METHOD"},
		{"personal_sign", []any{"0x68656c6c6f", acct.Hex()}, func(r rpc) bool { return r.Code == 4100 && r.Reason == "UNAUTHORIZED" }, "4100 before a connect"},
		{"eth_sendTransaction", []any{map[string]any{"from": acct.Hex(), "to": acct.Hex()}}, func(r rpc) bool { return r.Code == 4100 }, "4100 before a connect"},
		{"wallet_sendCalls", []any{map[string]any{"version": "2.0.0", "calls": []any{map[string]any{"to": acct.Hex()}}}}, func(r rpc) bool { return r.Code == 4100 && r.Reason == "UNAUTHORIZED" }, "4100 before a connect"},
		{"wallet_switchEthereumChain", []any{map[string]any{"chainId": "0x1"}}, func(r rpc) bool { return r.Code == 4902 && r.Reason == "UNRECOGNIZED_CHAIN" }, "4902"},
		{"wallet_switchEthereumChain", []any{map[string]any{"chainId": "0x539"}}, func(r rpc) bool { return r.OK && string(r.Result) == "null" }, "null: already on it"},
		{"eth_sendTransaction", []any{map[string]any{"from": acct.Hex()}}, func(r rpc) bool { return r.Code == -32602 }, "-32602: no to"},
	}
	for _, tt := range tests {
		if r := request(t, page, tt.method, tt.params); !tt.check(r) {
			t.Errorf("%s: %s, want %s", tt.method, r, tt.want)
		}
	}
	// A read-only call the chain refuses reaches the page as the node said it.
	data, err := contracts.TestJPYC.Pack("transfer", acct, big.NewInt(1))
	if err != nil {
		t.Fatal(err)
	}
	r := request(t, page, "eth_call", []any{map[string]any{"from": common.Address{}.Hex(), "to": e.chain.Token().Hex(), "data": hexutil.Encode(data)}, "latest"})
	if r.OK || r.Code != 3 || !strings.Contains(r.Message, "revert") {
		t.Errorf("a reverting eth_call: %s, want the node's code 3 execution reverted", r)
	}
	if n := len(e.consentTargets()); n != 0 {
		t.Errorf("%d consent windows opened for requests that need none", n)
	}
	if containsPIN(verifies(card)) {
		t.Errorf("a PIN was sent to the card: VERIFY status words %04x", verifies(card))
	}
}

// The whole life of a card account in a dapp: connect, sign before and
// after deployment, send ETH, a batch, typed data, and disconnect — each
// signature approved on its sheet with the PIN; through the built-in relayer
// and through Alto in safe mode.
func TestEthereumConnectSignAndSend(t *testing.T) {
	for _, sub := range submitters {
		t.Run(sub.name, func(t *testing.T) {
			card := vcardtest.NewCard(t, nil)
			e := newEnv(t, envOptions{card: card, chain: true, bundler: sub.bundler, timeout: 3 * testTimeout})
			acct := e.cardAccount(devchaintest.Ether(5), devchaintest.Ether(10_000))
			page := e.open(e.site().Origin())
			eval[bool](t, page, `(() => {
				window.__events = [];
				for (const name of ['accountsChanged', 'chainChanged', 'connect', 'disconnect'])
					window.ethereum.on(name, (data) => window.__events.push({name, data}));
				return true;
			})()`)

			// Connect: the sheet shows the account; no PIN.
			startRequest(t, page, "connect", "eth_requestAccounts", nil)
			c := e.consent()
			e.step(c, "sheet")
			if got := eval[string](t, c, `document.querySelector('[data-sheet="connect"] [data-field="account"]')?.textContent ?? ''`); !strings.EqualFold(strings.ReplaceAll(got, " ", ""), acct.Hex()) {
				t.Errorf("the connect sheet shows account %q, want %s", got, acct.Hex())
			}
			e.shot(c, "connect-sheet")
			e.approve(c)
			if r := requestResult(t, page, "connect"); !r.OK || !strings.EqualFold(string(r.Result), `["`+acct.Hex()+`"]`) {
				t.Fatalf("eth_requestAccounts: %s, want [%s]", r, acct.Hex())
			}
			waitTrue(t, page, `window.__events.some((e) => e.name === 'accountsChanged' && e.data.length === 1)`)
			if containsPIN(verifies(card)) {
				t.Errorf("connecting sent a PIN to the card: VERIFY status words %04x", verifies(card))
			}
			e.waitClosed(c)

			// personal_sign while undeployed: an ERC-6492 signature.
			message := "MynaConnect e2e: こんにちは"
			sig := e.signInWindow(page, "personal_sign", []any{message, acct.Hex()}, "message")
			if m := e.checkSignature(acct, sigcheck.PersonalHash([]byte(message)), sig); m != sigcheck.ERC6492 {
				t.Errorf("before deployment the signature verified by %s, want ERC-6492", m)
			}

			// eth_sendTransaction: the first UserOperation deploys the account.
			alice := common.HexToAddress("0x00000000000000000000000000000000a11ce0e2")
			txHash := e.signInWindow(page, "eth_sendTransaction", []any{map[string]any{"from": acct.Hex(), "to": alice.Hex(), "value": "0x6f05b59d3b20000"}}, "calls")
			receipt := request(t, page, "eth_getTransactionReceipt", []any{txHash})
			if !receipt.OK || !bytes.Contains(receipt.Result, []byte(`"status":"0x1"`)) {
				t.Errorf("the receipt of %s: %s", txHash, receipt)
			}
			if bal, err := e.chain.Client().BalanceAt(e.ctx, alice, nil); err != nil || bal.Cmp(big.NewInt(5e17)) != 0 {
				t.Errorf("alice has %v wei (%v), want 0.5 ETH", bal, err)
			}

			// Deployed now: the same kind of signature is plain ERC-1271.
			sig = e.signInWindow(page, "personal_sign", []any{"0x00ff", acct.Hex()}, "message")
			if m := e.checkSignature(acct, sigcheck.PersonalHash([]byte{0x00, 0xff}), sig); m != sigcheck.ERC1271 {
				t.Errorf("after deployment the signature verified by %s, want ERC-1271", m)
			}

			// Typed data bound to this chain.
			typed := `{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"chainId","type":"uint256"}],"Order":[{"name":"item","type":"string"},{"name":"price","type":"uint256"}]},"primaryType":"Order","domain":{"name":"Shop","chainId":1337},"message":{"item":"りんご","price":"120"}}`
			sig = e.signInWindow(page, "eth_signTypedData_v4", []any{acct.Hex(), typed}, "typed-data")
			hash, _, err := sigcheck.TypedDataHash([]byte(typed))
			if err != nil {
				t.Fatal(err)
			}
			e.checkSignature(acct, hash, sig)

			// A batch: ETH to bob and test JPYC to alice, atomically.
			bob := common.HexToAddress("0x00000000000000000000000000000000b0b0e2e0")
			transfer, err := contracts.TestJPYC.Pack("transfer", alice, devchaintest.Ether(1500))
			if err != nil {
				t.Fatal(err)
			}
			startRequest(t, page, "batch", "wallet_sendCalls", []any{map[string]any{
				"version": "2.0.0", "chainId": "0x539", "from": acct.Hex(), "atomicRequired": true,
				"calls": []any{map[string]any{"to": bob.Hex(), "value": "0x7"}, map[string]any{"to": e.chain.Token().Hex(), "data": hexutil.Encode(transfer)}},
			}})
			c = e.consent()
			e.step(c, "sheet")
			if kinds := eval[string](t, c, `[...document.querySelectorAll('[data-call-kind]')].map((li) => li.dataset.callKind).join()`); kinds != "native,erc20-transfer" {
				t.Errorf("the batch sheet shows calls %q, want native,erc20-transfer", kinds)
			}
			if text := eval[string](t, c, `document.querySelector('[data-call-index="1"]').textContent`); !strings.Contains(text, "1,500") || !strings.Contains(text, "JPYC") {
				t.Errorf("the JPYC call reads %q, want 1,500 JPYC", text)
			}
			e.shot(c, "batch-sheet")
			e.approve(c)
			e.typePIN(c, rightPIN, false)
			r := requestResult(t, page, "batch")
			var sent struct{ ID string }
			if !r.OK || json.Unmarshal(r.Result, &sent) != nil || sent.ID == "" {
				t.Fatalf("wallet_sendCalls: %s", r)
			}
			status := request(t, page, "wallet_getCallsStatus", []any{sent.ID})
			if !status.OK || !bytes.Contains(status.Result, []byte(`"status":200`)) || !bytes.Contains(status.Result, []byte(`"atomic":true`)) {
				t.Errorf("wallet_getCallsStatus: %s, want status 200, atomic", status)
			}
			if bal, err := e.chain.Client().BalanceAt(e.ctx, bob, nil); err != nil || bal.Int64() != 7 {
				t.Errorf("bob has %v wei (%v), want 7", bal, err)
			}
			e.waitClosed(c)

			// Disconnect: the site forgets the account and is told so.
			if r := request(t, page, "wallet_revokePermissions", []any{map[string]any{"eth_accounts": map[string]any{}}}); !r.OK {
				t.Fatalf("wallet_revokePermissions: %s", r)
			}
			waitTrue(t, page, `window.__events.some((e) => e.name === 'accountsChanged' && e.data.length === 0)`)
			if r := request(t, page, "eth_accounts", nil); string(r.Result) != "[]" {
				t.Errorf("eth_accounts after the revoke: %s", r)
			}
			if n := card.Count(insSign); n != 5 {
				t.Errorf("the card signed %d times, want 5 (two messages, one transaction, typed data, one batch)", n)
			}
		})
	}
}

// connect approves the page's eth_requestAccounts on its sheet (no PIN).
func (e *env) connect(page context.Context) {
	e.tb.Helper()
	startRequest(e.tb, page, "connect", "eth_requestAccounts", nil)
	c := e.consent()
	e.step(c, "sheet")
	e.approve(c)
	if r := requestResult(e.tb, page, "connect"); !r.OK {
		e.tb.Fatalf("eth_requestAccounts: %s", r)
	}
	e.waitClosed(c)
}

// signInWindow makes a request that needs the card, approves its sheet
// (which must be of kind sheet) with the right PIN and returns the page's
// string result.
func (e *env) signInWindow(page context.Context, method string, params any, sheet string) string {
	e.tb.Helper()
	startRequest(e.tb, page, method, method, params)
	c := e.consent()
	e.step(c, "sheet")
	waitTrue(e.tb, c, `!!document.querySelector('[data-sheet="`+sheet+`"]')`)
	e.shot(c, method+"-sheet")
	e.approve(c)
	e.typePIN(c, rightPIN, false)
	r := requestResult(e.tb, page, method)
	e.waitClosed(c)
	return resultString(e.tb, r)
}

// A transaction that would revert fails before the sheet, so before the
// PIN: the person is told why, the try is not spent, and the page gets
// TRANSACTION_REVERTED; with the built-in relayer and with Alto, which the
// host asks to estimate the operation too.
func TestEthereumRevertingTransactionSpendsNoPINTry(t *testing.T) {
	for _, sub := range submitters {
		t.Run(sub.name, func(t *testing.T) {
			card := vcardtest.NewCard(t, nil)
			e := newEnv(t, envOptions{card: card, chain: true, bundler: sub.bundler})
			acct := e.cardAccount(devchaintest.Ether(1), devchaintest.Ether(10))
			page := e.open(e.site().Origin())

			e.connect(page)

			tooMuch, err := contracts.TestJPYC.Pack("transfer", acct, devchaintest.Ether(11))
			if err != nil {
				t.Fatal(err)
			}
			startRequest(t, page, "send", "eth_sendTransaction", []any{map[string]any{"from": acct.Hex(), "to": e.chain.Token().Hex(), "data": hexutil.Encode(tooMuch)}})
			c := e.consent()
			// The host builds and simulates the operation before the sheet (for its
			// fee): the person is told at once, and never asked for the PIN.
			e.step(c, "error")
			if text := eval[string](t, c, `document.querySelector('.alert').textContent`); !strings.Contains(text, "実行できません") {
				t.Errorf("the window says %q, want that the transaction cannot be carried out", text)
			}
			e.shot(c, "reverted")
			if containsPIN(verifies(card)) {
				t.Errorf("a transaction that reverts sent the PIN to the card: VERIFY status words %04x", verifies(card))
			}
			if auth, _ := card.Retries(); auth != 3 {
				t.Errorf("the card has %d PIN tries left, want 3", auth)
			}
			if err := chromium.Click(c, "#close"); err != nil {
				t.Fatal(err)
			}
			if r := requestResult(t, page, "send"); r.Code != -32603 || r.Reason != "TRANSACTION_REVERTED" {
				t.Errorf("the page got %s, want -32603 TRANSACTION_REVERTED", r)
			}
		})
	}
}

// The test-sign page's Ethereum section, as a developer uses it, with the
// real extension, host and card: every button's request approved on its
// sheet (with the PIN where something is signed) and checked by the site's
// server or on the chain; the sends (ETH, test JPYC, a batch) go through the
// built-in relayer and through Alto in safe mode.
func TestDemoPageEthereumFlows(t *testing.T) {
	for _, sub := range submitters {
		t.Run(sub.name, func(t *testing.T) {
			card := vcardtest.NewCard(t, nil)
			e := newEnv(t, envOptions{card: card, chain: true, bundler: sub.bundler, timeout: 3 * testTimeout})
			acct := e.cardAccount(devchaintest.Ether(5), devchaintest.Ether(10_000))
			page := e.open(e.site().Origin())
			alice := common.HexToAddress("0x00000000000000000000000000000000a11ce0e3")

			e.pageButton(page, "eth-connect", "eth-connect-result", false)
			if got := eval[string](t, page, `document.querySelector('#eth-account').dataset.address`); !strings.EqualFold(got, acct.Hex()) {
				t.Errorf("the page shows account %q, want %s", got, acct.Hex())
			}
			e.pageButton(page, "eth-sign", "eth-sign-result", true)
			if m := eval[string](t, page, `document.querySelector('#eth-sign-result').dataset.method`); m != string(sigcheck.ERC6492) {
				t.Errorf("the server verified the undeployed account's signature by %q, want ERC-6492", m)
			}
			e.pageButton(page, "eth-siwe", "eth-siwe-result", true)
			e.pageButton(page, "eth-typed", "eth-typed-result", true)

			for _, id := range []string{"eth-to", "eth-batch-to-eth", "eth-batch-to-jpyc"} {
				eval[bool](t, page, `(() => { document.querySelector('#`+id+`').value = '`+alice.Hex()+`'; return true; })()`)
			}
			e.pageButton(page, "eth-send-eth", "eth-send-eth-result", true)
			if st := eval[string](t, page, `document.querySelector('#eth-receipt').dataset.txStatus ?? ''`); st != "0x1" && st != "success" {
				t.Errorf("the page shows receipt status %q", st)
			}
			e.pageButton(page, "eth-send-jpyc", "eth-send-jpyc-result", true)
			e.pageButton(page, "eth-batch", "eth-batch-result", true)

			if bal, err := e.chain.Client().BalanceAt(e.ctx, alice, nil); err != nil || bal.Cmp(big.NewInt(1e16+1e15)) != 0 {
				t.Errorf("alice has %v wei (%v), want the page's 0.01 ETH and the batch's 0.001", bal, err)
			}
			data, err := contracts.TestJPYC.Pack("balanceOf", alice)
			if err != nil {
				t.Fatal(err)
			}
			out, err := e.chain.Client().CallContract(e.ctx, ethCall(e.chain.Token(), data), nil)
			if err != nil || new(big.Int).SetBytes(out).Cmp(devchaintest.Ether(150)) != 0 {
				t.Errorf("alice has %x test JPYC units (%v), want the page's 100 JPYC and the batch's 50", out, err)
			}
			// Deployed by the first transaction: now the account answers ERC-1271.
			e.pageButton(page, "eth-sign", "eth-sign-result", true)
			if m := eval[string](t, page, `document.querySelector('#eth-sign-result').dataset.method`); m != string(sigcheck.ERC1271) {
				t.Errorf("the server verified the deployed account's signature by %q, want ERC-1271", m)
			}
		})
	}
}

// pageButton clicks a button of the test-sign page, approves the consent
// window it opens (typing the PIN when withPIN) and waits for the page's
// result element to say ok.
func (e *env) pageButton(page context.Context, button, result string, withPIN bool) {
	e.tb.Helper()
	if err := chromium.Click(page, "#"+button); err != nil {
		e.tb.Fatal(err)
	}
	c := e.consent()
	e.step(c, "sheet")
	e.shot(c, button+"-sheet")
	e.approve(c)
	if withPIN {
		e.typePIN(c, rightPIN, false)
	}
	waitTrue(e.tb, page, `['ok', 'failed', 'rejected'].includes(document.querySelector('#`+result+`').dataset.status)`)
	if st := eval[string](e.tb, page, `document.querySelector('#`+result+`').dataset.status`); st != "ok" {
		e.tb.Fatalf("#%s: %s %q", result, st, eval[string](e.tb, page, `document.querySelector('#`+result+`').textContent`))
	}
	e.waitClosed(c)
}
