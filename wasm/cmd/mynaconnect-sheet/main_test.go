//go:build js && wasm

package main

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"io/fs"
	"strconv"
	"strings"
	"syscall/js"
	"testing"

	mynaconnect "github.com/mynaconnect/mynaconnect"
	"github.com/mynaconnect/mynaconnect/wasm/internal/jsglue/jsgluetest"
)

// These tests run under Node (go_js_wasm_exec) and call the API the way the
// extension's consent page does, through JavaScript values.

const inValidityMs = 1798761600000 // 2027-01-01T00:00:00Z, in Date.now() units

func authCert(t *testing.T) []byte {
	t.Helper()
	der, err := fs.ReadFile(mynaconnect.TestPKI(), "auth-cert.der")
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// keySum is the host's hash of the certificate's public key.
func keySum(t *testing.T, der []byte) string {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}

func uint8Array(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// foreignUint8Array is b in a Uint8Array of another realm (Node's vm), as
// a consent window's array is to the sheet host's module.
func foreignUint8Array(b []byte) js.Value {
	realm := js.Global().Call("require", "vm").Call("createContext")
	a := js.Global().Call("require", "vm").Call("runInContext", "new Uint8Array("+strconv.Itoa(len(b))+")", realm)
	for i, c := range b {
		a.SetIndex(i, int(c))
	}
	return a
}

// TestRenderLoginTakesAnotherWindowsCertificate: the sheet host's module
// draws the sheet of a consent window that passes its own Uint8Array; an
// object that only claims to be one is still refused.
func TestRenderLoginTakesAnotherWindowsCertificate(t *testing.T) {
	api := newAPI()
	doc := jsgluetest.NewFakeDocument()
	der := authCert(t)
	foreign := foreignUint8Array(der)
	if foreign.InstanceOf(js.Global().Get("Uint8Array")) {
		t.Fatal("the test's array is of this realm")
	}
	opts := func(cert js.Value) js.Value {
		return jsgluetest.Object(map[string]any{
			"origin": "https://example.com", "certificate": cert, "publicKeySha256": keySum(t, der), "now": inValidityMs,
		})
	}
	local, other := doc.Call("createElement", "div"), doc.Call("createElement", "div")
	if r := api.Call("renderLogin", local, opts(uint8Array(der))); !r.Get("ok").Bool() {
		t.Fatalf("local array: %v", r.Get("reason"))
	}
	if r := api.Call("renderLogin", other, opts(foreign)); !r.Get("ok").Bool() {
		t.Fatalf("another realm's array: %v %v", r.Get("reason"), r.Get("detail"))
	}
	if a, b := jsgluetest.Text(t, local, `[data-item="certificate"]`), jsgluetest.Text(t, other, `[data-item="certificate"]`); a != b {
		t.Errorf("the sheets differ: %q, %q", a, b)
	}
	pretender := js.Global().Call("eval", "({length: 3, 0: 1, 1: 2, 2: 3, [Symbol.toStringTag]: 'Uint8Array'})")
	if r := api.Call("renderLogin", doc.Call("createElement", "div"), opts(pretender)); r.Get("ok").Bool() || r.Get("reason").String() != "BAD_CERTIFICATE" {
		t.Errorf("an object that claims to be a Uint8Array: ok=%v reason=%v", r.Get("ok"), r.Get("reason"))
	}
}

func TestRenderLogin(t *testing.T) {
	api := newAPI()
	doc := jsgluetest.NewFakeDocument()
	container := doc.Call("createElement", "div")
	der := authCert(t)
	r := api.Call("renderLogin", container, jsgluetest.Object(map[string]any{
		"origin": "https://myconnect-lib.netlify.app", "firstSeen": true, "lang": "ja",
		"certificate": uint8Array(der), "publicKeySha256": keySum(t, der), "now": inValidityMs,
		"accounts": []any{map[string]any{"chain": "MynaConnect dev chain", "address": "0x70bF8e0F3C4B0b2409e3045902a06B87a424753a"}},
	}))
	if !r.Get("ok").Bool() {
		t.Fatalf("renderLogin: %v %v", r.Get("reason"), r.Get("detail"))
	}
	if got := r.Get("subject").String(); got != "C=JP, CN=OF2THUV3B12MZMQGIGDQRSZ" {
		t.Errorf("subject = %q", got)
	}
	for selector, want := range map[string]int{
		`[data-sheet="login"]`: 1, `[data-section="asker"]`: 1, `[data-section="sent"]`: 1,
		`[data-section="not-sent"]`: 1, `[data-section="question"]`: 1,
		`[data-item="certificate"]`: 1, `[data-item="publicKey"]`: 1, `[data-item="signature"]`: 1,
		`[data-item="myNumber"]`: 1, `[data-item="personal"]`: 1,
		`[data-badge="first-visit"]`: 1, `[data-badge="development"]`: 0, `[data-warning]`: 0,
	} {
		if got := jsgluetest.Count(container, selector); got != want {
			t.Errorf("%s: %d elements, want %d", selector, got, want)
		}
	}
	if got := container.Get("children").Length(); got != 1 {
		t.Errorf("container has %d children, want the sheet only", got)
	}
	for selector, want := range map[string]string{
		`[data-field="origin"]`:          "https://myconnect-lib.netlify.app",
		`[data-field="subject"]`:         "C=JP, CN=OF2THUV3B12MZMQGIGDQRSZ",
		`[data-field="municipality"]`:    "北海道 Sapporo-shi-Minami-ku",
		`[data-field="validity"]`:        "2026年4月1日から2031年3月31日まで",
		`[data-field="publicKeySha256"]`: keySum(t, der), // the host's hash, as given
		`[data-section="question"]`:      "呼び出し元のURLは https://myconnect-lib.netlify.app で間違いありませんか？",
		`[data-item="myNumber"]`:         "個人番号",
		`[data-field="linkedAccount"]`:   "0x70bF8e0F3C4B0b2409e3045902a06B87a424753a",
	} {
		if got := jsgluetest.Text(t, container, selector); got != want {
			t.Errorf("%s text %q, want %q", selector, got, want)
		}
	}

	// Rendering again replaces the sheet rather than adding a second one.
	api.Call("renderLogin", container, jsgluetest.Object(map[string]any{
		"origin": "http://localhost:8080", "lang": "en", "certificate": uint8Array(der), "publicKeySha256": keySum(t, der), "now": inValidityMs,
	}))
	if jsgluetest.Count(container, `[data-sheet="login"]`) != 1 || jsgluetest.Count(container, `[data-badge="development"]`) != 1 {
		t.Errorf("second render: %d sheets, %d development badges",
			jsgluetest.Count(container, `[data-sheet="login"]`), jsgluetest.Count(container, `[data-badge="development"]`))
	}
	if got := jsgluetest.Text(t, container, `[data-item="personal"]`); got != "Name, address, sex, date of birth" {
		t.Errorf("en personal item %q", got)
	}
}

func TestRenderLoginRefusals(t *testing.T) {
	api := newAPI()
	doc := jsgluetest.NewFakeDocument()
	der := authCert(t)
	tests := []struct {
		name   string
		opts   map[string]any
		reason string
	}{
		{"http origin", map[string]any{"origin": "http://example.com", "certificate": uint8Array(der)}, "BAD_ORIGIN"},
		{"origin with path", map[string]any{"origin": "https://example.com/x", "certificate": uint8Array(der)}, "BAD_ORIGIN"},
		{"no certificate", map[string]any{"origin": "https://example.com"}, "BAD_CERTIFICATE"},
		{"array, not Uint8Array", map[string]any{"origin": "https://example.com", "certificate": []any{1, 2}}, "BAD_CERTIFICATE"},
		{"trailing byte", map[string]any{"origin": "https://example.com", "certificate": uint8Array(append(append([]byte{}, der...), 0))}, "BAD_CERTIFICATE"},
		{"oversize", map[string]any{"origin": "https://example.com", "certificate": uint8Array(make([]byte, 20000))}, "BAD_CERTIFICATE"},
		{"garbage", map[string]any{"origin": "https://example.com", "certificate": uint8Array([]byte("hello"))}, "BAD_CERTIFICATE"},
		{"origin not a string", map[string]any{"origin": 1, "certificate": uint8Array(der)}, "BAD_ARGUMENTS"},
		{"accounts not an array", map[string]any{"origin": "https://example.com", "certificate": uint8Array(der), "publicKeySha256": keySum(t, der), "accounts": "0x12"}, "BAD_ARGUMENTS"},
		{"account without an address", map[string]any{"origin": "https://example.com", "certificate": uint8Array(der), "publicKeySha256": keySum(t, der),
			"accounts": []any{map[string]any{"chain": "x", "address": "0x12"}}}, "BAD_ARGUMENTS"},
		{"no key hash", map[string]any{"origin": "https://example.com", "certificate": uint8Array(der)}, "BAD_ARGUMENTS"},
		{"key hash in capitals", map[string]any{"origin": "https://example.com", "certificate": uint8Array(der),
			"publicKeySha256": strings.ToUpper(keySum(t, der))}, "BAD_ARGUMENTS"},
	}
	for _, tt := range tests {
		container := doc.Call("createElement", "div")
		// A sheet from an earlier request must not survive a refusal.
		api.Call("renderLogin", container, jsgluetest.Object(map[string]any{"origin": "https://example.com", "certificate": uint8Array(der), "publicKeySha256": keySum(t, der)}))
		r := api.Call("renderLogin", container, jsgluetest.Object(tt.opts))
		if r.Get("ok").Bool() || r.Get("reason").String() != tt.reason {
			t.Errorf("%s: ok=%v reason=%v detail=%v; want %s", tt.name, r.Get("ok"), r.Get("reason"), r.Get("detail"), tt.reason)
		}
		if tt.reason != "BAD_ARGUMENTS" && jsgluetest.Count(container, `[data-sheet]`) != 0 {
			t.Errorf("%s: a sheet is still shown after a refusal", tt.name)
		}
	}
	if r := api.Call("renderLogin"); r.Get("reason").String() != "BAD_ARGUMENTS" {
		t.Errorf("renderLogin(): reason %v", r.Get("reason"))
	}
}

func TestMainAnnouncesReadiness(t *testing.T) {
	jsgluetest.AnnouncesReadiness(t, main, "renderLogin")
}
