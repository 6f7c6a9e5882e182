package chromium

import (
	"context"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// NewPage opens a tab, loads url in it and waits for its load event. The
// returned context is the tab's: pass it to Eval, WaitTrue, Click,
// Screenshot or any chromedp action. ctx bounds the opening and the load
// only; the tab stays open until cancel (which closes it) or Close.
func (b *Browser) NewPage(ctx context.Context, url string) (context.Context, context.CancelFunc, error) {
	tab, cancel := chromedp.NewContext(b.ctx)
	if err := attach(ctx, tab, cancel); err != nil {
		return nil, nil, fmt.Errorf("chromium: opening a tab: %w", err)
	}
	nav, stop := bound(tab, ctx)
	defer stop()
	if err := chromedp.Do(nav, chromedp.Navigate(url)); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("chromium: loading %s: %w", url, firstErr(ctx.Err(), err))
	}
	return tab, cancel, nil
}

// WaitForTarget waits until a page, iframe or worker whose URL starts with
// urlPrefix is open, for example the consent window the extension's service
// worker opens (ExtensionURL("consent.html")), and attaches to it. It polls
// the target list, because chromedp.WaitNewTarget does not see windows that
// a service worker opens.
//
// An iframe of another site runs in its own process and is a target of its
// own, found this way; a same-site iframe is not a target: reach into it
// from its page with chromedp.FromNode(iframeNode).
//
// ctx bounds the wait only. Cancelling the returned context detaches from the
// target and leaves it open: a window the extension owns is the extension's
// to close.
func (b *Browser) WaitForTarget(ctx context.Context, urlPrefix string) (context.Context, context.CancelFunc, error) {
	return b.waitAttach(ctx, "a target at "+urlPrefix, func(t *target.Info) bool {
		return strings.HasPrefix(t.URL, urlPrefix) && t.Type != "browser" && t.Type != "tab"
	})
}

// ServiceWorker attaches to the extension's service worker, for Eval in the
// background context. It starts no worker: it waits for a running one, and
// an MV3 worker that went idle (about 30 s without events or an open native
// port) is not listed until something wakes it. Cancelling the returned
// context detaches and leaves the worker running.
func (b *Browser) ServiceWorker(ctx context.Context) (context.Context, context.CancelFunc, error) {
	prefix := b.ExtensionURL("")
	return b.waitAttach(ctx, "the extension's service worker", func(t *target.Info) bool {
		return t.Type == "service_worker" && strings.HasPrefix(t.URL, prefix)
	})
}

func (b *Browser) waitAttach(ctx context.Context, what string, match func(*target.Info) bool) (context.Context, context.CancelFunc, error) {
	info, err := b.waitTarget(ctx, match)
	if err != nil {
		return nil, nil, fmt.Errorf("chromium: waiting for %s: %w", what, err)
	}
	tctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
	if err := attach(ctx, tctx, cancel); err != nil {
		return nil, nil, fmt.Errorf("chromium: attaching to %s (%s): %w", what, info.URL, err)
	}
	return tctx, cancel, nil
}

// attach makes chromedp open or attach the target of tctx. chromedp ties a
// target's event loop to the context of the first action run on it, so that
// action runs on tctx itself and ctx can only cancel it, not replace it.
func attach(ctx, tctx context.Context, cancel context.CancelFunc) error {
	stop := context.AfterFunc(ctx, cancel)
	err := chromedp.Do(tctx)
	if !stop() {
		// ctx ended during the attach and cancelled tctx.
		return firstErr(ctx.Err(), err)
	}
	if err != nil {
		cancel()
	}
	return err
}

// bound returns a child of the target context tctx that also ends with ctx,
// for one action on an attached target.
func bound(tctx, ctx context.Context) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(tctx)
	stop := context.AfterFunc(ctx, cancel)
	return c, func() { stop(); cancel() }
}
