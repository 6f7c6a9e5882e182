// Package demoflow walks the test-sign login in Chromium the way a person
// does: press the login button on the site, read the consent sheet in the
// extension's window, press 許可, type the PIN on the pad, and read the
// site's verdict. `make demo` uses it to show the product headless, with a
// screenshot of every screen; the browser tests use its steps one by one.
//
// It relies on the DOM hooks the extension and the test-sign page document:
// the consent window's body[data-step] (card, sheet, pin, blocked, working,
// done, error), #approve, #cancel, button[data-digit], #pin-submit,
// #confirm-last-try; the site's #login and #result[data-status].
package demoflow

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
)

// StepTimeout bounds each wait for a screen. The slowest honest step is a
// card inserted into vpcd, which pcscd notices within 400 ms.
const StepTimeout = 15 * time.Second

// SiteVerdict matches the test-sign page's #result once it shows a verdict:
// verified, failed (the server refused the token) or rejected (the wallet
// said no).
const SiteVerdict = `#result[data-status="verified"], #result[data-status="failed"], #result[data-status="rejected"]`

// Walker drives one browser. Screenshots go to ScreenshotDir, numbered in
// the order they were taken; empty takes none.
type Walker struct {
	Browser       *chromium.Browser
	ScreenshotDir string
	Shots         []string // the screenshots taken, in order
}

// Result is what the site showed at the end of a login.
type Result struct {
	Status string // verified, failed (the server refused the token) or rejected (the wallet said no)
	Code   string // the server's error code, when failed
	Reason string // the wallet error's data.reason, when rejected
	Text   string // the result box as the person reads it
}

// OpenSite opens the test-sign page at url in a new tab.
func (w *Walker) OpenSite(ctx context.Context, url string) (context.Context, context.CancelFunc, error) {
	page, cancel, err := w.Browser.NewPage(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	if err := chromium.WaitTrue(page, `document.querySelector('#login') && window.ethereum && window.ethereum.isMynaConnect`, StepTimeout); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("demoflow: the site at %s has no MynaConnect provider: %w", url, err)
	}
	return page, cancel, nil
}

// StartLogin presses the site's login button.
func (w *Walker) StartLogin(page context.Context) error {
	return chromium.Click(page, "#login")
}

// ConsentWindow waits for the extension's consent window and attaches to it.
func (w *Walker) ConsentWindow(ctx context.Context) (context.Context, context.CancelFunc, error) {
	wctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	return w.Browser.WaitForTarget(wctx, w.Browser.ExtensionURL("consent.html"))
}

// WaitStep waits until the consent window shows the screen step.
func (w *Walker) WaitStep(consent context.Context, step string) error {
	if err := chromium.WaitTrue(consent, `document.body.dataset.step === `+strconv.Quote(step), StepTimeout); err != nil {
		now, _ := chromium.Eval[string](consent, `document.body.dataset.step || ''`)
		return fmt.Errorf("demoflow: consent window never showed %q (it shows %q): %w", step, now, err)
	}
	return nil
}

// Approve presses 許可 on the sheet once it is armed (the sheet keeps it
// disabled for a moment after it appears, against double-click-jacking).
func (w *Walker) Approve(consent context.Context) error {
	if err := w.WaitStep(consent, "sheet"); err != nil {
		return err
	}
	if err := chromium.WaitTrue(consent, `document.querySelector('#approve')?.disabled === false`, StepTimeout); err != nil {
		return fmt.Errorf("demoflow: 許可 never became clickable: %w", err)
	}
	return chromium.Click(consent, "#approve")
}

// Cancel presses キャンセル.
func (w *Walker) Cancel(consent context.Context) error {
	return chromium.Click(consent, "#cancel")
}

// TypePIN presses the PIN pad's digits and then the submit button. With
// confirmLastTry it first ticks the confirmation shown when one try is left.
func (w *Walker) TypePIN(consent context.Context, pin string, confirmLastTry bool) error {
	if err := w.WaitStep(consent, "pin"); err != nil {
		return err
	}
	for _, d := range pin {
		if d < '0' || d > '9' {
			return fmt.Errorf("demoflow: the PIN pad has no key %q", d)
		}
		if err := chromium.Click(consent, `button[data-digit="`+string(d)+`"]`); err != nil {
			return err
		}
	}
	if confirmLastTry {
		if err := chromium.Click(consent, "#confirm-last-try"); err != nil {
			return err
		}
	}
	if err := chromium.WaitTrue(consent, `!document.querySelector('#pin-submit').disabled`, StepTimeout); err != nil {
		return fmt.Errorf("demoflow: the PIN pad did not accept %d digits: %w", len(pin), err)
	}
	return chromium.Click(consent, "#pin-submit")
}

// SiteResult waits for the site's verdict and returns it.
func (w *Walker) SiteResult(page context.Context) (Result, error) {
	const ended = `['verified', 'failed', 'rejected'].includes(document.querySelector('#result')?.dataset.status)`
	if err := chromium.WaitTrue(page, ended, StepTimeout); err != nil {
		return Result{}, fmt.Errorf("demoflow: the site showed no result: %w", err)
	}
	return chromium.Eval[Result](page, `(() => { const r = document.querySelector('#result');
		return {Status: r.dataset.status || '', Code: r.dataset.code || '', Reason: r.dataset.reason || '', Text: r.innerText}; })()`)
}

// Shot saves a screenshot of the target of ctx as "<n>-<name>.png".
func (w *Walker) Shot(ctx context.Context, name string) error {
	if w.ScreenshotDir == "" {
		return nil
	}
	path := filepath.Join(w.ScreenshotDir, fmt.Sprintf("%02d-%s.png", len(w.Shots)+1, name))
	if err := w.Browser.Screenshot(ctx, path); err != nil {
		return err
	}
	w.Shots = append(w.Shots, path)
	return nil
}

// Login walks the whole login on the site at url with pin, taking a
// screenshot of each screen, and returns the site's verdict.
func (w *Walker) Login(ctx context.Context, url, pin string) (Result, error) {
	page, closePage, err := w.OpenSite(ctx, url)
	if err != nil {
		return Result{}, err
	}
	defer closePage()
	if err := w.Shot(page, "site"); err != nil {
		return Result{}, err
	}
	if err := w.StartLogin(page); err != nil {
		return Result{}, err
	}
	consent, closeConsent, err := w.ConsentWindow(ctx)
	if err != nil {
		return Result{}, err
	}
	defer closeConsent()
	if err := w.WaitStep(consent, "sheet"); err != nil {
		return Result{}, err
	}
	if err := w.Shot(consent, "consent-sheet"); err != nil {
		return Result{}, err
	}
	if err := w.Approve(consent); err != nil {
		return Result{}, err
	}
	if err := w.WaitStep(consent, "pin"); err != nil {
		return Result{}, err
	}
	if err := w.Shot(consent, "pin-pad"); err != nil {
		return Result{}, err
	}
	if err := w.TypePIN(consent, pin, false); err != nil {
		return Result{}, err
	}
	res, err := w.SiteResult(page)
	if err != nil {
		return res, err
	}
	if err := w.Shot(page, "site-result"); err != nil {
		return res, err
	}
	if res.Status != "verified" {
		return res, errors.New("demoflow: the site did not verify the login: " + res.Text)
	}
	return res, nil
}
