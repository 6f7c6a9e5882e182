//go:build js && wasm

package jsglue_test

import (
	"syscall/js"
	"testing"

	"github.com/mynaconnect/mynaconnect/wasm/internal/jsglue"
	"github.com/mynaconnect/mynaconnect/wasm/internal/jsglue/jsgluetest"
)

// These tests run under Node (go_js_wasm_exec) and call the functions every
// module has the way the extension's consent page does, through JavaScript
// values.

func TestCheckOrigin(t *testing.T) {
	api := jsglue.NewAPI(nil)
	r := api.Call("checkOrigin", "https://www.xn--eckwd4c7c5976acvb2w6i.jp:8443")
	want := map[string]any{
		"ok": true, "origin": "https://www.xn--eckwd4c7c5976acvb2w6i.jp:8443", "scheme": "https",
		"asciiHost": "www.xn--eckwd4c7c5976acvb2w6i.jp", "unicodeHost": "www.日本語ドメイン.jp", "port": "8443",
		"registrableDomain": "日本語ドメイン.jp", "registrableDomainASCII": "xn--eckwd4c7c5976acvb2w6i.jp",
		"development": false, "idn": true,
	}
	for k, v := range want {
		if got := r.Get(k); !got.Equal(js.ValueOf(v)) {
			t.Errorf("checkOrigin().%s = %v, want %v", k, got, v)
		}
	}
	if w := r.Get("warnings"); !js.Global().Get("Array").Call("isArray", w).Bool() || w.Length() != 1 || w.Index(0).String() != "IDN" {
		t.Errorf("warnings = %v, want [IDN]", w)
	}

	r = api.Call("checkOrigin", "http://example.com")
	if r.Get("ok").Bool() || r.Get("reason").String() != "HTTP_NOT_LOOPBACK" || r.Get("warnings").Length() != 0 {
		t.Errorf("http://example.com: ok=%v reason=%v", r.Get("ok"), r.Get("reason"))
	}
	r = api.Call("checkOrigin", 42)
	if r.Get("ok").Bool() || r.Get("reason").String() != "BAD_ARGUMENTS" {
		t.Errorf("checkOrigin(42): reason=%v", r.Get("reason"))
	}
}

func TestRenderOrigin(t *testing.T) {
	api := jsglue.NewAPI(nil)
	container := jsgluetest.NewContainer()
	r := api.Call("renderOrigin", container, jsgluetest.Object(map[string]any{
		"origin": "https://login.xn--pypal-4ve.com", "firstSeen": true, "lang": "en",
	}))
	if !r.Get("ok").Bool() || r.Get("registrableDomain").String() != "pаypal.com" || r.Get("looksLike").String() != "login.paypal.com" {
		t.Fatalf("renderOrigin result ok=%v registrable=%v", r.Get("ok"), r.Get("registrableDomain"))
	}
	for selector, want := range map[string]int{
		`[data-sheet="origin"]`: 1, `[data-section="asker"]`: 1, `[data-section="sent"]`: 0,
		`[data-section="question"]`: 0, `[data-badge="first-visit"]`: 1,
		`[data-warning="CONFUSABLE"]`: 1, `[data-warning="MIXED_SCRIPT"]`: 1, `[data-warning="IDN"]`: 1,
	} {
		if got := jsgluetest.Count(container, selector); got != want {
			t.Errorf("%s: %d elements, want %d", selector, got, want)
		}
	}
	r = api.Call("renderOrigin", container, jsgluetest.Object(map[string]any{"origin": "null"}))
	if r.Get("ok").Bool() || r.Get("reason").String() != "OPAQUE" || container.Get("childNodes").Length() != 0 {
		t.Errorf("renderOrigin(null): ok=%v reason=%v, %d children left", r.Get("ok"), r.Get("reason"), container.Get("childNodes").Length())
	}
}

// A container that is not an element makes the DOM call throw; the glue
// reports it and keeps working instead of letting the panic end the module.
func TestRenderSurvivesABadContainer(t *testing.T) {
	api := jsglue.NewAPI(nil)
	r := api.Call("renderOrigin", jsgluetest.Object(map[string]any{}), jsgluetest.Object(map[string]any{"origin": "https://example.com"}))
	if r.Get("ok").Bool() || r.Get("reason").String() != "INTERNAL" {
		t.Errorf("bad container: ok=%v reason=%v", r.Get("ok"), r.Get("reason"))
	}
	if r := api.Call("checkOrigin", "https://example.com"); !r.Get("ok").Bool() {
		t.Errorf("the module stopped working after a caught panic")
	}
}
