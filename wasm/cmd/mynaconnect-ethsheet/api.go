//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"

	"github.com/mynaconnect/mynaconnect/wasm/ethsheet"
	"github.com/mynaconnect/mynaconnect/wasm/internal/jsglue"
	"github.com/mynaconnect/mynaconnect/wasm/origin"
)

// ethUsage is the render functions' signature, for BAD_ARGUMENTS.
const ethUsage = "(container: Element, {origin: string, account: string, chain: {chainId, name, nativeCurrency, tokens}, firstSeen, lang, …})"

// ethRender wraps one sheet: it reads the shared options, builds the sheet
// with build, mounts it and returns the result with result's members.
func ethRender(name string, build func(r ethsheet.Request, opts js.Value) (*ethsheet.Sheet, error),
	result func(s *ethsheet.Sheet, r *ethsheet.Request, res map[string]any)) jsglue.Func {
	return func(args []js.Value) map[string]any {
		o, ok := jsglue.ReadOptions(args)
		if !ok {
			return jsglue.Failure(jsglue.ReasonBadArguments, name+ethUsage)
		}
		res, err := ethSheet(o, build, result)
		if err != nil {
			jsglue.Empty(o.Container)
			reason := jsglue.ReasonBadArguments
			if e, ok := err.(*ethsheet.Error); ok {
				reason = e.Reason
			} else if _, ok := err.(*origin.Error); ok {
				reason = jsglue.ReasonBadOrigin
			}
			return jsglue.Failure(reason, err.Error())
		}
		return res
	}
}

func ethSheet(o jsglue.Options, build func(r ethsheet.Request, opts js.Value) (*ethsheet.Sheet, error),
	result func(s *ethsheet.Sheet, r *ethsheet.Request, res map[string]any)) (map[string]any, error) {
	self := jsglue.IsOwnOrigin(o.Origin)
	shown := o.Origin
	var analysed *origin.Origin
	if !self {
		var err error
		if analysed, err = origin.Analyze(o.Origin); err != nil {
			return nil, err
		}
		shown = analysed.Serialized
	}
	r := ethsheet.Request{Origin: analysed, Self: self, FirstSeen: o.FirstSeen, Lang: o.Lang}
	var okAccount, okChain, okProtection bool
	r.Account, okAccount = str(o.Opts, "account")
	r.Chain, okChain = readChain(o.Opts.Get("chain"))
	r.Protection, okProtection = readProtection(o.Opts, o.Now)
	if !okAccount || !okChain {
		return nil, errBadChain
	}
	if !okProtection {
		return nil, errBadProtection
	}
	s, err := build(r, o.Opts)
	if err != nil {
		return nil, err
	}
	jsglue.Mount(o.Container, ethsheet.Render(s))
	warnings := []any{}
	for _, w := range s.Warnings() {
		warnings = append(warnings, w)
	}
	res := map[string]any{"ok": true, "origin": shown, "self": self, "warnings": warnings}
	result(s, &r, res)
	return res, nil
}

var (
	errBadChain      = errors.New("account must be a string and chain {chainId, name, nativeCurrency: {name, symbol, decimals}, tokens: [{address, symbol, name, decimals, fiat?}]}")
	errNotString     = errors.New("not a string")
	errBadProtection = errors.New("protection must be ethAccount's {recovery, guardians: [], pendingRecovery?: {executeAfter}, chainTime}, with certificateNotAfter beside it")
	errNotCalls      = &ethsheet.Error{Reason: ethsheet.ReasonBadCalls, Detail: "calls must be an array of {to: string, value?: string, data?: string}"}
)

// newAPI builds the globalThis.mynaconnectSheet object: jsglue's
// checkOrigin and renderOrigin, and the Ethereum sheets (see wasm/README.md
// and package ethsheet):
//
//	renderConnect(container, {origin, firstSeen, lang, account, chain, publicKeySha256,
//	    protection?, certificateNotAfter?})
//	  -> {ok, origin, self, account, chainId, warnings}
//	renderMessage(container, {…, message: "0x…"})
//	  -> {ok, origin, encoding, siwe, siweMismatch, bytes, warnings}
//	renderTypedData(container, {…, typedData: "<JSON text>"})
//	  -> {ok, origin, primaryType, verifyingContract, domainChainId, chainMismatch, warnings}
//	renderHandover(container, {origin, lang, account, chain, publicKeySha256})
//	  -> {ok, origin, self, account, chainId, warnings}: MynaConnect's own page only
//	renderCalls(container, {…, calls: [{to, value?, data?}], fee: {callGasLimit, verificationGasLimit,
//	    preVerificationGas, maxFeePerGas, maxPriorityFeePerGas, and with a paymaster: paymaster, feeToken,
//	    paymasterVerificationGasLimit, paymasterPostOpGasLimit, tokenPerNative, maxTokenCost}})
//	  -> {ok, origin, calls: [{kind, to, token?, amount?, unlimited?, recipient?, spender?, from?,
//	      moved?, keyCheck?, approvals?}],
//	      maxCost (wei, decimal), warnings}
//
// protection and certificateNotAfter are ethAccount's (every sheet of the
// account warns about a recovery under way and a coming renewal); self is
// true when origin is the module's own (MynaConnect's page asks: the only
// requester whose calls may change the account's protection).
//
// Failures: {ok: false, reason, detail}, the container emptied. reason is
// BAD_ARGUMENTS, BAD_ORIGIN, or the ethsheet reason for the payload.
func newAPI() js.Value {
	return jsglue.NewAPI(map[string]jsglue.Func{
		"renderConnect": ethRender("renderConnect", func(r ethsheet.Request, opts js.Value) (*ethsheet.Sheet, error) {
			pk, _ := str(opts, "publicKeySha256")
			return ethsheet.Connect(r, pk)
		}, func(s *ethsheet.Sheet, r *ethsheet.Request, res map[string]any) {
			res["account"], res["chainId"] = r.Account, r.Chain.ID
		}),
		"renderMessage": ethRender("renderMessage", func(r ethsheet.Request, opts js.Value) (*ethsheet.Sheet, error) {
			m, ok := str(opts, "message")
			if !ok {
				return nil, &ethsheet.Error{Reason: ethsheet.ReasonBadMessage, Detail: "message: " + errNotString.Error()}
			}
			return ethsheet.Message(r, m)
		}, func(s *ethsheet.Sheet, r *ethsheet.Request, res map[string]any) {
			res["encoding"], res["siwe"], res["siweMismatch"], res["bytes"] = s.Encoding, s.SIWE, s.SIWEMismatch, s.Bytes
		}),
		"renderTypedData": ethRender("renderTypedData", func(r ethsheet.Request, opts js.Value) (*ethsheet.Sheet, error) {
			text, ok := str(opts, "typedData")
			if !ok {
				return nil, &ethsheet.Error{Reason: ethsheet.ReasonBadTypedData, Detail: "typedData: " + errNotString.Error()}
			}
			return ethsheet.TypedData(r, text)
		}, func(s *ethsheet.Sheet, r *ethsheet.Request, res map[string]any) {
			res["primaryType"], res["chainMismatch"] = s.PrimaryType, s.ChainMismatch
			res["verifyingContract"], res["domainChainId"] = nil, nil
			if s.VerifyingContract != "" {
				res["verifyingContract"] = s.VerifyingContract
			}
			if s.HasDomainChainID {
				res["domainChainId"] = s.DomainChainID
			}
		}),
		"renderHandover": ethRender("renderHandover", func(r ethsheet.Request, opts js.Value) (*ethsheet.Sheet, error) {
			pk, _ := str(opts, "publicKeySha256")
			return ethsheet.Handover(r, pk)
		}, func(s *ethsheet.Sheet, r *ethsheet.Request, res map[string]any) {
			res["account"], res["chainId"] = r.Account, r.Chain.ID
		}),
		"renderCalls": ethRender("renderCalls", func(r ethsheet.Request, opts js.Value) (*ethsheet.Sheet, error) {
			calls, err := readCalls(opts.Get("calls"))
			if err != nil {
				return nil, err
			}
			return ethsheet.Calls(r, calls, readFee(opts.Get("fee")))
		}, func(s *ethsheet.Sheet, r *ethsheet.Request, res map[string]any) {
			res["maxCost"] = s.Fee.MaxCost.String()
			calls := make([]any, len(s.Calls))
			for i, c := range s.Calls {
				m := map[string]any{"kind": c.Kind, "to": c.To}
				for k, v := range map[string]string{"token": c.Token, "amount": c.Amount, "recipient": c.Recipient, "spender": c.Spender, "from": c.From, "moved": c.Moved, "keyCheck": c.KeyCheck} {
					if v != "" {
						m[k] = v
					}
				}
				if c.Kind == ethsheet.KindApprove {
					m["unlimited"] = c.Unlimited
				}
				if c.Kind == ethsheet.KindStartRecovery {
					m["approvals"] = c.Approvals
				}
				calls[i] = m
			}
			res["calls"] = calls
		}),
	})
}

// str reads a string member; missing or of another type is not ok.
func str(v js.Value, key string) (string, bool) {
	m := v.Get(key)
	if m.Type() != js.TypeString {
		return "", false
	}
	return m.String(), true
}

// integer reads a number member that is an integer in [min, max].
func integer(v js.Value, key string, min, max int64) (int64, bool) {
	m := v.Get(key)
	if m.Type() != js.TypeNumber {
		return 0, false
	}
	f := m.Float()
	if f < float64(min) || f > float64(max) || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}

func isArray(v js.Value) bool { return js.Global().Get("Array").Call("isArray", v).Bool() }

// readChain reads the chain option. It comes from the extension's chain
// configuration, so anything off is BAD_ARGUMENTS.
func readChain(v js.Value) (ethsheet.Chain, bool) {
	var c ethsheet.Chain
	if v.Type() != js.TypeObject {
		return c, false
	}
	n := v.Get("nativeCurrency")
	tokens := v.Get("tokens")
	if n.Type() != js.TypeObject || (!tokens.IsUndefined() && !isArray(tokens)) {
		return c, false
	}
	var ok [5]bool
	c.ID, ok[0] = integer(v, "chainId", 1, 1<<53)
	c.Name, ok[1] = str(v, "name")
	c.Native.Name, ok[2] = str(n, "name")
	c.Native.Symbol, ok[3] = str(n, "symbol")
	var d int64
	d, ok[4] = integer(n, "decimals", 0, 36)
	c.Native.Decimals = int(d)
	if ok != [5]bool{true, true, true, true, true} {
		return c, false
	}
	for i := 0; !tokens.IsUndefined() && i < tokens.Length(); i++ {
		tv := tokens.Index(i)
		if tv.Type() != js.TypeObject {
			return c, false
		}
		var t ethsheet.Token
		var okT [3]bool
		t.Address, okT[0] = str(tv, "address")
		t.Symbol, okT[1] = str(tv, "symbol")
		d, okT[2] = integer(tv, "decimals", 0, 36)
		t.Decimals = int(d)
		t.Name, _ = str(tv, "name")
		t.Fiat, _ = str(tv, "fiat")
		if okT != [3]bool{true, true, true} {
			return c, false
		}
		c.Tokens = append(c.Tokens, t)
	}
	return c, true
}

// readProtection reads the account's protection as the host's ethAccount
// gave it (opts.protection, opts.certificateNotAfter); absent is nil.
func readProtection(opts js.Value, now int64) (*ethsheet.Protection, bool) {
	v := opts.Get("protection")
	if v.IsUndefined() {
		return nil, true
	}
	if v.Type() != js.TypeObject || !isArray(v.Get("guardians")) {
		return nil, false
	}
	const maxTime = 1 << 53
	p := &ethsheet.Protection{Guardians: v.Get("guardians").Length(), Now: now}
	var ok [3]bool
	p.Recovery, ok[0] = str(v, "recovery")
	p.ChainTime, ok[1] = integer(v, "chainTime", 0, maxTime)
	p.CertificateNotAfter, ok[2] = integer(opts, "certificateNotAfter", 0, maxTime)
	if ok != [3]bool{true, true, true} {
		return nil, false
	}
	if pending := v.Get("pendingRecovery"); !pending.IsUndefined() {
		if pending.Type() != js.TypeObject {
			return nil, false
		}
		after, ok := integer(pending, "executeAfter", 1, maxTime)
		if !ok {
			return nil, false
		}
		p.ExecuteAfter = after
	}
	return p, true
}

// readFee reads the fee the host prepared; a missing member is "", which
// ethsheet.Calls refuses.
func readFee(v js.Value) ethsheet.FeeInput {
	var f ethsheet.FeeInput
	if v.Type() != js.TypeObject {
		return f
	}
	f.CallGasLimit, _ = str(v, "callGasLimit")
	f.VerificationGasLimit, _ = str(v, "verificationGasLimit")
	f.PreVerificationGas, _ = str(v, "preVerificationGas")
	f.MaxFeePerGas, _ = str(v, "maxFeePerGas")
	f.MaxPriorityFeePerGas, _ = str(v, "maxPriorityFeePerGas")
	f.Paymaster, _ = str(v, "paymaster")
	f.FeeToken, _ = str(v, "feeToken")
	f.PaymasterVerificationGasLimit, _ = str(v, "paymasterVerificationGasLimit")
	f.PaymasterPostOpGasLimit, _ = str(v, "paymasterPostOpGasLimit")
	f.TokenPerNative, _ = str(v, "tokenPerNative")
	f.MaxTokenCost, _ = str(v, "maxTokenCost")
	return f
}

// readCalls reads [{to, value?, data?}]: value and data may be absent
// (undefined or null), otherwise strings.
func readCalls(v js.Value) ([]ethsheet.CallInput, error) {
	if !isArray(v) || v.Length() > ethsheet.MaxCalls {
		return nil, errNotCalls
	}
	calls := make([]ethsheet.CallInput, v.Length())
	for i := range calls {
		cv := v.Index(i)
		if cv.Type() != js.TypeObject {
			return nil, errNotCalls
		}
		var ok bool
		if calls[i].To, ok = str(cv, "to"); !ok {
			return nil, errNotCalls
		}
		for _, f := range []struct {
			key string
			dst *string
		}{{"value", &calls[i].Value}, {"data", &calls[i].Data}} {
			m := cv.Get(f.key)
			switch m.Type() {
			case js.TypeUndefined, js.TypeNull:
			case js.TypeString:
				*f.dst = m.String()
			default:
				return nil, errNotCalls
			}
		}
	}
	return calls, nil
}
