//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"

	"github.com/mynaconnect/mynaconnect/wasm/certview"
	"github.com/mynaconnect/mynaconnect/wasm/origin"
	"github.com/mynaconnect/mynaconnect/wasm/sheet"
)

// Reasons the render functions return besides origin.Reason values.
const (
	reasonBadOrigin      = "BAD_ORIGIN"      // renderLogin: origin refused; detail has the origin reason
	reasonBadCertificate = "BAD_CERTIFICATE" // renderLogin: certificate unreadable; detail says why
	reasonBadArguments   = "BAD_ARGUMENTS"   // wrong types: not a string, not an element, not a Uint8Array
	reasonInternal       = "INTERNAL"        // a bug: a Go panic, caught so the module stays usable
)

// newAPI builds the globalThis.mynaconnectSheet object:
//
//	checkOrigin(origin)                                       -> origin result
//	renderOrigin(container, {origin, firstSeen, lang})        -> origin result
//	renderLogin(container, {origin, firstSeen, certificate, lang, now}) -> login result
//
// Results are plain objects; see originResult and renderLogin.
func newAPI() js.Value {
	api := js.Global().Get("Object").New()
	api.Set("checkOrigin", guard(func(args []js.Value) map[string]any {
		if len(args) < 1 || args[0].Type() != js.TypeString {
			return failure(reasonBadArguments, "checkOrigin(origin: string)")
		}
		return checkOrigin(args[0].String())
	}))
	api.Set("renderOrigin", guard(renderOrigin))
	api.Set("renderLogin", guard(renderLogin))
	return api
}

// guard turns a Go function into a JS one that never throws: a panic (a
// syscall/js call on undefined, or a bug) would otherwise end the Go
// program and every later call would fail.
func guard(f func(args []js.Value) map[string]any) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = failure(reasonInternal, panicText(r))
			}
		}()
		return js.ValueOf(f(args))
	})
}

func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "panic"
}

func failure(reason, detail string) map[string]any {
	return map[string]any{"ok": false, "reason": reason, "detail": detail}
}

// checkOrigin is the origin result: {ok, reason?, detail?, origin, scheme,
// asciiHost, unicodeHost, port, registrableDomain, registrableDomainASCII,
// development, idn, ipAddress, looksLike, warnings}.
func checkOrigin(s string) map[string]any {
	o, err := origin.Analyze(s)
	if err != nil {
		// Analyze returns *origin.Error only; a type assertion instead of
		// errors.As keeps reflectlite out of the module.
		reason := reasonInternal
		if e, ok := err.(*origin.Error); ok {
			reason = string(e.Reason)
		}
		return map[string]any{"ok": false, "reason": reason, "detail": err.Error(), "origin": s, "warnings": []any{}}
	}
	return originResult(o)
}

func originResult(o *origin.Origin) map[string]any {
	warnings := make([]any, len(o.Warnings))
	for i, w := range o.Warnings {
		warnings[i] = string(w)
	}
	return map[string]any{
		"ok":                     true,
		"origin":                 o.Serialized,
		"scheme":                 o.Scheme,
		"asciiHost":              o.ASCIIHost,
		"unicodeHost":            o.UnicodeHost,
		"port":                   o.Port,
		"registrableDomain":      o.RegistrableDomain,
		"registrableDomainASCII": o.RegistrableDomainASCII,
		"development":            o.Development,
		"idn":                    o.IDN,
		"ipAddress":              o.IPAddress,
		"looksLike":              o.LooksLike,
		"warnings":               warnings,
	}
}

// options reads {origin, firstSeen, lang, now} shared by both renderers.
type options struct {
	container js.Value
	origin    string
	firstSeen bool
	lang      string
	now       int64 // Unix seconds
	opts      js.Value
}

func readOptions(args []js.Value) (options, bool) {
	if len(args) < 2 || args[0].Type() != js.TypeObject || args[1].Type() != js.TypeObject {
		return options{}, false
	}
	opts := args[1]
	o := options{container: args[0], opts: opts}
	if v := opts.Get("origin"); v.Type() == js.TypeString {
		o.origin = v.String()
	} else {
		return options{}, false
	}
	o.firstSeen = opts.Get("firstSeen").Truthy()
	if v := opts.Get("lang"); v.Type() == js.TypeString {
		o.lang = v.String()
	}
	// now (milliseconds, like Date.now()) lets a test pin the clock.
	ms := js.Global().Get("Date").Call("now").Float()
	if v := opts.Get("now"); v.Type() == js.TypeNumber {
		ms = v.Float()
	}
	o.now = int64(ms / 1000)
	return o, true
}

// renderOrigin(container, {origin, firstSeen, lang}) renders the "who is
// asking" header alone and returns the origin result. A refused origin
// empties the container.
func renderOrigin(args []js.Value) map[string]any {
	o, ok := readOptions(args)
	if !ok {
		return failure(reasonBadArguments, "renderOrigin(container: Element, {origin: string, firstSeen, lang})")
	}
	res := checkOrigin(o.origin)
	analysed, err := origin.Analyze(o.origin)
	if err != nil {
		empty(o.container)
		return res
	}
	s := sheet.Build(sheet.Input{Origin: analysed, FirstSeen: o.firstSeen, Lang: o.lang})
	mount(o.container, sheet.Render(s))
	return res
}

// renderLogin(container, {origin, firstSeen, certificate, lang, now})
// renders the whole sheet and returns {ok, reason?, detail?, origin,
// certificateSha256, subject, publicKeySha256, registrableDomain}. A refused
// origin (BAD_ORIGIN) or unreadable certificate (BAD_CERTIFICATE) empties
// the container.
func renderLogin(args []js.Value) map[string]any {
	o, ok := readOptions(args)
	if !ok {
		return failure(reasonBadArguments, "renderLogin(container: Element, {origin: string, certificate: Uint8Array, firstSeen, lang})")
	}
	analysed, err := origin.Analyze(o.origin)
	if err != nil {
		empty(o.container)
		return failure(reasonBadOrigin, err.Error())
	}
	der, err := certificateBytes(o.opts.Get("certificate"))
	if err != nil {
		empty(o.container)
		return failure(reasonBadCertificate, err.Error())
	}
	cert, err := certview.Parse(der)
	if err != nil {
		empty(o.container)
		return failure(reasonBadCertificate, err.Error())
	}
	s := sheet.Build(sheet.Input{Origin: analysed, Certificate: cert, FirstSeen: o.firstSeen, Lang: o.lang, Now: o.now})
	mount(o.container, sheet.Render(s))
	return map[string]any{
		"ok":                true,
		"origin":            analysed.Serialized,
		"registrableDomain": analysed.RegistrableDomain,
		"certificateSha256": cert.SHA256,
		"subject":           cert.Subject,
		"publicKeySha256":   cert.PublicKeySHA256,
	}
}

var errNotUint8Array = errors.New("certificate is not a Uint8Array")

// certificateBytes copies a Uint8Array, refusing oversize input before
// copying it.
func certificateBytes(v js.Value) ([]byte, error) {
	if v.Type() != js.TypeObject || !v.InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, errNotUint8Array
	}
	n := v.Get("length").Int()
	if n > certview.MaxSize {
		return nil, certview.ErrTooLarge
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, v)
	return b, nil
}
