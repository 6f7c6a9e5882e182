package demoserver_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/citest"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// The Ethereum section's own logic in a real browser under its CSP, with a test double of a wallet in place
// of the extension (whose Ethereum support is tested with the extension): an EIP-6963 provider announcing
// rdns jp.mynaconnect, backed in Go by the virtual card's account on the dev chain, and a decoy in
// window.ethereum that the page must pass over.
const fakeEthProvider = `
(() => {
  const listeners = {};
  const provider = Object.freeze({
    request: async ({ method, params }) => {
      const r = await window.fakeEthWallet({ method, params: params || [] });
      if (r.error) {
        const e = new Error(r.error.message);
        e.code = r.error.code;
        if (r.error.reason) e.data = { reason: r.error.reason };
        throw e;
      }
      return r.result;
    },
    on: (name, fn) => { (listeners[name] = listeners[name] || []).push(fn); },
    removeListener: () => {},
  });
  window.fakeEthEmit = (name, value) => (listeners[name] || []).forEach((fn) => fn(value));
  const info = Object.freeze({ uuid: '6f1c3c1e-2a51-4c7b-9d0e-0d1b6b5f0a11', name: 'MynaConnect (test double)', icon: 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E', rdns: 'jp.mynaconnect' });
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
  window.addEventListener('eip6963:requestProvider', announce);
  window.ethereum = { request: async () => { const e = new Error('decoy wallet'); e.code = 4200; throw e; } };
})();`

type ethWalletRequest struct {
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

// ethWallet answers as a wallet of a card account would, through the account package and the dev chain.
type ethWallet struct {
	a       *account.Account
	rpc     *rpc.Client
	relayer *account.Relayer

	mu     sync.Mutex
	reject *walletError // answer every signing request with this instead
}

type txParams struct {
	To    common.Address `json:"to"`
	Value *hexutil.Big   `json:"value"`
	Data  hexutil.Bytes  `json:"data"`
}

func (tp txParams) call() contracts.Call {
	return contracts.Call{Target: tp.To, Value: (*big.Int)(tp.Value), Data: tp.Data}
}

func (w *ethWallet) answer(ctx context.Context, req ethWalletRequest) (walletAnswer, error) {
	res, err := w.handle(ctx, req)
	if err != nil {
		var we *walletError
		if errors.As(err, &we) {
			return walletAnswer{Error: we}, nil
		}
		return walletAnswer{Error: &walletError{Code: -32603, Message: err.Error()}}, nil
	}
	b, err := json.Marshal(res)
	if err != nil {
		return walletAnswer{}, err
	}
	return walletAnswer{Result: b}, nil
}

func (we *walletError) Error() string { return we.Message }

func (w *ethWallet) handle(ctx context.Context, req ethWalletRequest) (any, error) {
	str := func(i int) (string, error) {
		var s string
		if i >= len(req.Params) {
			return "", &walletError{Code: -32602, Message: "missing parameter"}
		}
		return s, json.Unmarshal(req.Params[i], &s)
	}
	signing := map[string]bool{"personal_sign": true, "eth_signTypedData_v4": true, "eth_sendTransaction": true, "wallet_sendCalls": true}
	w.mu.Lock()
	reject := w.reject
	w.mu.Unlock()
	if reject != nil && signing[req.Method] {
		return nil, reject
	}
	switch req.Method {
	case "eth_requestAccounts", "eth_accounts":
		return []string{w.a.Address().Hex()}, nil
	case "eth_chainId":
		return hexutil.EncodeBig(w.a.ChainID()), nil
	case "eth_getBalance", "eth_call", "eth_getTransactionReceipt":
		var out json.RawMessage
		args := make([]any, len(req.Params))
		for i, p := range req.Params {
			args[i] = p
		}
		return out, w.rpc.CallContext(ctx, &out, req.Method, args...)
	case "personal_sign":
		msg, err := str(0)
		if err != nil {
			return nil, err
		}
		b, err := hexutil.Decode(msg)
		if err != nil {
			return nil, err
		}
		sig, err := w.a.SignPersonal(ctx, b)
		if err != nil {
			return nil, err
		}
		return hexutil.Encode(sig.Bytes), nil
	case "eth_signTypedData_v4":
		td, err := str(1)
		if err != nil {
			return nil, err
		}
		decoded, err := eip712.Decode(td)
		if err != nil {
			return nil, err
		}
		sig, err := w.a.SignTypedData(ctx, decoded)
		if err != nil {
			return nil, err
		}
		return hexutil.Encode(sig.Bytes), nil
	case "eth_sendTransaction":
		var tx txParams
		if err := json.Unmarshal(req.Params[0], &tx); err != nil {
			return nil, err
		}
		return w.a.Send(ctx, w.relayer, []contracts.Call{tx.call()})
	case "wallet_sendCalls":
		var batch struct {
			Calls []txParams `json:"calls"`
		}
		if err := json.Unmarshal(req.Params[0], &batch); err != nil {
			return nil, err
		}
		var calls []contracts.Call
		for _, c := range batch.Calls {
			calls = append(calls, c.call())
		}
		h, err := w.a.Send(ctx, w.relayer, calls)
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": h.Hex()}, nil
	case "wallet_getCallsStatus":
		id, err := str(0)
		if err != nil {
			return nil, err
		}
		var receipt json.RawMessage
		if err := w.rpc.CallContext(ctx, &receipt, "eth_getTransactionReceipt", id); err != nil {
			return nil, err
		}
		if string(receipt) == "null" {
			return map[string]any{"version": "2.0.0", "id": id, "chainId": hexutil.EncodeBig(w.a.ChainID()), "status": 100, "atomic": true}, nil
		}
		return map[string]any{"version": "2.0.0", "id": id, "chainId": hexutil.EncodeBig(w.a.ChainID()), "status": 200, "atomic": true, "receipts": []json.RawMessage{receipt}}, nil
	}
	return nil, &walletError{Code: 4200, Message: "unsupported: " + req.Method}
}

func TestEthSectionInChromium(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := devChain(t)
	site, err := demoserver.Start(ctx, "127.0.0.1:0", demoserver.Config{TrustAnchors: []*x509.Certificate{testPKI(t).AuthCA.Cert}, ChainConfig: devConfig})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Close() })

	b, err := chromium.Start(ctx, chromium.Options{Extension: pageExtension(t), Headless: true})
	if errors.Is(err, chromium.ErrNoChromium) {
		citest.Unavailable(t, "%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })

	a, _ := cardAccount(t)
	client, err := rpc.DialContext(ctx, c.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	w := &ethWallet{a: a, rpc: client, relayer: &account.Relayer{Client: c.Client(), Key: devchain.RelayerKey, PollInterval: 10 * time.Millisecond}}

	tab, closeTab, err := b.NewPage(ctx, "about:blank")
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab()
	err = chromedp.Do(tab,
		chromedp.ExposeFunc("fakeEthWallet", w.answer),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fakeEthProvider})
			return err
		}),
		chromedp.Navigate(site.Origin()+"/"),
	)
	if err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("MYNACONNECT_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	}

	attr := func(sel, name string) string {
		t.Helper()
		v, err := chromium.Eval[string](tab, fmt.Sprintf(`document.querySelector(%q).getAttribute(%q) || ''`, sel, name))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// do clicks button and waits for result's final status.
	do := func(button, result, wantStatus string) {
		t.Helper()
		if err := chromium.Click(tab, "#"+button); err != nil {
			t.Fatal(err)
		}
		final := fmt.Sprintf(`['ok','failed','rejected'].includes(document.getElementById(%q).dataset.status)`, result)
		if err := chromium.WaitTrue(tab, final, time.Minute); err != nil {
			t.Fatal(err)
		}
		if got := attr("#"+result, "data-status"); got != wantStatus {
			text, _ := chromium.Eval[string](tab, fmt.Sprintf(`document.getElementById(%q).textContent`, result))
			t.Fatalf("#%s: data-status %q, want %q: %s", result, got, wantStatus, text)
		}
	}
	setValue := func(id, v string) {
		t.Helper()
		if _, err := chromium.Eval[bool](tab, fmt.Sprintf(`(document.getElementById(%q).value = %q, true)`, id, v)); err != nil {
			t.Fatal(err)
		}
	}
	wei := func(id string) string { t.Helper(); return attr("#"+id, "data-wei") }

	if err := chromium.WaitTrue(tab, `document.getElementById('eth-chain').dataset.chainId === '0x539' && !document.getElementById('eth-faucet').hidden`, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if p, _ := chromium.Eval[string](tab, `document.getElementById('eth-provider').textContent`); !strings.Contains(p, "jp.mynaconnect") {
		t.Errorf("#eth-provider = %q: the announced MynaConnect provider was not preferred to window.ethereum", p)
	}

	do("eth-connect", "eth-connect-result", "ok")
	if got := attr("#eth-account", "data-address"); !strings.EqualFold(got, a.Address().Hex()) {
		t.Errorf("#eth-account = %q, want %s", got, a.Address().Hex())
	}
	if attr("#eth-chain-id", "data-match") != "true" || wei("eth-balance-eth") != "0" || wei("eth-balance-jpyc") != "0" {
		t.Errorf("after connecting: chain match %q, balances %q %q", attr("#eth-chain-id", "data-match"), wei("eth-balance-eth"), wei("eth-balance-jpyc"))
	}

	do("eth-faucet", "eth-faucet-result", "ok")
	if wei("eth-balance-eth") != "1000000000000000000" || wei("eth-balance-jpyc") != "10000000000000000000000" {
		t.Errorf("after the faucet: %q ETH wei, %q JPYC units", wei("eth-balance-eth"), wei("eth-balance-jpyc"))
	}

	for _, tt := range []struct{ button, result string }{{"eth-sign", "eth-sign-result"}, {"eth-siwe", "eth-siwe-result"}, {"eth-typed", "eth-typed-result"}} {
		do(tt.button, tt.result, "ok")
		if m := attr("#"+tt.result, "data-method"); m != "ERC-6492" {
			t.Errorf("#%s: method %q, want ERC-6492 (the account is not deployed yet)", tt.result, m)
		}
	}

	to, to2 := common.HexToAddress("0x00000000000000000000000000000000000b0b01"), common.HexToAddress("0x00000000000000000000000000000000000b0b02")
	setValue("eth-to", to.Hex())
	do("eth-send-eth", "eth-send-eth-result", "ok")
	if attr("#eth-receipt", "data-tx-status") != "success" || attr("#eth-receipt", "data-block") == "" || attr("#eth-receipt", "data-gas-used") == "" {
		t.Errorf("#eth-receipt after sending ETH: status %q block %q gas %q", attr("#eth-receipt", "data-tx-status"), attr("#eth-receipt", "data-block"), attr("#eth-receipt", "data-gas-used"))
	}
	do("eth-send-jpyc", "eth-send-jpyc-result", "ok")
	setValue("eth-batch-to-eth", to2.Hex())
	setValue("eth-batch-to-jpyc", to2.Hex())
	do("eth-batch", "eth-batch-result", "ok")
	ethOf, jpycOf := balances(t, to)
	eth2, jpyc2 := balances(t, to2)
	for _, check := range []struct {
		name      string
		got, want *big.Int
	}{
		{"ETH sent", ethOf, big.NewInt(1e16)},
		{"JPYC sent", jpycOf, new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))},
		{"batch ETH", eth2, big.NewInt(1e15)},
		{"batch JPYC", jpyc2, new(big.Int).Mul(big.NewInt(50), big.NewInt(1e18))},
	} {
		if check.got.Cmp(check.want) != 0 {
			t.Errorf("%s: %s, want %s", check.name, check.got, check.want)
		}
	}
	if got, want := wei("eth-balance-jpyc"), "9850000000000000000000"; got != want {
		t.Errorf("#eth-balance-jpyc after the transfers: %s, want %s", got, want)
	}

	// The first UserOperation deployed the account: now ERC-1271.
	do("eth-sign", "eth-sign-result", "ok")
	if m := attr("#eth-sign-result", "data-method"); m != "ERC-1271" {
		t.Errorf("after deployment: method %q", m)
	}
	if err := b.Screenshot(tab, filepath.Join(shots, "testsign-eth.png")); err != nil {
		t.Error(err)
	}

	w.mu.Lock()
	w.reject = &walletError{Code: 4001, Message: "User rejected the request."}
	w.mu.Unlock()
	do("eth-typed", "eth-typed-result", "rejected")
	if attr("#eth-typed-result", "data-rpc-code") != "4001" {
		t.Errorf("a rejection: data-rpc-code %q", attr("#eth-typed-result", "data-rpc-code"))
	}
	setValue("eth-to", "0x1234")
	do("eth-send-eth", "eth-send-eth-result", "failed")
	if attr("#eth-send-eth-result", "data-code") != "BAD_INPUT" {
		t.Errorf("a bad recipient: data-code %q", attr("#eth-send-eth-result", "data-code"))
	}

	if _, err := chromium.Eval[bool](tab, `(window.fakeEthEmit('accountsChanged', []), true)`); err != nil {
		t.Fatal(err)
	}
	if err := chromium.WaitTrue(tab, `document.getElementById('eth-account').textContent === '—' && document.getElementById('eth-events').children.length === 1`, 5*time.Second); err != nil {
		t.Error(err)
	}
}
