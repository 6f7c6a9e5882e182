package sheet

import (
	"strings"
	"testing"
)

func findAll(n *Node, name, value string) []*Node {
	var out []*Node
	if v, ok := n.Attr(name); ok && (value == "" || v == value) {
		out = append(out, n)
	}
	for _, c := range n.Children {
		out = append(out, findAll(c, name, value)...)
	}
	return out
}

func find(t *testing.T, n *Node, name, value string) *Node {
	t.Helper()
	all := findAll(n, name, value)
	if len(all) != 1 {
		t.Fatalf("%d elements with %s=%q, want 1", len(all), name, value)
	}
	return all[0]
}

func TestRenderLoginHooks(t *testing.T) {
	cert := testCert(t)
	for _, lang := range []string{"ja", "en"} {
		o := analyze(t, "http://localhost:8080")
		root := Render(Build(Input{Origin: o, Certificate: cert, PublicKeySHA256: testKeySum, FirstSeen: true, Lang: lang, Now: inValidity}))
		if v, _ := root.Attr("data-sheet"); root.Tag != "section" || v != "login" {
			t.Fatalf("root <%s data-sheet=%q>", root.Tag, v)
		}
		if v, _ := root.Attr("lang"); v != lang {
			t.Errorf("lang=%q", v)
		}
		asker := find(t, root, "data-section", "asker")
		sent := find(t, root, "data-section", "sent")
		notSent := find(t, root, "data-section", "not-sent")
		question := find(t, root, "data-section", "question")
		for _, item := range []string{"certificate", "publicKey", "signature"} {
			find(t, sent, "data-item", item)
		}
		for _, item := range []string{"myNumber", "personal"} {
			find(t, notSent, "data-item", item)
		}
		if got := find(t, question, "data-field", "origin").TextContent(); got != "http://localhost:8080" {
			t.Errorf("question origin %q", got)
		}
		find(t, asker, "data-badge", "first-visit")
		find(t, asker, "data-badge", "development")
		cf := find(t, sent, "data-item", "certificate")
		for key, want := range map[string]string{
			"subject": cert.Subject, "issuer": cert.Issuer, "municipality": "",
			"validity": "", "publicKeySha256": testKeySum,
		} {
			scope := cf
			if key == "publicKeySha256" {
				scope = find(t, sent, "data-item", "publicKey")
			}
			got := find(t, scope, "data-field", key).TextContent()
			if got == "" || (want != "" && got != want) {
				t.Errorf("%s: field %s = %q, want %q", lang, key, got, want)
			}
		}
		if lang == "ja" {
			if got := find(t, notSent, "data-item", "personal").TextContent(); got != "氏名、住所、性別、生年月日" {
				t.Errorf("personal item %q", got)
			}
			if got := question.TextContent(); got != "呼び出し元のURLは http://localhost:8080 で間違いありませんか？" {
				t.Errorf("question %q", got)
			}
			if got := find(t, asker, "class", "mc-title").TextContent(); got != "localhostが操作を求めています" {
				t.Errorf("title %q", got)
			}
		}
		checkSafe(t, root)
	}
}

func TestRenderOriginOnly(t *testing.T) {
	root := Render(Build(Input{Origin: analyze(t, "https://login.xn--pypal-4ve.com"), FirstSeen: true}))
	if v, _ := root.Attr("data-sheet"); v != "origin" {
		t.Fatalf("data-sheet=%q, want origin", v)
	}
	if len(root.Children) != 1 {
		t.Errorf("%d sections, want the asker only", len(root.Children))
	}
	asker := find(t, root, "data-section", "asker")
	find(t, asker, "data-badge", "first-visit")
	for _, code := range []string{"CONFUSABLE", "MIXED_SCRIPT", "IDN"} {
		find(t, asker, "data-warning", code)
	}
	if role, _ := find(t, asker, "data-warning", "CONFUSABLE").Attr("role"); role != "alert" {
		t.Errorf("CONFUSABLE role=%q, want alert", role)
	}
	if got := find(t, asker, "class", "mc-registrable").TextContent(); got != "xn--pypal-4ve.com" {
		t.Errorf("registrable domain shown as %q, want the ASCII form of a misleading name", got)
	}
	if got := find(t, asker, "data-field", "askerOrigin").TextContent(); got != "https://login.xn--pypal-4ve.com" {
		t.Errorf("asker origin %q", got)
	}
	if got := find(t, asker, "class", "mc-lookalike").TextContent(); got != "login.paypal.com" {
		t.Errorf("looks like %q", got)
	}
	checkSafe(t, root)
}

func TestRenderQuestionShowsUnicodeAndASCII(t *testing.T) {
	root := Render(Build(Input{Origin: analyze(t, "https://xn--r8jz45g.jp"), Certificate: testCert(t)}))
	q := find(t, root, "data-section", "question")
	if got := q.TextContent(); got != "呼び出し元のURLは https://例え.jp (https://xn--r8jz45g.jp) で間違いありませんか？" {
		t.Errorf("question %q", got)
	}
	if got := find(t, q, "data-field", "origin").TextContent(); got != "https://xn--r8jz45g.jp" {
		t.Errorf("origin field %q: must be the origin exactly as signed", got)
	}

	// A misleading name is asked about in ASCII only.
	root = Render(Build(Input{Origin: analyze(t, "https://login.xn--pypal-4ve.com"), Certificate: testCert(t)}))
	q = find(t, root, "data-section", "question")
	if got := q.TextContent(); got != "呼び出し元のURLは https://login.xn--pypal-4ve.com で間違いありませんか？" {
		t.Errorf("question %q", got)
	}
}

// checkSafe: the tree has only the tags and attributes the sheet needs, so
// nothing in it can run script or load anything, whatever the text says.
func checkSafe(t *testing.T, n *Node) {
	t.Helper()
	tags := map[string]bool{"": true, "section": true, "header": true, "h1": true, "h2": true, "p": true,
		"span": true, "strong": true, "ul": true, "li": true, "dl": true, "div": true, "dt": true, "dd": true}
	if !tags[n.Tag] {
		t.Errorf("tag <%s> in the sheet", n.Tag)
	}
	if n.Tag == "" && (len(n.Children) > 0 || len(n.Attrs) > 0) {
		t.Errorf("text node with children or attributes")
	}
	for _, a := range n.Attrs {
		if a.Name != "class" && a.Name != "lang" && a.Name != "role" && !strings.HasPrefix(a.Name, "data-") {
			t.Errorf("attribute %s=%q in the sheet", a.Name, a.Value)
		}
		if a.Name == "class" {
			for _, c := range strings.Fields(a.Value) {
				if !strings.HasPrefix(c, "mc-") {
					t.Errorf("class %q without the mc- prefix", c)
				}
			}
		}
	}
	for _, c := range n.Children {
		checkSafe(t, c)
	}
}
