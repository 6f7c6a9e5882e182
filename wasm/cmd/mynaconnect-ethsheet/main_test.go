//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"
	"testing"

	"github.com/mynaconnect/mynaconnect/wasm/internal/jsglue/jsgluetest"
)

// These tests run under Node (go_js_wasm_exec) and call the API the way the
// extension's consent page does, through JavaScript values.

const (
	ethAccount = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"
	ethJPYC    = "0x0feed58692c78ee5f927dced75918f17373a9237"
	ethBob     = "0xab8483f64d9c6d1ecf9b849ae677dd3315835cb2"
)

func ethOptions(extra map[string]any) js.Value {
	opts := map[string]any{
		"origin": "https://example.com", "firstSeen": true, "lang": "ja", "account": ethAccount,
		"chain": map[string]any{
			"chainId": 1337, "name": "MynaConnect dev chain",
			"nativeCurrency": map[string]any{"name": "Ether", "symbol": "ETH", "decimals": 18},
			"tokens":         []any{map[string]any{"address": ethJPYC, "symbol": "JPYC", "name": "JPY Coin", "decimals": 18, "fiat": "JPY"}},
		},
		// 215,000 gas at 2 gwei: at most 0.00043 ETH.
		"fee": map[string]any{"callGasLimit": "0x88b8", "verificationGasLimit": "0x1fbd0", "preVerificationGas": "0xc350",
			"maxFeePerGas": "0x77359400", "maxPriorityFeePerGas": "0x3b9aca00"},
	}
	for k, v := range extra {
		opts[k] = v
	}
	return jsgluetest.Object(opts)
}

func abiWord(hex string) string { return strings.Repeat("0", 64-len(hex)) + hex }

func TestRenderConnect(t *testing.T) {
	api := newAPI()
	container := jsgluetest.NewContainer()
	pk := strings.Repeat("0f", 32)
	r := api.Call("renderConnect", container, ethOptions(map[string]any{"publicKeySha256": pk}))
	if !r.Get("ok").Bool() || r.Get("account").String() != ethAccount || r.Get("chainId").Int() != 1337 ||
		r.Get("origin").String() != "https://example.com" || r.Get("warnings").Length() != 0 {
		t.Fatalf("renderConnect: ok=%v reason=%v detail=%v", r.Get("ok"), r.Get("reason"), r.Get("detail"))
	}
	for selector, want := range map[string]string{
		`[data-field="account"]`:         ethAccount,
		`[data-field="publicKeySha256"]`: pk,
		`[data-item="certificate"]`:      "電子証明書そのもの",
	} {
		if got := jsgluetest.Text(t, container, selector); got != want {
			t.Errorf("%s text %q, want %q", selector, got, want)
		}
	}
	if jsgluetest.Count(container, `[data-sheet="connect"]`) != 1 || jsgluetest.Count(container, `[data-badge="first-visit"]`) != 1 {
		t.Errorf("connect sheet not rendered")
	}
}

func TestRenderMessage(t *testing.T) {
	api := newAPI()
	container := jsgluetest.NewContainer()
	msg := "bank.example wants you to sign in with your Ethereum account:\n" + ethAccount + "\n\nURI: https://bank.example\n"
	hex := "0x"
	for _, b := range []byte(msg) {
		hex += string("0123456789abcdef"[b>>4]) + string("0123456789abcdef"[b&15])
	}
	r := api.Call("renderMessage", container, ethOptions(map[string]any{"message": hex}))
	if !r.Get("ok").Bool() || r.Get("encoding").String() != "text" || !r.Get("siwe").Bool() ||
		!r.Get("siweMismatch").Bool() || r.Get("bytes").Int() != len(msg) || r.Get("warnings").Index(0).String() != "SIWE_MISMATCH" {
		t.Fatalf("renderMessage: ok=%v reason=%v detail=%v siwe=%v", r.Get("ok"), r.Get("reason"), r.Get("detail"), r.Get("siwe"))
	}
	if got := jsgluetest.Text(t, container, `[data-field="message"]`); got != msg {
		t.Errorf("message shown %q", got)
	}
	r = api.Call("renderMessage", container, ethOptions(map[string]any{"message": "0x00ff"}))
	if r.Get("encoding").String() != "hex" || jsgluetest.Count(container, `[data-encoding="hex"]`) != 1 || jsgluetest.Count(container, `[data-warning="BINARY_MESSAGE"]`) != 1 {
		t.Errorf("binary message: encoding %v", r.Get("encoding"))
	}
}

func TestRenderTypedData(t *testing.T) {
	api := newAPI()
	container := jsgluetest.NewContainer()
	td := `{"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
	  "Permit": [{"name": "owner", "type": "address"}, {"name": "value", "type": "uint256"}, {"name": "tags", "type": "string[]"}]},
	  "primaryType": "Permit", "domain": {"name": "JPY Coin", "chainId": 1, "verifyingContract": "` + ethJPYC + `"},
	  "message": {"owner": "` + ethAccount + `", "value": "1500000000000000000000", "tags": ["a", "b"]}}`
	r := api.Call("renderTypedData", container, ethOptions(map[string]any{"typedData": td}))
	if !r.Get("ok").Bool() || r.Get("primaryType").String() != "Permit" || r.Get("verifyingContract").String() != ethJPYC ||
		r.Get("domainChainId").Int() != 1 || !r.Get("chainMismatch").Bool() {
		t.Fatalf("renderTypedData: ok=%v reason=%v detail=%v", r.Get("ok"), r.Get("reason"), r.Get("detail"))
	}
	if got := jsgluetest.Text(t, container, `[data-path="value"]`); got != "value1,500,000,000,000,000,000,000" {
		t.Errorf("value entry %q", got)
	}
	if got := jsgluetest.Text(t, container, `[data-path="tags.1"]`); got != "2b" {
		t.Errorf("array entry %q", got)
	}
	if jsgluetest.Count(container, `[data-warning="CHAIN_MISMATCH"]`) != 1 {
		t.Errorf("no chain mismatch warning")
	}
	for name, text := range map[string]string{
		"rounded number":                  strings.Replace(td, `"1500000000000000000000"`, "1500000000000000000000", 1),
		"__proto__ member":                strings.Replace(td, `"tags": ["a", "b"]`, `"tags": ["a", "b"], "__proto__": 1`, 1),
		"case variant":                    strings.Replace(td, `"primaryType": "Permit"`, `"primaryType": "Permit", "PrimaryType": "Permit"`, 1),
		"domain name not in EIP712Domain": strings.Replace(td, `{"name": "name", "type": "string"}, `, "", 1),
		"syntax error":                    td[:len(td)-1],
		"no message":                      `{"types": {"A": []}, "primaryType": "A", "domain": {}}`,
		"too deep":                        strings.Repeat("[", 100) + strings.Repeat("]", 100),
	} {
		r := api.Call("renderTypedData", container, ethOptions(map[string]any{"typedData": text}))
		if r.Get("ok").Bool() || r.Get("reason").String() != "BAD_TYPED_DATA" || container.Get("childNodes").Length() != 0 {
			t.Errorf("%s: ok=%v reason=%v", name, r.Get("ok"), r.Get("reason"))
		}
	}
}

func TestRenderCalls(t *testing.T) {
	api := newAPI()
	container := jsgluetest.NewContainer()
	calls := []any{
		map[string]any{"to": ethBob, "value": "0x6f05b59d3b20000"},
		map[string]any{"to": ethJPYC, "data": "0xa9059cbb" + abiWord(ethBob[2:]) + abiWord("5150ae84a8cdf00000"), "value": nil},
		map[string]any{"to": ethJPYC, "data": "0x095ea7b3" + abiWord(ethBob[2:]) + strings.Repeat("f", 64)},
	}
	r := api.Call("renderCalls", container, ethOptions(map[string]any{"calls": calls}))
	if !r.Get("ok").Bool() {
		t.Fatalf("renderCalls: reason=%v detail=%v", r.Get("reason"), r.Get("detail"))
	}
	if got := r.Get("maxCost").String(); got != "430000000000000" {
		t.Errorf("maxCost %s, want 430000000000000 wei", got)
	}
	if got := jsgluetest.Text(t, container, `[data-field="maxFee"]`); !strings.Contains(got, "0.00043 ETH") {
		t.Errorf("the fee line reads %q", got)
	}
	got := r.Get("calls")
	want := []map[string]any{
		{"kind": "native", "to": ethBob, "token": "ETH", "amount": "0.5"},
		{"kind": "erc20-transfer", "to": ethJPYC, "token": "JPYC", "amount": "1500", "recipient": ethBob},
		{"kind": "erc20-approve", "to": ethJPYC, "token": "JPYC", "unlimited": true, "spender": ethBob},
	}
	for i, w := range want {
		for k, v := range w {
			if !got.Index(i).Get(k).Equal(js.ValueOf(v)) {
				t.Errorf("calls[%d].%s = %v, want %v", i, k, got.Index(i).Get(k), v)
			}
		}
	}
	if got.Index(0).Get("unlimited").Type() != js.TypeUndefined {
		t.Errorf("unlimited set on a native call")
	}
	if w := r.Get("warnings"); w.Length() != 1 || w.Index(0).String() != "UNLIMITED_APPROVAL" {
		t.Errorf("warnings %v", w)
	}
	transfer := container.Call("querySelector", `[data-call-index="1"]`)
	if got := jsgluetest.Text(t, transfer, `[data-field="amount"]`); got != "1,500 JPYC（1,500円）" {
		t.Errorf("transfer amount %q", got)
	}
	if jsgluetest.Count(container, `[data-call-kind="erc20-transfer"]`) != 1 || jsgluetest.Count(container, `[data-unlimited="true"]`) != 1 ||
		jsgluetest.Count(container, `[data-field="batch"]`) != 1 {
		t.Errorf("call hooks missing")
	}
}

func TestEthRefusals(t *testing.T) {
	api := newAPI()
	doc := jsgluetest.NewFakeDocument()
	good := map[string]any{"calls": []any{map[string]any{"to": ethBob}}}
	tests := []struct {
		name   string
		fn     string
		opts   js.Value
		reason string
	}{
		{"origin with a path", "renderCalls", ethOptions(map[string]any{"origin": "https://example.com/x", "calls": good["calls"]}), "BAD_ORIGIN"},
		{"origin not a string", "renderCalls", ethOptions(map[string]any{"origin": 1, "calls": good["calls"]}), "BAD_ARGUMENTS"},
		{"no account", "renderCalls", ethOptions(map[string]any{"account": nil, "calls": good["calls"]}), "BAD_ARGUMENTS"},
		{"short account", "renderCalls", ethOptions(map[string]any{"account": "0x12", "calls": good["calls"]}), "BAD_ARGUMENTS"},
		{"no chain", "renderCalls", ethOptions(map[string]any{"chain": nil, "calls": good["calls"]}), "BAD_ARGUMENTS"},
		{"chainId a string", "renderCalls", ethOptions(map[string]any{"chain": map[string]any{"chainId": "1", "name": "x",
			"nativeCurrency": map[string]any{"name": "Ether", "symbol": "ETH", "decimals": 18}}, "calls": good["calls"]}), "BAD_ARGUMENTS"},
		{"decimals 1.5", "renderCalls", ethOptions(map[string]any{"chain": map[string]any{"chainId": 1, "name": "x",
			"nativeCurrency": map[string]any{"name": "Ether", "symbol": "ETH", "decimals": 1.5}}, "calls": good["calls"]}), "BAD_ARGUMENTS"},
		{"calls not an array", "renderCalls", ethOptions(map[string]any{"calls": "0x"}), "BAD_CALLS"},
		{"call without to", "renderCalls", ethOptions(map[string]any{"calls": []any{map[string]any{"value": "0x1"}}}), "BAD_CALLS"},
		{"calls without a fee", "renderCalls", ethOptions(map[string]any{"calls": good["calls"], "fee": nil}), "BAD_ARGUMENTS"},
		{"fee with a decimal gas", "renderCalls", ethOptions(map[string]any{"calls": good["calls"], "fee": map[string]any{"callGasLimit": "35000"}}), "BAD_ARGUMENTS"},
		{"value a number", "renderCalls", ethOptions(map[string]any{"calls": []any{map[string]any{"to": ethBob, "value": 1}}}), "BAD_CALLS"},
		{"no calls", "renderCalls", ethOptions(map[string]any{"calls": []any{}}), "BAD_CALLS"},
		{"message not hex", "renderMessage", ethOptions(map[string]any{"message": "hello"}), "BAD_MESSAGE"},
		{"message missing", "renderMessage", ethOptions(nil), "BAD_MESSAGE"},
		{"typedData an object", "renderTypedData", ethOptions(map[string]any{"typedData": map[string]any{}}), "BAD_TYPED_DATA"},
		{"public key missing", "renderConnect", ethOptions(nil), "BAD_ARGUMENTS"},
	}
	for _, tt := range tests {
		container := doc.Call("createElement", "div")
		// A sheet from an earlier request must not survive a refusal.
		api.Call("renderCalls", container, ethOptions(good))
		r := api.Call(tt.fn, container, tt.opts)
		if r.Get("ok").Bool() || r.Get("reason").String() != tt.reason || r.Get("detail").Type() != js.TypeString {
			t.Errorf("%s: ok=%v reason=%v detail=%v; want %s", tt.name, r.Get("ok"), r.Get("reason"), r.Get("detail"), tt.reason)
		}
		if tt.name != "origin not a string" && jsgluetest.Count(container, `[data-sheet]`) != 0 {
			t.Errorf("%s: a sheet is still shown after a refusal", tt.name)
		}
	}
	for _, fn := range []string{"renderConnect", "renderMessage", "renderTypedData", "renderCalls"} {
		if r := api.Call(fn); r.Get("reason").String() != "BAD_ARGUMENTS" {
			t.Errorf("%s(): reason %v", fn, r.Get("reason"))
		}
	}
}

func TestMainAnnouncesReadiness(t *testing.T) {
	jsgluetest.AnnouncesReadiness(t, main, "renderConnect", "renderMessage", "renderTypedData", "renderCalls")
}

// The login sheet is cmd/mynaconnect-sheet's: this module must not carry it.
func TestNoLoginSheet(t *testing.T) {
	if f := newAPI().Get("renderLogin"); !f.IsUndefined() {
		t.Errorf("renderLogin is %v, want undefined", f.Type())
	}
}

// protection is ethAccount's protection of an account whose guardians started a recovery.
func protection(executeAfter int64) map[string]any {
	return map[string]any{
		"recovery": ethRecovery, "guardians": []any{map[string]any{"signer": ethBob, "kind": "card"}}, "threshold": 1, "delay": 259200,
		"pendingRecovery": map[string]any{"newKeyHash": "0x" + strings.Repeat("5e", 32), "approvals": 1, "executeAfter": executeAfter, "expiresAt": executeAfter + 2592000},
		"chainTime":       1800000000,
	}
}

const ethRecovery = "0x00000000000000000000000000000000000ec0de"

func TestEverySheetShowsARecoveryUnderWay(t *testing.T) {
	api := newAPI()
	container := jsgluetest.NewContainer()
	r := api.Call("renderMessage", container, ethOptions(map[string]any{"message": "0x68656c6c6f",
		"protection": protection(1800000000 + 3600), "certificateNotAfter": 2000000000}))
	if !r.Get("ok").Bool() || r.Get("self").Bool() {
		t.Fatalf("renderMessage: ok=%v self=%v reason=%v detail=%v", r.Get("ok"), r.Get("self"), r.Get("reason"), r.Get("detail"))
	}
	if w := r.Get("warnings"); w.Length() != 1 || w.Index(0).String() != "RECOVERY_PENDING" {
		t.Errorf("warnings %v", w)
	}
	if got := jsgluetest.Text(t, container, `[data-warning="RECOVERY_PENDING"]`); !strings.Contains(got, "あと 1時間 で") {
		t.Errorf("the pending recovery reads %q", got)
	}
}

func TestOnlyMynaConnectsOwnPageChangesTheGuardians(t *testing.T) {
	const own = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
	js.Global().Set("location", jsgluetest.Object(map[string]any{"origin": own}))
	defer js.Global().Delete("location")
	api := newAPI()
	setGuardians := "0x4c5848ed" + abiWord("60") + abiWord("1") + abiWord("0") + abiWord("1") + abiWord("20") + abiWord("14") + ethBob[2:] + strings.Repeat("0", 24)
	calls := []any{map[string]any{"to": ethRecovery, "data": setGuardians}}
	noPending := protection(0)
	delete(noPending, "pendingRecovery")

	container := jsgluetest.NewContainer()
	r := api.Call("renderCalls", container, ethOptions(map[string]any{"origin": own, "calls": calls, "protection": noPending, "certificateNotAfter": 2000000000}))
	if !r.Get("ok").Bool() || !r.Get("self").Bool() || r.Get("origin").String() != own || r.Get("calls").Index(0).Get("kind").String() != "recovery-set-guardians" {
		t.Fatalf("MynaConnect's page: ok=%v self=%v reason=%v detail=%v", r.Get("ok"), r.Get("self"), r.Get("reason"), r.Get("detail"))
	}
	if got := jsgluetest.Text(t, container, `[data-field="guardian"]`); got != ethBob {
		t.Errorf("guardian %q", got)
	}

	r = api.Call("renderCalls", container, ethOptions(map[string]any{"calls": calls, "protection": noPending, "certificateNotAfter": 2000000000}))
	if r.Get("ok").Bool() || r.Get("reason").String() != "BAD_CALLS" {
		t.Errorf("a site choosing guardians: ok=%v reason=%v", r.Get("ok"), r.Get("reason"))
	}
	for name, bad := range map[string]any{
		"guardians not a list": map[string]any{"recovery": ethRecovery, "guardians": 1, "chainTime": 1},
		"no recovery":          map[string]any{"guardians": []any{}, "chainTime": 1},
		"executeAfter zero":    map[string]any{"recovery": ethRecovery, "guardians": []any{}, "chainTime": 1, "pendingRecovery": map[string]any{"approvals": 1, "executeAfter": 0}},
	} {
		r = api.Call("renderCalls", container, ethOptions(map[string]any{"calls": []any{map[string]any{"to": ethBob}}, "protection": bad, "certificateNotAfter": 1}))
		if r.Get("ok").Bool() || r.Get("reason").String() != "BAD_ARGUMENTS" {
			t.Errorf("%s: ok=%v reason=%v", name, r.Get("ok"), r.Get("reason"))
		}
	}
}
