//go:build js && wasm

// Package jsglue is the syscall/js glue the consent sheet's WebAssembly
// modules share (cmd/mynaconnect-sheet for the login, cmd/mynaconnect-ethsheet
// for Ethereum): the globalThis.mynaconnectSheet object with checkOrigin and
// renderOrigin, the readiness call, reading the common options, results that
// never throw, and copying a sheet's node tree into the page. Each module
// adds its own render functions, so the consent window downloads only the
// sheets it shows.
package jsglue

import (
	"syscall/js"

	"github.com/mynaconnect/mynaconnect/wasm/origin"
	"github.com/mynaconnect/mynaconnect/wasm/sheet"
)

// Reasons every module's functions return besides origin.Reason values and
// their sheets' own.
const (
	ReasonBadOrigin    = "BAD_ORIGIN"    // a render function's origin refused; detail has the origin reason
	ReasonBadArguments = "BAD_ARGUMENTS" // wrong types: not a string, not an element, …
	ReasonInternal     = "INTERNAL"      // a bug: a Go panic, caught so the module stays usable
)

// Func is one of the API's functions: JavaScript arguments in, a plain
// result object out.
type Func func(args []js.Value) map[string]any

// NewAPI builds the globalThis.mynaconnectSheet object:
//
//	checkOrigin(origin)                                -> origin result
//	renderOrigin(container, {origin, firstSeen, lang}) -> origin result
//
// plus renders, by name, each wrapped in Guard.
func NewAPI(renders map[string]Func) js.Value {
	api := js.Global().Get("Object").New()
	api.Set("checkOrigin", Guard(func(args []js.Value) map[string]any {
		if len(args) < 1 || args[0].Type() != js.TypeString {
			return Failure(ReasonBadArguments, "checkOrigin(origin: string)")
		}
		return CheckOrigin(args[0].String())
	}))
	api.Set("renderOrigin", Guard(renderOrigin))
	for name, f := range renders {
		api.Set(name, Guard(f))
	}
	return api
}

// Serve publishes api as globalThis.mynaconnectSheet, calls
// globalThis.mynaconnectSheetReady() if the page set it, and then blocks
// so the functions keep working: every module's main.
func Serve(api js.Value) {
	js.Global().Set("mynaconnectSheet", api)
	if ready := js.Global().Get("mynaconnectSheetReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

// Guard turns a Go function into a JS one that never throws: a panic (a
// syscall/js call on undefined, or a bug) would otherwise end the Go
// program and every later call would fail.
func Guard(f Func) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = Failure(ReasonInternal, PanicText(r))
			}
		}()
		return js.ValueOf(f(args))
	})
}

// PanicText is a recovered value's message, without fmt.
func PanicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "panic"
}

// Failure is the {ok: false, reason, detail} result.
func Failure(reason, detail string) map[string]any {
	return map[string]any{"ok": false, "reason": reason, "detail": detail}
}

// CheckOrigin is the origin result: {ok, reason?, detail?, origin, scheme,
// asciiHost, unicodeHost, port, registrableDomain, registrableDomainASCII,
// development, idn, ipAddress, looksLike, warnings}.
func CheckOrigin(s string) map[string]any {
	o, err := origin.Analyze(s)
	if err != nil {
		// Analyze returns *origin.Error only; a type assertion instead of
		// errors.As keeps reflectlite out of the module.
		reason := ReasonInternal
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

// Options are the (container, {origin, firstSeen, lang, now}) arguments
// every render function takes.
type Options struct {
	Container js.Value
	Origin    string
	FirstSeen bool
	Lang      string
	Now       int64    // Unix seconds
	Opts      js.Value // the options object, for the members a sheet adds
}

// ReadOptions reads args; not ok when the container or options are not
// objects or origin is not a string.
func ReadOptions(args []js.Value) (Options, bool) {
	if len(args) < 2 || args[0].Type() != js.TypeObject || args[1].Type() != js.TypeObject {
		return Options{}, false
	}
	opts := args[1]
	o := Options{Container: args[0], Opts: opts}
	if v := opts.Get("origin"); v.Type() == js.TypeString {
		o.Origin = v.String()
	} else {
		return Options{}, false
	}
	o.FirstSeen = opts.Get("firstSeen").Truthy()
	if v := opts.Get("lang"); v.Type() == js.TypeString {
		o.Lang = v.String()
	}
	// now (milliseconds, like Date.now()) lets a test pin the clock.
	ms := js.Global().Get("Date").Call("now").Float()
	if v := opts.Get("now"); v.Type() == js.TypeNumber {
		ms = v.Float()
	}
	o.Now = int64(ms / 1000)
	return o, true
}

// renderOrigin(container, {origin, firstSeen, lang}) renders the "who is
// asking" header alone and returns the origin result. A refused origin
// empties the container. The module's own origin (MynaConnect's page asks)
// is named as MynaConnect: {ok: true, self: true}.
func renderOrigin(args []js.Value) map[string]any {
	o, ok := ReadOptions(args)
	if !ok {
		return Failure(ReasonBadArguments, "renderOrigin(container: Element, {origin: string, firstSeen, lang})")
	}
	if IsOwnOrigin(o.Origin) {
		Mount(o.Container, sheet.Render(sheet.Build(sheet.Input{Self: true, Lang: o.Lang})))
		return map[string]any{"ok": true, "self": true, "origin": o.Origin}
	}
	res := CheckOrigin(o.Origin)
	analysed, err := origin.Analyze(o.Origin)
	if err != nil {
		Empty(o.Container)
		return res
	}
	s := sheet.Build(sheet.Input{Origin: analysed, FirstSeen: o.FirstSeen, Lang: o.Lang})
	Mount(o.Container, sheet.Render(s))
	return res
}

// IsOwnOrigin says whether origin is the one this module runs in: the
// extension's, when MynaConnect's own page asks (the browser gave the
// service worker the origin; a site never has this one).
func IsOwnOrigin(origin string) bool {
	loc := js.Global().Get("location")
	return loc.Type() == js.TypeObject && origin == loc.Get("origin").String()
}
