//go:build js && wasm

package jsglue

import (
	"syscall/js"

	"github.com/mynaconnect/mynaconnect/wasm/sheet"
)

// Mount replaces container's children with the node tree. It builds DOM
// with createElement, setAttribute and createTextNode only: nothing is ever
// parsed as HTML, so a host name or certificate field cannot become markup.
func Mount(container js.Value, n *sheet.Node) {
	doc := document(container)
	container.Call("replaceChildren", build(doc, n))
}

// Empty removes container's children, so a sheet from an earlier request
// never stays on screen next to an error.
func Empty(container js.Value) {
	if container.Type() == js.TypeObject {
		container.Call("replaceChildren")
	}
}

func document(container js.Value) js.Value {
	if d := container.Get("ownerDocument"); d.Type() == js.TypeObject {
		return d
	}
	return js.Global().Get("document")
}

func build(doc js.Value, n *sheet.Node) js.Value {
	if n.Tag == "" {
		return doc.Call("createTextNode", n.Text)
	}
	e := doc.Call("createElement", n.Tag)
	for _, a := range n.Attrs {
		e.Call("setAttribute", a.Name, a.Value)
	}
	for _, c := range n.Children {
		e.Call("appendChild", build(doc, c))
	}
	return e
}
