//go:build js && wasm

package main

import "syscall/js"

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

func newFakeDocument() js.Value {
	return js.Global().Call("eval", fakeDOM)
}
