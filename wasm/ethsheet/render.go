package ethsheet

import (
	"strings"

	"github.com/mynaconnect/mynaconnect/wasm/sheet"
)

// Render builds the sheet as a node tree, with the login sheet's parts:
// <section data-sheet=Kind> with the asker header, the batch notice, the
// "sent" and "not-sent" lists and the question.
func Render(s *Sheet) *sheet.Node {
	root := sheet.El("section", "mc-sheet mc-eth").SetAttr("data-sheet", s.Kind).SetAttr("lang", s.Header.Lang)
	root.Children = append(root.Children, sheet.RenderAsker(s.Header))
	if s.Batch != "" {
		root.Children = append(root.Children, sheet.El("p", "mc-batch", sheet.Text(s.Batch)).SetAttr("data-field", "batch"))
	}
	sent := make([]*sheet.Node, len(s.Sent))
	for i, it := range s.Sent {
		li := sheet.RenderItem(it.Item)
		li.Attrs = append(li.Attrs, it.Attrs...)
		if it.Tree != nil {
			li.Children = append(li.Children, renderTree(it.Tree).SetAttr("data-field", "typedMessage"))
		}
		sent[i] = li
	}
	notSent := make([]*sheet.Node, len(s.NotSent))
	for i, it := range s.NotSent {
		notSent[i] = sheet.RenderItem(it)
	}
	root.Children = append(root.Children,
		sheet.RenderList("sent", s.SentHeading, sent...),
		sheet.RenderList("not-sent", s.NotSentHeading, notSent...),
		sheet.RenderQuestion(s.Header),
	)
	return root
}

// renderTree shows a struct or array as a nested list: each entry its
// name, then its value or the entries under it, indented.
func renderTree(e *Entry) *sheet.Node {
	class := "mc-tree"
	if strings.HasSuffix(e.Type, "]") {
		class += " mc-tree-array"
	}
	ul := sheet.El("ul", class)
	for _, c := range e.Children {
		li := sheet.El("li", "mc-tree-entry", sheet.El("span", "mc-tree-name", sheet.Text(c.Name))).
			SetAttr("data-path", c.Path).SetAttr("data-type", c.Type)
		switch {
		case c.Value != "":
			class := "mc-tree-value"
			if c.Type == "address" {
				li.Children = append(li.Children, sheet.El("span", class+" mc-address", sheet.AddressGroups(c.Value)...))
			} else {
				li.Children = append(li.Children, sheet.El("span", class, sheet.Text(c.Value)))
			}
		case len(c.Children) > 0:
			li.Children = append(li.Children, renderTree(c))
		}
		ul.Children = append(ul.Children, li)
	}
	return ul
}
