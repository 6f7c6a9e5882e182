package chromium

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/chromedp"
)

// pollInterval is how often WaitTrue evaluates its expression: often enough
// that a test does not idle, rarely enough to leave the 2 cores to the
// browser.
const pollInterval = 50 * time.Millisecond

// Eval evaluates the JavaScript expression expr in the target of ctx (a
// context from NewPage, WaitForTarget or ServiceWorker), waits for it if it
// is a promise, and decodes its JSON value into T. In a page it runs in the
// page's main world, where window.ethereum lives. A thrown exception or a
// rejected promise is an error (*chromedp.ExceptionError).
func Eval[T any](ctx context.Context, expr string) (T, error) {
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return v, fmt.Errorf("chromium: evaluating %s: %w", shorten(expr), err)
	}
	return v, nil
}

// WaitTrue evaluates expr (awaiting a promise) every 50 ms until its value is
// truthy, for at most timeout. An exception counts as "not yet", since the
// element or global it reads may not exist yet; the last one is reported if
// time runs out.
func WaitTrue(ctx context.Context, expr string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// The newlines keep a trailing // comment in expr from eating the rest.
	js := "(async () => !!(await (\n" + expr + "\n)))()"
	var last error
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return nil
		}
		if err != nil && ctx.Err() == nil {
			var exc *chromedp.ExceptionError
			if !errors.As(err, &exc) {
				// Not the page's doing: the target is gone or the
				// browser broke. Waiting longer cannot help.
				return fmt.Errorf("chromium: waiting for %s: %w", shorten(expr), err)
			}
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("chromium: %s still not true after %s (last exception: %v): %w", shorten(expr), timeout, last, ctx.Err())
			}
			return fmt.Errorf("chromium: %s still not true after %s: %w", shorten(expr), timeout, ctx.Err())
		case <-time.After(pollInterval):
		}
	}
}

// Click waits until the first element matching the CSS selector is visible
// in the target of ctx and clicks its centre with the mouse, as a person
// would (a trusted event, unlike element.click() from script). opts are
// chromedp's query options: chromedp.FromNode(iframeNode) looks inside a
// same-site iframe.
//
// A click that closes its own window (the consent window's buttons do) makes
// Chromium detach the target before it answers; Click reports that as
// success. Check the outcome where it shows, on the page that asked.
func Click(ctx context.Context, selector string, opts ...chromedp.QueryOption) error {
	err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(selector), opts...))
	if err != nil && !errors.Is(err, chromedp.ErrTargetDetached) {
		return fmt.Errorf("chromium: clicking %s: %w", selector, err)
	}
	return nil
}

// Attributes waits for the first element matching selector and returns its
// attributes, read fresh from the page when it matched: chromedp's copy of
// a node's attributes follows DOM events and can lag behind the query.
func Attributes(ctx context.Context, selector string, opts ...chromedp.QueryOption) (map[string]string, error) {
	attrs, err := chromedp.Run(ctx, chromedp.QueryAfter(chromedp.CSS(selector),
		func(ctx context.Context, tg *chromedp.Target, nodes []*chromedp.Node) (map[string]string, error) {
			res, err := cdp.Call(ctx, tg, dom.GetAttributes, dom.GetAttributesParams{NodeID: nodes[0].NodeID})
			if err != nil {
				return nil, err
			}
			m := map[string]string{}
			for i := 0; i+1 < len(res.Attributes); i += 2 {
				m[res.Attributes[i]] = res.Attributes[i+1]
			}
			return m, nil
		}, opts...))
	if err != nil {
		return nil, fmt.Errorf("chromium: reading the attributes of %s: %w", selector, err)
	}
	return attrs, nil
}

// Screenshot writes a PNG of the whole page in the target of ctx (beyond the
// viewport, as "Capture full size screenshot" does) to path, creating its
// directory.
func (b *Browser) Screenshot(ctx context.Context, path string) error {
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Errorf("chromium: screenshot for %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("chromium: screenshot: %w", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Errorf("chromium: screenshot: %w", err)
	}
	return nil
}

// shorten keeps error messages readable when the expression is a script.
func shorten(expr string) string {
	const max = 80
	r := []rune(expr)
	if len(r) <= max {
		return fmt.Sprintf("%q", expr)
	}
	return fmt.Sprintf("%q…", string(r[:max]))
}
