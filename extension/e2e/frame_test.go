package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoflow"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// The outer page and the frame are two origins of one site (two ports of
// 127.0.0.1), so the frame runs in its parent's process and is reached
// through the iframe's node (chromedp.FromNode), not as a target of its own.
func TestCrossOriginIframeLogsInForItsOwnOrigin(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card})
	outer, inner := e.site(), e.site()
	if outer.Origin() == inner.Origin() {
		t.Fatal("the two sites have one origin")
	}
	page := e.tab(outer.Origin() + "/frame.html?src=" + url.QueryEscape(inner.Origin()+"/"))
	waitTrue(t, page, `document.querySelector('iframe#frame')`)
	nodes, err := chromedp.Run(page, chromedp.Nodes(chromedp.CSS("iframe#frame")))
	if err != nil {
		t.Fatal(err)
	}
	in := chromedp.FromNode(nodes[0])
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(page, chromedp.TextContent(chromedp.CSS(sel), in))
		if err != nil {
			t.Fatalf("reading %s in the frame: %v", sel, err)
		}
		return s
	}
	if got := text("#origin"); got != inner.Origin() {
		t.Fatalf("the frame shows origin %q, want %q", got, inner.Origin())
	}
	if got := eval[string](t, page, `location.origin`); got != outer.Origin() {
		t.Fatalf("the outer page is at %q, want %q", got, outer.Origin())
	}

	if err := chromium.Click(page, "#login", in); err != nil {
		t.Fatal(err)
	}
	consent := e.consent()
	e.step(consent, "sheet")
	e.shot(consent, "sheet-for-the-frame")
	checkSheetNames(t, consent, inner.Origin(), outer.Origin())
	e.approve(consent)
	e.typePIN(consent, rightPIN, false)

	// The frame's own server verified the token against its own origin.
	wctx, cancel := context.WithTimeout(page, demoflow.StepTimeout)
	defer cancel()
	attrs, err := chromium.Attributes(wctx, demoflow.SiteVerdict, in)
	if err != nil {
		t.Fatalf("waiting for the frame's result: %v", err)
	}
	res := text("#result")
	e.shot(page, "outer-page-with-verified-frame")
	if attrs["data-status"] != "verified" {
		t.Fatalf("the frame shows %v: %s", attrs, res)
	}
	if !strings.Contains(res, inner.Origin()) {
		t.Errorf("the frame's verdict does not name its own origin %s:\n%s", inner.Origin(), res)
	}
	if st := eval[string](t, page, `document.querySelector('#result')?.dataset.status ?? 'none'`); st != "none" {
		t.Errorf("the outer page has a #result of its own: %q", st)
	}
}
