// Command mynaconnect-host is MynaConnect's native messaging host: the only
// program that talks to the My Number card. The browser starts it when the
// MynaConnect extension connects, and talks to it over stdin and stdout with
// the protocol of docs/host-protocol.md.
//
// Run it with --help for the details.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/cards/pcscbackend"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/router"
	"github.com/mynaconnect/mynaconnect/host/wallet"
)

// version is the host's version, set at release builds with
// -ldflags "-X main.version=1.2.3".
var version = "0.1.0-dev"

// After the browser goes away the host exits within 2 s, as
// docs/host-protocol.md says: requests in flight get shutdownGrace to
// finish, then are cancelled (a card operation stops before its next APDU)
// and the card session gets closeTimeout to end with a reset.
const (
	shutdownGrace = 1500 * time.Millisecond
	closeTimeout  = 500 * time.Millisecond
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin *os.File, stdout io.Writer, stderr io.Writer) int {
	fs := flag.NewFlagSet("mynaconnect-host", flag.ContinueOnError)
	fs.SetOutput(stderr)
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {} // the full text goes to stdout for --help; errors get a hint
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, helpText)
			return 0
		}
		fmt.Fprintln(stderr, "Run mynaconnect-host --help for usage.")
		return 2
	}
	if *showVersion {
		fmt.Fprintf(stdout, "mynaconnect-host %s (host protocol 1)\n", hostVersion())
		return 0
	}
	if isTerminal(stdin) {
		fmt.Fprint(stderr, terminalHint)
		return 2
	}

	logger := log.New(stderr, "mynaconnect-host: ", log.LstdFlags|log.Lmicroseconds)
	logger.Printf("version %s, pid %d, started by %s", hostVersion(), os.Getpid(), caller(fs.Args()))
	// The browser closing its end of stdout must not kill the host in the
	// middle of a card session: SIGPIPE is ignored and the failed write
	// reported instead.
	signal.Ignore(syscall.SIGPIPE)

	svc := cards.New(pcscbackend.Backend{}, cards.Config{
		AppVersion: authtoken.AppVersionPrefix + hostVersion(),
		Log:        logger,
	})
	svc.Start()
	// The wallet reads the chain configuration and dials chains only when
	// the extension first asks for them.
	w := wallet.New(wallet.Config{Cards: svc, Log: logger})
	defer w.Close()
	r := router.New(router.Config{Cards: svc, Wallet: w, HostVersion: hostVersion(), ShutdownGrace: shutdownGrace, Log: logger})
	err := r.Serve(stdin, stdout)
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	if cerr := svc.Close(ctx); cerr != nil {
		logger.Printf("stopping the card service: %v", cerr)
	}
	if err != nil {
		logger.Printf("input ended abnormally: %v", err)
	}
	logger.Printf("input closed, exiting")
	return 0
}

// hostVersion is version, or the module version when built by go install.
func hostVersion() string {
	if version != "0.1.0-dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return version
}

// caller describes who started the host from the arguments browsers pass:
// Chromium-family browsers the extension's origin, Firefox the path of the
// host manifest and the add-on id. It is for the log only: the browser has
// already checked the manifest's allowed origins or extensions.
func caller(args []string) string {
	var rest []string
	for _, a := range args {
		if strings.HasPrefix(a, "--parent-window=") { // Chrome on Windows
			continue
		}
		rest = append(rest, a)
	}
	switch {
	case len(rest) == 1 && strings.HasPrefix(rest[0], "chrome-extension://"):
		return fmt.Sprintf("a Chromium-family browser for extension %s", strings.TrimSuffix(strings.TrimPrefix(rest[0], "chrome-extension://"), "/"))
	case len(rest) == 2:
		return fmt.Sprintf("Firefox for add-on %q (manifest %s)", rest[1], rest[0])
	case len(rest) == 0:
		return "no browser (no caller argument)"
	}
	return fmt.Sprintf("an unknown caller %q", rest)
}

// isTerminal reports whether f is a terminal: a person ran the host by hand.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

const terminalHint = `mynaconnect-host is started by your browser, not by hand: it speaks the
native messaging protocol (binary length-prefixed JSON) on stdin and stdout.
Run "mynaconnect-host --help" to learn more, or "make install" to register it
with your browsers.
`

const helpText = `mynaconnect-host - the MynaConnect native messaging host

MynaConnect lets you use your My Number card (マイナンバーカード) as a login key
on the web. This program is the part that talks to the card: it finds card
readers through PC/SC (pcscd on Linux), reads the card's user-authentication
(利用者証明用) certificate, checks the PIN's retry counter, verifies the PIN
and has the card sign a login challenge. It also lets the card's
authentication key own an Ethereum smart-contract account: it derives the
account's address, signs messages and typed data for it, and sends its
transactions, on the chains of the chain configuration file. It never reads
the My Number itself or the signature (署名用) certificate, and it never
stores or logs the PIN.

HOW IT RUNS
  You do not start it yourself. The MynaConnect browser extension connects to
  it with native messaging (chrome.runtime.connectNative), and the browser
  starts one process per profile and keeps it running while the extension
  holds the connection. Messages go both ways on stdin and stdout, each a
  4-byte length in native byte order followed by UTF-8 JSON. The process exits
  when the browser closes stdin. Log lines go to stderr, which the browser
  passes on to its own stderr.

  Chromium, Chrome, Edge and Brave pass the extension's origin as the first
  argument (chrome-extension://<id>/; on Windows also --parent-window=<n>);
  Firefox passes the path of the host manifest and the add-on id. The host
  logs them and accepts any: the browser has already checked the manifest's
  allowed_origins / allowed_extensions.

INSTALL
  "make install" (from the source tree) installs the host and registers its
  native messaging manifest with the current user's browsers. You need a
  PC/SC card reader, and on Linux the pcscd service:
      sudo apt-get install pcscd

PROTOCOL
  docs/host-protocol.md describes every message, parameter and error code.

ENVIRONMENT
  MYNACONNECT_CHAINS   the chain configuration file (format
                       mynaconnect-chains/1) for the Ethereum methods; default
                       <user config dir>/mynaconnect/chains.json, e.g.
                       ~/.config/mynaconnect/chains.json. Without it the
                       Ethereum methods answer CHAIN_UNCONFIGURED; logins work.

USAGE
  mynaconnect-host [caller arguments...]   (as started by a browser)
  mynaconnect-host --version
  mynaconnect-host --help

FLAGS
  --version   print the version and the protocol version, then exit
  --help      print this text, then exit

EXIT STATUS
  0 when the browser closed the connection (or after --help and --version),
  2 for a bad flag or when started from a terminal.
`
