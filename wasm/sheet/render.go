package sheet

// Node is an element or, when Tag is "", a text node. The WebAssembly glue
// turns it into DOM with createElement, setAttribute and createTextNode:
// text is never parsed as HTML, so a certificate field or a host name
// cannot inject markup.
type Node struct {
	Tag      string
	Attrs    []Attr // in order, so the output is deterministic
	Text     string // text nodes only
	Children []*Node
}

// Attr is one attribute.
type Attr struct{ Name, Value string }

// El is an element with an optional class and children. Other sheets build
// their parts with El, Text and SetAttr.
func El(tag, class string, children ...*Node) *Node {
	n := &Node{Tag: tag, Children: children}
	if class != "" {
		n.Attrs = append(n.Attrs, Attr{"class", class})
	}
	return n
}

// Text is a text node.
func Text(s string) *Node { return &Node{Text: s} }

// SetAttr adds an attribute and returns n, for chaining.
func (n *Node) SetAttr(name, value string) *Node {
	n.Attrs = append(n.Attrs, Attr{name, value})
	return n
}

// Attr returns the value of the named attribute and whether it is set.
func (n *Node) Attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// TextContent is the DOM's textContent: all text below n, in order.
func (n *Node) TextContent() string {
	if n.Tag == "" {
		return n.Text
	}
	s := ""
	for _, c := range n.Children {
		s += c.TextContent()
	}
	return s
}

// Render builds the login sheet: <section data-sheet="login">, or
// data-sheet="origin" with only the asker header when s has nothing to send
// (the screens shown before the card is read).
func Render(s *Sheet) *Node {
	kind := "login"
	if len(s.Sent) == 0 {
		kind = "origin"
	}
	root := El("section", "mc-sheet").SetAttr("data-sheet", kind).SetAttr("lang", s.Lang)
	root.Children = append(root.Children, RenderAsker(s))
	if kind == "origin" {
		return root
	}
	root.Children = append(root.Children,
		renderItems("sent", s.SentHeading, s.Sent),
		renderItems("not-sent", s.NotSentHeading, s.NotSent),
		RenderQuestion(s),
	)
	return root
}

func phrase(tag, class string, p Phrase, valueTag, valueClass string) *Node {
	n := El(tag, class)
	if p.Before != "" {
		n.Children = append(n.Children, Text(p.Before))
	}
	n.Children = append(n.Children, El(valueTag, valueClass, Text(p.Value)))
	if p.After != "" {
		n.Children = append(n.Children, Text(p.After))
	}
	return n
}

// RenderAsker is the "who is asking" header: title, origin, badges and
// warnings, in that order.
func RenderAsker(s *Sheet) *Node {
	a := s.Asker
	header := El("header", "mc-asker").SetAttr("data-section", "asker")
	header.Children = append(header.Children, phrase("h1", "mc-title", s.Title, "span", "mc-site"))
	origin := El("p", "mc-origin-line",
		El("span", "mc-label", Text(a.Label)),
		Text(" "),
		El("span", "mc-origin",
			Text(a.OriginBefore),
			El("strong", "mc-registrable", Text(a.Site)),
			Text(a.OriginAfter),
		).SetAttr("data-field", "askerOrigin"),
	)
	header.Children = append(header.Children, origin)
	if a.ASCII != "" {
		header.Children = append(header.Children, El("p", "mc-origin-line mc-ascii",
			El("span", "mc-label", Text(a.ASCIILabel)),
			Text(" "),
			El("span", "mc-origin", Text(a.ASCII)).SetAttr("data-field", "askerOriginASCII"),
		))
	}
	if len(s.Badges) > 0 {
		badges := El("ul", "mc-badges")
		for _, b := range s.Badges {
			badges.Children = append(badges.Children,
				El("li", "mc-badge mc-badge-"+b.Key, Text(b.Text)).SetAttr("data-badge", b.Key))
		}
		header.Children = append(header.Children, badges)
	}
	for _, w := range s.Warnings {
		n := El("div", "mc-warning mc-"+w.Severity).SetAttr("data-warning", w.Code)
		if w.Severity == "danger" {
			// Read out by screen readers as soon as the sheet appears.
			n.SetAttr("role", "alert")
		}
		n.Children = append(n.Children, El("p", "mc-warning-title", Text(w.Title)))
		if w.Detail.Value != "" {
			n.Children = append(n.Children, phrase("p", "mc-warning-text", w.Detail, "strong", "mc-lookalike"))
		}
		n.Children = append(n.Children, El("p", "mc-warning-text", Text(w.Text)))
		header.Children = append(header.Children, n)
	}
	return header
}

// RenderList is a "sent" or "not-sent" section: a heading and the items,
// each an <li> from RenderItem (other sheets add their own parts to it).
func RenderList(section, heading string, items ...*Node) *Node {
	return El("section", "mc-list mc-"+section,
		El("h2", "mc-heading", Text(heading)),
		El("ul", "mc-items", items...),
	).SetAttr("data-section", section)
}

func renderItems(section, heading string, items []Item) *Node {
	lis := make([]*Node, len(items))
	for i, it := range items {
		lis[i] = RenderItem(it)
	}
	return RenderList(section, heading, lis...)
}

// RenderItem is one line of a list: <li data-item=Key> with its label,
// notes and fields.
func RenderItem(it Item) *Node {
	li := El("li", "mc-item", El("p", "mc-item-label", Text(it.Label))).SetAttr("data-item", it.Key)
	if it.Note != "" {
		li.Children = append(li.Children, El("p", "mc-note", Text(it.Note)))
	}
	if it.NotePhrase.Value != "" {
		li.Children = append(li.Children, phrase("p", "mc-note", it.NotePhrase, "span", "mc-origin"))
	}
	if len(it.Fields) > 0 {
		dl := El("dl", "mc-fields")
		for _, f := range it.Fields {
			row := El("div", "mc-field", El("dt", "mc-field-label", Text(f.Label)), fieldValue(f))
			if f.Note != "" {
				row.Children = append(row.Children, El("dd", "mc-note", Text(f.Note)))
			}
			dl.Children = append(dl.Children, row)
		}
		li.Children = append(li.Children, dl)
	}
	return li
}

func fieldValue(f Field) *Node {
	class := "mc-value mc-value-" + f.Key
	children := []*Node{Text(f.Value)}
	switch f.Format {
	case FormatAddress:
		class += " mc-address"
		children = AddressGroups(f.Value)
	case FormatBlock:
		class += " mc-block"
	}
	dd := El("dd", class, children...).SetAttr("data-field", f.Key)
	if f.Format == FormatBlock {
		// A region of its own that scrolls, so a long message or call data
		// cannot push the question off the screen; tabindex lets a keyboard
		// user scroll it.
		dd.SetAttr("tabindex", "0")
	}
	return dd
}

// AddressGroups splits "0x97748380…" into "0x", "9774", "8380", … spans
// the style sheet spaces apart, the way the mock screens show addresses:
// easier to read aloud and compare, while textContent (and copying) stays
// the exact address.
func AddressGroups(s string) []*Node {
	var out []*Node
	rest := s
	if len(rest) > 2 && rest[:2] == "0x" {
		out = append(out, El("span", "mc-group", Text("0x")))
		rest = rest[2:]
	}
	for len(rest) > 0 {
		n := min(4, len(rest))
		out = append(out, El("span", "mc-group", Text(rest[:n])))
		rest = rest[n:]
	}
	return out
}

// RenderQuestion asks whether the origin is the site the person is using.
func RenderQuestion(s *Sheet) *Node {
	q := s.Question
	p := El("p", "mc-question-text")
	p.Children = append(p.Children, Text(q.Before))
	if s.QuestionUnicode != "" {
		p.Children = append(p.Children,
			El("span", "mc-origin", Text(s.QuestionUnicode)).SetAttr("data-field", "originUnicode"),
			Text(" ("))
	}
	p.Children = append(p.Children, El("span", "mc-origin", Text(q.Value)).SetAttr("data-field", "origin"))
	if s.QuestionUnicode != "" {
		p.Children = append(p.Children, Text(")"))
	}
	p.Children = append(p.Children, Text(q.After))
	return El("section", "mc-question", p).SetAttr("data-section", "question")
}
