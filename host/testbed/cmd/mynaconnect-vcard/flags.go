package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
)

const usageText = `Usage: mynaconnect-vcard [flags]

A virtual My Number card (マイナンバーカード) for tests and demos. It holds the
JPKI applet with test certificates and keys (by default the committed set in
testdata/pki, never a real person's) and plugs itself into the virtual reader
of vsmartcard's vpcd driver, so that pcscd and every PC/SC client on this
machine (MynaConnect's host, OpenSC, pcsc_scan) see a card in the reader
"Virtual PCD 00 00" (or "00 01" with --reader-slot 1).

pcscd with the vpcd driver must be running:

    apt-get install pcscd vsmartcard-vpcd
    pcscd --foreground &

The card waits for vpcd while pcscd is starting, and goes back into the
reader when the connection drops (unless --once). Pull the card out with
Ctrl-C (or SIGTERM).

The PINs are test values, visible to anyone who lists processes. With -v
the card logs each APDU's header and status word, never its data.

Examples:

    mynaconnect-vcard -v
    mynaconnect-vcard --auth-retries 1 --state-dir /tmp/vcard  # one try left, remembered
    mynaconnect-vcard --drop-after 5          # leaves the reader at the 6th APDU
    mynaconnect-vcard --fault 2A=6F00         # every SIGN fails with 6F00
    mynaconnect-vcard --not-mynumber          # a card without the JPKI applet

Flags:
`

// usageError is a command line that cannot work; main exits with 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

// options is a parsed command line.
type options struct {
	addr          string
	once          bool
	reinsertAfter time.Duration
	verbose       bool
	card          vcard.Config
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("mynaconnect-vcard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	var (
		opts        options
		slot        = fs.Int("reader-slot", 0, "vpcd reader `slot`, 0 or 1: shorthand for --vpcd "+vcard.VPCDReader0+" or "+vcard.VPCDReader1)
		pin         = fs.String("pin", vcard.DefaultAuthPIN, "auth (利用者証明用) `PIN`, 4 digits")
		password    = fs.String("sign-password", vcard.DefaultSignPassword, "sign (署名用) `password`, 6-16 of A-Z and 0-9")
		authRetries = fs.Int("auth-retries", vcard.DefaultAuthRetries, "`tries` left on the auth PIN at start, 0 = blocked (a counter file in --state-dir wins)")
		signRetries = fs.Int("sign-retries", vcard.DefaultSignRetries, "`tries` left on the sign password at start, 0 = blocked (a counter file in --state-dir wins)")
		stateDir    = fs.String("state-dir", "", "keep the retry counters in `dir`, so a locked card stays locked across restarts (default: in memory)")
		signDelay   = fs.Duration("sign-delay", 0, "time a SIGN takes, to simulate a slow chip (e.g. 800ms)")
		notMyNumber = fs.Bool("not-mynumber", false, "be a card without the JPKI applet (SELECT of its AID fails with 6A82)")
		tokenInfo   = fs.String("token-info", vcard.DefaultTokenInfo, "token info in EF 0006, e.g. JPKIAPICCTOKEN for an old Juki card")
		dropAfter   = fs.Int("drop-after", 0, "leave the reader (close the connection) after answering `N` APDUs, once; 0 = never")
		pkiDir      = fs.String("pki", "", "load certificates and keys from `dir` (testpki layout: auth-cert.der, auth-key.pem, ...); default: the embedded test set")
		faults      = faultFlag{}
	)
	fs.StringVar(&opts.addr, "vpcd", vcard.VPCDReader0, "`address` of vpcd's reader")
	fs.BoolVar(&opts.once, "once", false, "exit when the card leaves the reader instead of going back in")
	fs.DurationVar(&opts.reinsertAfter, "reinsert-after", time.Second, "how long the card stays out before going back in")
	fs.BoolVar(&opts.verbose, "v", false, "log APDU headers and status words (never data), power and reset")
	fs.Var(faults, "fault", "`INS=SW` in hex, e.g. 2A=6F00: answer SW to every command with instruction byte INS, without executing it; repeatable")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}

	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["reader-slot"] {
		if set["vpcd"] {
			return options{}, usageError{fmt.Errorf("--reader-slot and --vpcd both name the reader; use one")}
		}
		switch *slot {
		case 0:
			opts.addr = vcard.VPCDReader0
		case 1:
			opts.addr = vcard.VPCDReader1
		default:
			return options{}, usageError{fmt.Errorf("--reader-slot %d: vpcd has slots 0 and 1", *slot)}
		}
	}
	if *dropAfter < 0 {
		return options{}, usageError{fmt.Errorf("--drop-after %d: want 0 or more", *dropAfter)}
	}

	var err error
	if *pkiDir != "" {
		p, lerr := testpki.Load(os.DirFS(*pkiDir))
		if lerr != nil {
			return options{}, fmt.Errorf("--pki %s: %w", *pkiDir, lerr)
		}
		opts.card = vcard.ConfigFromPKI(p)
	} else if opts.card, err = vcard.DefaultConfig(); err != nil {
		return options{}, err
	}
	if opts.card.AuthPIN, err = pinFlag("auth-retries", *pin, *authRetries, vcard.DefaultAuthRetries); err != nil {
		return options{}, err
	}
	if opts.card.SignPassword, err = pinFlag("sign-retries", *password, *signRetries, vcard.DefaultSignRetries); err != nil {
		return options{}, err
	}
	opts.card.StateDir = *stateDir
	opts.card.SignDelay = *signDelay
	opts.card.NotMyNumberCard = *notMyNumber
	opts.card.TokenInfo = *tokenInfo
	opts.card.DropAfter = *dropAfter
	opts.card.StatusOverride = faults
	return opts, nil
}

// pinFlag turns "tries left" from the command line into a vcard.PIN.
func pinFlag(name, value string, retries, maxRetries int) (vcard.PIN, error) {
	if retries < 0 || retries > maxRetries {
		return vcard.PIN{}, usageError{fmt.Errorf("--%s %d: want 0 to %d", name, retries, maxRetries)}
	}
	return vcard.PIN{Value: value, MaxRetries: maxRetries, Failures: maxRetries - retries}, nil
}

// faultFlag collects --fault INS=SW pairs.
type faultFlag map[byte]uint16

func (f faultFlag) String() string {
	var parts []string
	for ins, sw := range f {
		parts = append(parts, fmt.Sprintf("%02X=%04X", ins, sw))
	}
	return strings.Join(parts, ",")
}

func (f faultFlag) Set(s string) error {
	insText, swText, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want INS=SW in hex, e.g. 2A=6F00")
	}
	ins, err := strconv.ParseUint(insText, 16, 8)
	if err != nil || len(insText) != 2 {
		return fmt.Errorf("INS %q: want two hex digits", insText)
	}
	sw, err := strconv.ParseUint(swText, 16, 16)
	if err != nil || len(swText) != 4 {
		return fmt.Errorf("SW %q: want four hex digits", swText)
	}
	if _, dup := f[byte(ins)]; dup {
		return fmt.Errorf("INS %02X given twice", ins)
	}
	f[byte(ins)] = uint16(sw)
	return nil
}
