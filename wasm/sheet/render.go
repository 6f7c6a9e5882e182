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

func el(tag, class string, children ...*Node) *Node {
	n := &Node{Tag: tag, Children: children}
	if class != "" {
		n.Attrs = append(n.Attrs, Attr{"class", class})
	}
	return n
}

func text(s string) *Node { return &Node{Text: s} }

func (n *Node) attr(name, value string) *Node {
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
	root := el("section", "mc-sheet").attr("data-sheet", kind).attr("lang", s.Lang)
	root.Children = append(root.Children, renderAsker(s))
	if kind == "origin" {
		return root
	}
	root.Children = append(root.Children,
		renderItems("sent", s.SentHeading, s.Sent),
		renderItems("not-sent", s.NotSentHeading, s.NotSent),
		renderQuestion(s),
	)
	return root
}

func phrase(tag, class string, p Phrase, valueTag, valueClass string) *Node {
	n := el(tag, class)
	if p.Before != "" {
		n.Children = append(n.Children, text(p.Before))
	}
	n.Children = append(n.Children, el(valueTag, valueClass, text(p.Value)))
	if p.After != "" {
		n.Children = append(n.Children, text(p.After))
	}
	return n
}

func renderAsker(s *Sheet) *Node {
	a := s.Asker
	header := el("header", "mc-asker").attr("data-section", "asker")
	header.Children = append(header.Children, phrase("h1", "mc-title", s.Title, "span", "mc-site"))
	origin := el("p", "mc-origin-line",
		el("span", "mc-label", text(a.Label)),
		text(" "),
		el("span", "mc-origin",
			text(a.OriginBefore),
			el("strong", "mc-registrable", text(a.Site)),
			text(a.OriginAfter),
		).attr("data-field", "askerOrigin"),
	)
	header.Children = append(header.Children, origin)
	if a.ASCII != "" {
		header.Children = append(header.Children, el("p", "mc-origin-line mc-ascii",
			el("span", "mc-label", text(a.ASCIILabel)),
			text(" "),
			el("span", "mc-origin", text(a.ASCII)).attr("data-field", "askerOriginASCII"),
		))
	}
	if len(s.Badges) > 0 {
		badges := el("ul", "mc-badges")
		for _, b := range s.Badges {
			badges.Children = append(badges.Children,
				el("li", "mc-badge mc-badge-"+b.Key, text(b.Text)).attr("data-badge", b.Key))
		}
		header.Children = append(header.Children, badges)
	}
	for _, w := range s.Warnings {
		n := el("div", "mc-warning mc-"+w.Severity).attr("data-warning", w.Code)
		if w.Severity == "danger" {
			// Read out by screen readers as soon as the sheet appears.
			n.attr("role", "alert")
		}
		n.Children = append(n.Children, el("p", "mc-warning-title", text(w.Title)))
		if w.LooksLike.Value != "" {
			n.Children = append(n.Children, phrase("p", "mc-warning-text", w.LooksLike, "strong", "mc-lookalike"))
		}
		n.Children = append(n.Children, el("p", "mc-warning-text", text(w.Text)))
		header.Children = append(header.Children, n)
	}
	return header
}

func renderItems(section, heading string, items []Item) *Node {
	n := el("section", "mc-list mc-"+section).attr("data-section", section)
	n.Children = append(n.Children, el("h2", "mc-heading", text(heading)))
	list := el("ul", "mc-items")
	for _, it := range items {
		li := el("li", "mc-item").attr("data-item", it.Key)
		li.Children = append(li.Children, el("p", "mc-item-label", text(it.Label)))
		if it.Note != "" {
			li.Children = append(li.Children, el("p", "mc-note", text(it.Note)))
		}
		if it.NotePhrase.Value != "" {
			li.Children = append(li.Children, phrase("p", "mc-note", it.NotePhrase, "span", "mc-origin"))
		}
		if len(it.Fields) > 0 {
			dl := el("dl", "mc-fields")
			for _, f := range it.Fields {
				value := el("dd", "mc-value mc-value-"+f.Key, text(f.Value)).attr("data-field", f.Key)
				row := el("div", "mc-field", el("dt", "mc-field-label", text(f.Label)), value)
				if f.Note != "" {
					row.Children = append(row.Children, el("dd", "mc-note", text(f.Note)))
				}
				dl.Children = append(dl.Children, row)
			}
			li.Children = append(li.Children, dl)
		}
		list.Children = append(list.Children, li)
	}
	n.Children = append(n.Children, list)
	return n
}

func renderQuestion(s *Sheet) *Node {
	q := s.Question
	p := el("p", "mc-question-text")
	p.Children = append(p.Children, text(q.Before))
	if s.QuestionUnicode != "" {
		p.Children = append(p.Children,
			el("span", "mc-origin", text(s.QuestionUnicode)).attr("data-field", "originUnicode"),
			text(" ("))
	}
	p.Children = append(p.Children, el("span", "mc-origin", text(q.Value)).attr("data-field", "origin"))
	if s.QuestionUnicode != "" {
		p.Children = append(p.Children, text(")"))
	}
	p.Children = append(p.Children, text(q.After))
	return el("section", "mc-question", p).attr("data-section", "question")
}
