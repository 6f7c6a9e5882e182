// Command mynaconnect is MynaConnect's command-line tool for people: doctor
// says what stands between this machine and a working login with the My
// Number card; rescue takes the money out of a card account with nothing but
// the card and the chain; contracts deploys and checks the contracts every
// account relies on; chains adds a public network to the host's chain
// configuration; paymaster is a JPYC fee paymaster operator's. Run it with
// --help.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/doctor"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "mynaconnect: name a command: mynaconnect doctor, rescue, contracts, chains or paymaster\nRun mynaconnect --help for usage.\n")
		return 2
	}
	if asksHelp(args[0]) {
		fmt.Fprint(stdout, helpText)
		return 0
	}
	switch args[0] {
	case "doctor":
		return runDoctor(ctx, args[1:], stdout, stderr, getenv)
	case "rescue":
		return runRescue(ctx, args[1:], os.Stdin, stdout, stderr)
	case "contracts":
		return runContracts(ctx, args[1:], stdout, stderr)
	case "chains":
		return runChains(ctx, args[1:], stdout, stderr)
	case "paymaster":
		return runPaymaster(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "mynaconnect: unknown command %q\nRun mynaconnect --help for usage.\n", args[0])
	return 2
}

// asksHelp reports whether a command's first argument asks for its help text.
func asksHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("mynaconnect doctor", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	home := fs.String("home", "", "")
	lang := fs.String("lang", "", "")
	var ids list
	fs.Var(&ids, "extension-id", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, helpText)
			return 0
		}
		fmt.Fprintf(stderr, "mynaconnect doctor: %v\nRun mynaconnect --help for usage.\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mynaconnect doctor: unexpected argument %q\nRun mynaconnect --help for usage.\n", fs.Arg(0))
		return 2
	}
	if *lang == "" {
		*lang = defaultLang(getenv)
	}
	if *lang != "ja" && *lang != "en" {
		fmt.Fprintf(stderr, "mynaconnect doctor: --lang %q: want ja or en\n", *lang)
		return 2
	}
	for _, id := range ids {
		if !manifesttemplates.ValidExtensionID(id) {
			fmt.Fprintf(stderr, "mynaconnect doctor: --extension-id %q: a Chromium extension id is 32 letters a to p\n", id)
			return 2
		}
	}
	homeSet := *home != ""
	h := *home
	if homeSet {
		if abs, err := filepath.Abs(h); err == nil {
			h = abs
		}
	} else if d, err := os.UserHomeDir(); err == nil {
		h = d
	}

	chains, err := chainconfig.DefaultPath()
	if err != nil {
		chains = "" // no configuration directory: no networks to check
	}
	report := doctor.Run(ctx, doctor.Config{
		Env:          browsers.FromEnviron(runtime.GOOS, h, homeSet, getenv),
		ExtensionIDs: ids,
		ChainsPath:   chains,
	})
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(report)
	} else {
		writeText(stdout, report, *lang)
	}
	if report.Status == doctor.Fail {
		return 1
	}
	return 0
}

// defaultLang is Japanese when the locale is, else English.
func defaultLang(getenv func(string) string) string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := getenv(v); l != "" {
			if strings.HasPrefix(l, "ja") {
				return "ja"
			}
			return "en"
		}
	}
	return "en"
}

func writeText(w io.Writer, r doctor.Report, lang string) {
	label := map[doctor.Status]string{doctor.OK: "[OK]  ", doctor.Warn: "[WARN]", doctor.Fail: "[FAIL]"}
	fmt.Fprintln(w, "MynaConnect doctor")
	var fails, warns int
	for _, f := range r.Findings {
		text := f.En
		if lang == "ja" {
			text = f.Ja
		}
		fmt.Fprintf(w, "%s %s\n       %s\n", label[f.Status], text, f.Code)
		if f.Detail != "" && f.Status != doctor.OK {
			fmt.Fprintf(w, "       %s\n", f.Detail)
		}
		switch f.Status {
		case doctor.Fail:
			fails++
		case doctor.Warn:
			warns++
		}
	}
	switch {
	case lang == "ja" && fails+warns == 0:
		fmt.Fprintln(w, "\n問題は見つかりませんでした。")
	case lang == "ja":
		fmt.Fprintf(w, "\n要対応 %d 件、注意 %d 件。上から順に対応してください。\n", fails, warns)
	case fails+warns == 0:
		fmt.Fprintln(w, "\nNo problem found.")
	default:
		fmt.Fprintf(w, "\n%d to fix, %d to note. Start with the first one.\n", fails, warns)
	}
}

const helpText = `mynaconnect - MynaConnect's command-line tool

MynaConnect lets you log in on the web with your My Number card
(マイナンバーカード): a browser extension, and a host program that talks to
the card reader.

USAGE
  mynaconnect doctor [--json] [--lang ja|en] [--home DIR] [--extension-id ID]
  mynaconnect rescue --rpc URL [--to ADDR --fee-key FILE] ...  (see mynaconnect rescue --help)
  mynaconnect contracts verify|deploy --rpc URL [--key FILE]   (see mynaconnect contracts --help)
  mynaconnect chains add KEY --rpc URL [--bundler URL] ...     (see mynaconnect chains --help)
  mynaconnect paymaster deploy|status|deposit|stake|...        (for a JPYC fee paymaster's operator)
  mynaconnect --help

DOCTOR
  "mynaconnect doctor" checks, in this order, and says what to do about
  each problem, in Japanese or English:

    1. the card reader service (pcscd on Linux) is running
    2. a card reader is connected
    3. a card is on the reader, and it is a My Number card
    4. the card's user authentication PIN (利用者証明用暗証番号) is not
       locked, and warns when one try is left (it uses no try to find out)
    5. for every browser found (Google Chrome, Chromium, Microsoft Edge,
       Brave, Vivaldi, Firefox): the host is registered with it, the
       registration names an existing program, and allows the MynaConnect
       extension; browsers installed as a Snap or Flatpak are reported,
       since they cannot start the host
    6. the registered host starts and speaks the extension's protocol
       version (the handshake a browser makes)
    7. every Ethereum network of the host's chain configuration
       ($MYNACONNECT_CHAINS, else mynaconnect/chains.json in the user's
       configuration directory): its rpcUrl answers with the configured
       chain id, the EntryPoint v0.8 and the account factory are there (and
       the factory is the published one), the published contracts there
       hold the code their creation code leaves on that chain, its
       bundler, if any, serves the chain and the EntryPoint, and its fee
       paymaster, if any, takes the configured token and has an ETH
       deposit and a stake. No configuration is fine: logins need none.

  Each finding has a code (PCSCD_NOT_RUNNING, NO_READER, NO_CARD,
  NOT_MYNUMBER_CARD, PIN_BLOCKED, PIN_LAST_TRY, MANIFEST_MISSING,
  HOST_BINARY_MISSING, EXTENSION_NOT_ALLOWED, VERSION_MISMATCH,
  CHAIN_UNREACHABLE, CHAIN_ID_MISMATCH, ENTRYPOINT_MISSING, FACTORY_MISSING,
  CONTRACT_CODE_DIFFERS, BUNDLER_MISMATCH, PAYMASTER_UNFUNDED, ...), a
  status (ok, warn, fail) and a sentence in both languages.

FLAGS
  --json             print the findings as JSON: {"status": ..., "findings":
                     [{"code", "status", "subject", "ja", "en", "detail"}]}
  --lang ja|en       the language of the text output (default: Japanese when
                     $LANG starts with "ja", English otherwise)
  --home DIR         check the browsers of the home directory DIR (default
                     $HOME); $XDG_CONFIG_HOME and $CHROME_CONFIG_HOME are then
                     ignored
  --extension-id ID  the Chromium extension id the registrations must allow
                     (default: the published extension's, or the unpacked
                     build's while none is published); repeatable. A
                     registration that allows the unpacked build's id, whose
                     key anyone can copy, is reported as a warning
                     (DEVELOPMENT_EXTENSION_ALLOWED)
  --help             print this text

EXIT STATUS
  0 nothing to fix (warnings allowed), 1 something to fix, 2 a bad flag.

To install or repair the host registration, run mynaconnect-install
(from the source tree: make install).
`
