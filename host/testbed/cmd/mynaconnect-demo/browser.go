package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoflow"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

// browserDemo is what the browser demo needs to know.
type browserDemo struct {
	hostPath, extension string
	addr                string // the test-sign site's listening address
	chainAddr           string // the dev chain's JSON-RPC address
	dist                string // where the dev chain's chains.json is written
	altoDir             string // where Alto is installed, to run it as the chain's bundler; empty: the built-in relayer
	headless            bool
	screens             string // the headless walk's screenshot folder
	pin                 string
	chromiumLog         io.Writer // Chromium's and the host's stderr; nil discards
}

// runBrowser is the demo proper: the site, the browser with the extension
// and the host, the card; then a person, or the headless walk.
func runBrowser(ctx context.Context, out io.Writer, d browserDemo) error {
	for _, p := range []string{d.hostPath, filepath.Join(d.extension, "manifest.json")} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%w (run `make build` first)", err)
		}
	}
	hostPath, err := filepath.Abs(d.hostPath)
	if err != nil {
		return err
	}
	step := stepper{out: out}
	_, removeCard, err := insertCard(ctx, &step)
	if err != nil {
		return err
	}
	defer removeCard()

	chain, chains, err := startChain(ctx, &step, d.chainAddr, d.dist, d.altoDir)
	if err != nil {
		return err
	}
	defer chain.Close()

	step.begin("test-sign demo site")
	pki, err := testpki.Default()
	if err != nil {
		return err
	}
	site, err := demoserver.Start(ctx, d.addr, demoserver.Config{TrustAnchors: []*x509.Certificate{pki.AuthCA.Cert}, ChainConfig: chains})
	if err != nil {
		return fmt.Errorf("the demo site on %s: %w", d.addr, err)
	}
	defer site.Close()
	step.done(site.Origin() + " (trusts the test CA of testdata/pki only)")

	mode := "with a window"
	if d.headless {
		mode = "headless"
	}
	step.begin("Chromium with the extension and the host, " + mode)
	browser, err := chromium.Start(ctx, chromium.Options{
		Extension: d.extension,
		HostPath:  hostPath,
		Headless:  d.headless,
		Stderr:    d.chromiumLog,
		// The host reads the dev chain's configuration from here.
		Env: []string{"MYNACONNECT_CHAINS=" + chains},
	})
	if err != nil {
		return err
	}
	defer browser.Close()
	step.done("extension " + browser.ExtensionID())

	if !d.headless {
		_, closePage, err := browser.NewPage(ctx, site.Origin())
		if err != nil {
			return err
		}
		defer closePage()
		fmt.Fprintf(out, `
The test-sign site is open in Chromium: %s
  1. Press 「マイナンバーカードでログイン」.
  2. Check the consent sheet: who asks, what is sent, what is not. Press 許可.
  3. Type the PIN %s on the pad.
The site shows what it learned. Try キャンセル, a wrong PIN (three lock the
card), or the options page (chrome://extensions → MynaConnect → Details →
Extension options). Ctrl-C here ends the demo.
`, site.Origin(), d.pin)
		<-ctx.Done()
		return nil
	}

	step.begin("a person's login, walked headless: site → consent sheet → PIN pad → result")
	w := demoflow.Walker{Browser: browser, ScreenshotDir: d.screens}
	res, err := w.Login(ctx, site.Origin(), d.pin)
	if err != nil {
		return err
	}
	step.done(res.Status)
	fmt.Fprintf(out, "\nWhat the site showed:\n%s\n\nScreenshots of every screen:\n", indent(res.Text))
	for _, s := range w.Shots {
		fmt.Fprintf(out, "  %s\n", s)
	}
	fmt.Fprint(out, browserNextSteps)
	return nil
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ")
}

const browserNextSteps = `
Next, try:
  make demo on a machine with a display    you press the buttons yourself; the extension's settings
                                           page has 「アカウントを守る」: guardians for the card's account
                                           (a family card, a passkey), and a renewed card taking it over
  make demo ARGS=-terminal                 the same login without a browser, step by step
  make demo ARGS=-bundler                  the card's Ethereum operations through Alto, a real
                                           ERC-4337 bundler in ERC-7562 safe mode
  dist/bin/mynaconnect chains --help       add Ethereum, Polygon, Avalanche or Kaia, with JPYC
  dist/bin/mynaconnect-vcard --help        the virtual card's options: wrong PINs, locked cards, faults
  docs/page-api.md                         what a site calls: window.ethereum.request(...)
  docs/login-token.md                      verify MynaConnect logins on your own server
  make test                                the whole suite, through the real pcscd and Chromium
`
