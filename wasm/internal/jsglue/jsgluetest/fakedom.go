//go:build js && wasm

// Package jsgluetest holds what the tests of the consent sheet's glue
// share (package jsglue and both modules' mains): a fake DOM and helpers to
// query it and to call the API through JavaScript values.
package jsgluetest

import (
	"syscall/js"
	"testing"
)

// fakeDOM is just enough of a DOM for the glue, in JavaScript: elements
// with attributes, children and textContent, and a one-attribute
// querySelectorAll. Node has no DOM, and the point is to test the glue's
// calls, not a browser. innerHTML, outerHTML and insertAdjacentHTML throw:
// the sheet must never be built from markup.
const fakeDOM = `(() => {
  const forbidden = (name) => { throw new Error(name + " used: the sheet must not parse HTML"); };
  class Text {
    constructor(doc, data) { this.nodeType = 3; this.data = String(data); this.ownerDocument = doc; }
    get textContent() { return this.data; }
  }
  class Element {
    constructor(doc, tag) {
      this.nodeType = 1; this.tagName = String(tag).toUpperCase(); this.ownerDocument = doc;
      this.attrs = new Map(); this.childNodes = [];
    }
    setAttribute(name, value) { this.attrs.set(String(name), String(value)); }
    getAttribute(name) { return this.attrs.has(name) ? this.attrs.get(name) : null; }
    hasAttribute(name) { return this.attrs.has(name); }
    appendChild(child) {
      if (!(child instanceof Element || child instanceof Text)) throw new TypeError("not a node");
      this.childNodes.push(child); return child;
    }
    replaceChildren(...children) { this.childNodes = []; for (const c of children) this.appendChild(c); }
    get children() { return this.childNodes.filter((c) => c instanceof Element); }
    get textContent() { return this.childNodes.map((c) => c.textContent).join(""); }
    set innerHTML(v) { forbidden("innerHTML"); }
    get innerHTML() { return forbidden("innerHTML"); }
    set outerHTML(v) { forbidden("outerHTML"); }
    insertAdjacentHTML() { forbidden("insertAdjacentHTML"); }
    querySelectorAll(selector) {
      const m = /^\[([a-z-]+)(?:="([^"]*)")?\]$/.exec(selector);
      if (!m) throw new Error("fake DOM supports only [attr] and [attr=\"value\"]: " + selector);
      const out = [];
      const walk = (el) => {
        for (const c of el.children) {
          if (c.hasAttribute(m[1]) && (m[2] === undefined || c.getAttribute(m[1]) === m[2])) out.push(c);
          walk(c);
        }
      };
      walk(this);
      return out;
    }
    querySelector(selector) { return this.querySelectorAll(selector)[0] || null; }
  }
  const doc = {
    created: 0,
    createElement(tag) { this.created++; return new Element(this, tag); },
    createTextNode(data) { return new Text(this, data); },
    write() { forbidden("document.write"); },
    createRange() { forbidden("createRange"); },
  };
  return doc;
})()`

// NewFakeDocument returns a fresh fake document.
func NewFakeDocument() js.Value {
	return js.Global().Call("eval", fakeDOM)
}

// NewContainer returns a div of a fresh fake document.
func NewContainer() js.Value {
	return NewFakeDocument().Call("createElement", "div")
}

// Object is kv as a JavaScript object.
func Object(kv map[string]any) js.Value { return js.ValueOf(kv) }

// Count is how many elements under container match selector.
func Count(container js.Value, selector string) int {
	return container.Call("querySelectorAll", selector).Length()
}

// Text is the textContent of the first element under container matching
// selector; the test fails when there is none.
func Text(t *testing.T, container js.Value, selector string) string {
	t.Helper()
	n := container.Call("querySelector", selector)
	if n.IsNull() {
		t.Fatalf("no element matches %s", selector)
	}
	return n.Get("textContent").String()
}

// AnnouncesReadiness runs a module's main and checks that it calls
// globalThis.mynaconnectSheetReady once globalThis.mynaconnectSheet has
// the functions named.
func AnnouncesReadiness(t *testing.T, main func(), functions ...string) {
	t.Helper()
	ready := make(chan struct{})
	cb := js.FuncOf(func(this js.Value, args []js.Value) any {
		close(ready)
		return nil
	})
	defer cb.Release()
	js.Global().Set("mynaconnectSheetReady", cb)
	go main()
	<-ready
	api := js.Global().Get("mynaconnectSheet")
	for _, f := range append([]string{"checkOrigin", "renderOrigin"}, functions...) {
		if api.Get(f).Type() != js.TypeFunction {
			t.Errorf("globalThis.mynaconnectSheet.%s is %v", f, api.Get(f).Type())
		}
	}
}
