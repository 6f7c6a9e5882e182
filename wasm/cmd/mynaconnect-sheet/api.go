//go:build js && wasm

package main

import (
	"errors"
	"github.com/mynaconnect/mynaconnect/wasm/ethtext"
	"syscall/js"

	"github.com/mynaconnect/mynaconnect/wasm/certview"
	"github.com/mynaconnect/mynaconnect/wasm/internal/jsglue"
	"github.com/mynaconnect/mynaconnect/wasm/origin"
	"github.com/mynaconnect/mynaconnect/wasm/sheet"
)

// reasonBadCertificate is renderLogin's: the certificate is unreadable;
// detail says why.
const reasonBadCertificate = "BAD_CERTIFICATE"

// newAPI builds the globalThis.mynaconnectSheet object: jsglue's
// checkOrigin and renderOrigin, and
//
//	renderLogin(container, {origin, firstSeen, certificate, publicKeySha256, lang, now, accounts?}) -> login result
func newAPI() js.Value {
	return jsglue.NewAPI(map[string]jsglue.Func{"renderLogin": renderLogin})
}

// renderLogin(container, {origin, firstSeen, certificate, publicKeySha256,
// lang, now, accounts?: [{chain, address}]}) renders the whole sheet and
// returns {ok, reason?, detail?, origin, subject, registrableDomain}.
// publicKeySha256 is the host's hash of the certificate's key (the sheet
// hashes nothing). A refused origin (BAD_ORIGIN), unreadable certificate
// (BAD_CERTIFICATE) or malformed hash (BAD_ARGUMENTS) empties the
// container.
func renderLogin(args []js.Value) map[string]any {
	o, ok := jsglue.ReadOptions(args)
	if !ok {
		return jsglue.Failure(jsglue.ReasonBadArguments, "renderLogin(container: Element, {origin: string, certificate: Uint8Array, firstSeen, lang})")
	}
	analysed, err := origin.Analyze(o.Origin)
	if err != nil {
		jsglue.Empty(o.Container)
		return jsglue.Failure(jsglue.ReasonBadOrigin, err.Error())
	}
	der, err := certificateBytes(o.Opts.Get("certificate"))
	if err != nil {
		jsglue.Empty(o.Container)
		return jsglue.Failure(reasonBadCertificate, err.Error())
	}
	cert, err := certview.Parse(der)
	if err != nil {
		jsglue.Empty(o.Container)
		return jsglue.Failure(reasonBadCertificate, err.Error())
	}
	keySum := o.Opts.Get("publicKeySha256")
	if keySum.Type() != js.TypeString || !isSHA256Hex(keySum.String()) {
		jsglue.Empty(o.Container)
		return jsglue.Failure(jsglue.ReasonBadArguments, "publicKeySha256 must be 64 lowercase hex digits")
	}
	accounts, ok := readAccounts(o.Opts.Get("accounts"))
	if !ok {
		jsglue.Empty(o.Container)
		return jsglue.Failure(jsglue.ReasonBadArguments, "accounts must be [{chain: string, address: 0x and 40 hex digits}]")
	}
	s := sheet.Build(sheet.Input{Origin: analysed, Certificate: cert, PublicKeySHA256: keySum.String(),
		FirstSeen: o.FirstSeen, Lang: o.Lang, Now: o.Now, Accounts: accounts})
	jsglue.Mount(o.Container, sheet.Render(s))
	return map[string]any{
		"ok":                true,
		"origin":            analysed.Serialized,
		"registrableDomain": analysed.RegistrableDomain,
		"subject":           cert.Subject,
	}
}

// isSHA256Hex reports whether s is a SHA-256 as the host writes it: 64
// lowercase hex digits.
func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

var errNotUint8Array = errors.New("certificate is not a Uint8Array")

// readAccounts reads the card's accounts the host derived from the
// certificate (readAuthCertificate's accounts); absent is none.
func readAccounts(v js.Value) ([]sheet.Account, bool) {
	if v.IsUndefined() || v.IsNull() {
		return nil, true
	}
	if !js.Global().Get("Array").Call("isArray", v).Bool() || v.Length() > 16 {
		return nil, false
	}
	accounts := make([]sheet.Account, v.Length())
	for i := range accounts {
		a := v.Index(i)
		if a.Type() != js.TypeObject || a.Get("chain").Type() != js.TypeString || a.Get("address").Type() != js.TypeString {
			return nil, false
		}
		accounts[i] = sheet.Account{Chain: a.Get("chain").String(), Address: a.Get("address").String()}
		if !ethtext.IsAddress(accounts[i].Address) || accounts[i].Chain == "" {
			return nil, false
		}
	}
	return accounts, true
}

// certificateBytes copies a Uint8Array, refusing oversize input before
// copying it. The array may come from another window (a consent window
// calling the sheet host, see extension/src/sheethost.js), whose
// Uint8Array is not this one's: it is recognised by its tag, and copied
// into one of this window's, which js.CopyBytesToGo requires.
func certificateBytes(v js.Value) ([]byte, error) {
	if v.Type() != js.TypeObject || !js.Global().Get("ArrayBuffer").Call("isView", v).Bool() ||
		objectTag.Call("call", v).String() != "[object Uint8Array]" {
		return nil, errNotUint8Array
	}
	n := v.Get("length").Int()
	if n > certview.MaxSize {
		return nil, certview.ErrTooLarge
	}
	if !v.InstanceOf(js.Global().Get("Uint8Array")) {
		v = js.Global().Get("Uint8Array").New(v)
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, v)
	return b, nil
}

// objectTag is Object.prototype.toString, which names a typed array's type
// in any window (ArrayBuffer.isView first tells a typed array from an
// object that only claims the name).
var objectTag = js.Global().Get("Object").Get("prototype").Get("toString")
