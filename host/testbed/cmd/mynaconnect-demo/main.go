// Command mynaconnect-demo is `make demo`: MynaConnect working end to end on
// a machine with no card and no reader. It starts pcscd if it is not
// running, inserts the virtual My Number card into vpcd's virtual reader,
// serves the test-sign site, and opens Chromium with the extension loaded
// and the native host registered in a throwaway profile. With a display a
// person uses it; without one it walks the login headless, saves a
// screenshot of every screen and prints what happened.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/mynaconnect/mynaconnect/host/pcsc/pcscd"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
)

const usage = `mynaconnect-demo — MynaConnect end to end, on a virtual My Number card

Usage: mynaconnect-demo [flags]

What it does, step by step (each printed as it happens):
  1. starts the PC/SC daemon (pcscd) unless one is running, and stops it at the end;
  2. inserts a virtual My Number card (the fictional holder of testdata/pki)
     into the virtual reader "Virtual PCD 00 00";
  3. starts the Ethereum dev chain on -chain-addr (go-ethereum in process,
     with EntryPoint v0.8, the card account factory and test JPYC) and funds
     the virtual card's account with 10 ETH and 100,000 test JPYC; with
     -bundler, also Alto, a real ERC-4337 bundler in ERC-7562 safe mode,
     which then takes the card's UserOperations;
  4. serves the test-sign demo site on -addr (a loopback address: http is
     allowed there, shown as a development site), its Ethereum section
     talking to the dev chain;
  5. starts Chromium with the extension (dist/chromium) loaded and the native
     host (dist/bin/mynaconnect-host) registered in a throwaway profile.
  With a display (DISPLAY or WAYLAND_DISPLAY set), you log in yourself: press
  「マイナンバーカードでログイン」, check the consent sheet, press 許可 and type
  the PIN 1234. Ctrl-C ends the demo.
  Without a display (or with -headless) the demo does that itself, saves a
  screenshot of every screen to -screens and prints a summary.

  -terminal walks the same login without a browser: the host driven from
  this program and the token verified as the site's server would.

Needs: pcscd and vsmartcard-vpcd, Chromium and a CJK font (make deps
installs them), and root to start pcscd when it is not already running.

Flags:
`

func main() {
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), usage)
		flag.PrintDefaults()
	}
	dist := distDir()
	hostPath := flag.String("host", filepath.Join(dist, "bin", "mynaconnect-host"), "the native host binary")
	extension := flag.String("extension", filepath.Join(dist, "chromium"), "the unpacked extension")
	addr := flag.String("addr", "127.0.0.1:8765", "where the test-sign site listens (loopback only; port 0 picks a free one)")
	chainAddr := flag.String("chain-addr", devchain.DefaultAddr, "where the dev chain serves JSON-RPC (loopback only; port 0 picks a free one)")
	headless := flag.Bool("headless", !hasDisplay(), "walk the login without a window, taking screenshots")
	screens := flag.String("screens", filepath.Join(dist, "demo-screens"), "where the headless walk saves its screenshots")
	terminal := flag.Bool("terminal", false, "walk the login from the terminal, without a browser")
	origin := flag.String("origin", "https://demo.mynaconnect.test", "with -terminal: the site that asks for the login")
	pin := flag.String("pin", vcard.DefaultAuthPIN, "the 4-digit 利用者証明用 PIN the walk types")
	bundler := flag.Bool("bundler", false, "send the card's UserOperations through Alto, a real ERC-4337 bundler in ERC-7562 safe mode (installed by make deps in host/testbed/alto), instead of the built-in relayer")
	keep := flag.Bool("keep", false, "with -terminal: afterwards keep pcscd and the virtual card running until Ctrl-C, to try other PC/SC tools")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if *terminal {
		err = runTerminal(ctx, os.Stdout, *hostPath, *origin, *pin, *keep)
	} else {
		d := browserDemo{
			hostPath: *hostPath, extension: *extension, addr: *addr, chainAddr: *chainAddr, dist: dist,
			headless: *headless, screens: *screens, pin: *pin,
		}
		if *bundler {
			// Beside dist/ in the repository, where make deps installs it.
			d.altoDir = filepath.Join(filepath.Dir(dist), "host", "testbed", "alto")
		}
		err = runBrowser(ctx, os.Stdout, d)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "\nmynaconnect-demo: %v\n", err)
		os.Exit(1)
	}
}

// distDir is the dist/ directory `make build` fills: the parent of the
// directory holding this binary (dist/bin), or ./dist for a binary
// elsewhere (go run).
func distDir() string {
	exe, err := os.Executable()
	if err != nil || filepath.Base(filepath.Dir(exe)) != "bin" {
		return "dist"
	}
	return filepath.Dir(filepath.Dir(exe))
}

func hasDisplay() bool {
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

// insertCard starts pcscd (or reuses the running one) and inserts the
// default virtual card into the first vpcd reader. stop undoes both.
func insertCard(ctx context.Context, step *stepper) (card *vcard.Card, stop func(), err error) {
	step.begin("PC/SC daemon (pcscd)")
	daemon, err := pcscd.Start(ctx)
	if err != nil {
		return nil, nil, err
	}
	step.done(daemon.String())

	step.begin("virtual My Number card into " + pcscd.VPCDReader(0))
	cfg, err := vcard.DefaultConfig()
	if err == nil {
		card, err = vcard.New(cfg)
	}
	if err != nil {
		daemon.Stop()
		return nil, nil, err
	}
	conn, err := vcard.Dial(ctx, pcscd.VPCDAddr(0), card)
	if err != nil {
		daemon.Stop()
		return nil, nil, fmt.Errorf("insert the virtual card: %w", err)
	}
	go conn.Serve(ctx)
	step.done("inserted (holder: テスト 花子, fictional)")
	return card, func() {
		conn.Close()
		daemon.Stop()
	}, nil
}
