package main

import (
	"bufio"
	"context"
	gocrypto "crypto"
	"crypto/ecdsa"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"golang.org/x/term"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/pcsc"
	"github.com/mynaconnect/mynaconnect/host/recovery"
	"github.com/mynaconnect/mynaconnect/host/rescue"
)

const rescueHelp = `mynaconnect rescue - take your money out of your card account, with nothing of ours

With your My Number card on a reader, any JSON-RPC address of the chain and,
to pay for the transaction, an Ethereum key of your own that holds a little
ETH, this moves everything your card account holds to an address you choose.
It needs no MynaConnect server, extension or host, only the chain: it starts
from the factory's published address (the same on every chain).

USAGE
  mynaconnect rescue --rpc URL [--token ADDR]...                 show the accounts and balances
  mynaconnect rescue --rpc URL --to ADDR --fee-key FILE [--token ADDR]...
                                                                  move everything to ADDR
  mynaconnect rescue --rpc URL --finish-recovery --fee-key FILE   hand the account to this card after
                                                                  the guardians' delay (no PIN needed)
  mynaconnect rescue --rpc URL --cancel-recovery --fee-key FILE   cancel a recovery (the current card)

The card's 利用者証明用 PIN (4 digits) is asked for when the card must sign:
typed without echo on a terminal, or read as one line from standard input.
It is sent to the card only, never stored or shown. A blocked PIN is never
tried.

FLAGS
  --rpc URL          the chain's JSON-RPC address (required)
  --factory ADDR     CardAccountFactory (default: the published one)
  --index N          the card's account number (default 0)
  --token ADDR       an ERC-20 token to show and move; repeatable (e.g. JPYC)
  --to ADDR          where everything goes
  --fee-key FILE     a file holding a hex secp256k1 private key with ETH, which
                     sends the transaction and pays its gas; the account pays
                     nothing, so all of its ETH moves
  --finish-recovery  execute the guardians' recovery to this card after its delay
  --cancel-recovery  cancel the pending recovery of the account this card owns
  --reader NAME      the card reader to use (default: the one with a card)
  --last-try         go ahead when one PIN try is left (the PIN locks if it is wrong)
`

type rescueOptions struct {
	rpc, reader, feeKey    string
	factory, to            common.Address
	index                  *big.Int
	tokens                 []common.Address
	finish, cancelRecovery bool
	lastTry                bool
}

func parseRescue(args []string) (rescueOptions, error) {
	fs := flag.NewFlagSet("mynaconnect rescue", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o rescueOptions
	var factory, to, index string
	var tokens list
	fs.StringVar(&o.rpc, "rpc", "", "")
	fs.StringVar(&factory, "factory", "", "")
	fs.StringVar(&index, "index", "0", "")
	fs.Var(&tokens, "token", "")
	fs.StringVar(&to, "to", "", "")
	fs.StringVar(&o.feeKey, "fee-key", "", "")
	fs.BoolVar(&o.finish, "finish-recovery", false, "")
	fs.BoolVar(&o.cancelRecovery, "cancel-recovery", false, "")
	fs.StringVar(&o.reader, "reader", "", "")
	fs.BoolVar(&o.lastTry, "last-try", false, "")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.rpc == "" {
		return o, errors.New("--rpc is required: the chain's JSON-RPC address")
	}
	actions := 0
	for _, on := range []bool{to != "", o.finish, o.cancelRecovery} {
		if on {
			actions++
		}
	}
	if actions > 1 {
		return o, errors.New("--to, --finish-recovery and --cancel-recovery: choose one")
	}
	if actions == 1 && o.feeKey == "" {
		return o, errors.New("--fee-key is required to send a transaction: a key of yours with ETH for the gas")
	}
	var ok bool
	var err error
	if o.index, ok = new(big.Int).SetString(index, 10); !ok || o.index.Sign() < 0 {
		return o, fmt.Errorf("--index %q: want a number 0 or more", index)
	}
	if o.factory, err = optionalAddress("--factory", factory); err != nil {
		return o, err
	}
	if o.to, err = optionalAddress("--to", to); err != nil {
		return o, err
	}
	for _, t := range tokens {
		if !common.IsHexAddress(t) {
			return o, fmt.Errorf("--token %q: want a 0x address", t)
		}
		o.tokens = append(o.tokens, common.HexToAddress(t))
	}
	if o.factory == (common.Address{}) {
		published, _, err := contracts.PublishedAddresses()
		if err != nil {
			return o, err
		}
		o.factory = published.AccountFactory
	}
	return o, nil
}

// optionalAddress reads a flag's 0x address; empty gives the zero address (not given).
func optionalAddress(flag, v string) (common.Address, error) {
	if v == "" {
		return common.Address{}, nil
	}
	if !common.IsHexAddress(v) {
		return common.Address{}, fmt.Errorf("%s %q: want a 0x address", flag, v)
	}
	return common.HexToAddress(v), nil
}

func runRescue(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprint(stdout, rescueHelp)
			return 0
		}
	}
	o, err := parseRescue(args)
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect rescue: %v\nRun mynaconnect rescue --help for usage.\n", err)
		return 2
	}
	if err := rescueWith(ctx, o, stdin, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "mynaconnect rescue: %v\n", err)
		return 1
	}
	return 0
}

func rescueWith(ctx context.Context, o rescueOptions, stdin io.Reader, stdout, stderr io.Writer) error {
	var payer *ecdsa.PrivateKey
	if o.feeKey != "" {
		var err error
		if payer, err = readKeyFile("--fee-key", o.feeKey); err != nil {
			return err
		}
	}
	client, err := rpc.DialContext(ctx, o.rpc)
	if err != nil {
		return fmt.Errorf("--rpc %s: %w", o.rpc, err)
	}
	defer client.Close()
	ch := rescue.Chain{RPC: client, Factory: o.factory}

	card, err := openCard(o.reader)
	if err != nil {
		return err
	}
	defer card.close()
	owner := card.owner

	found, err := recovery.Accounts(ctx, ethclient.NewClient(ch.RPC), ch.Factory, owner, o.index)
	if err != nil {
		return err
	}
	var holdings []*rescue.Holdings
	for _, addr := range found {
		h, err := rescue.Inspect(ctx, ch, addr, o.tokens)
		if err != nil {
			return err
		}
		holdings = append(holdings, h)
		printHoldings(stdout, h)
	}

	switch {
	case o.finish:
		return finishRecoveries(ctx, ch, owner, payer, stdout)
	case o.cancelRecovery:
		signer, err := card.unlock(stdin, stderr, o.lastTry)
		if err != nil {
			return err
		}
		tx, err := rescue.CancelRecovery(ctx, ch, found[0], owner, signer, payer)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "cancelled the recovery of %s (transaction %s)\n", found[0], tx)
	case o.to != (common.Address{}):
		var signer gocrypto.Signer
		for _, h := range holdings {
			if h.ETH.Sign() == 0 && !holdsTokens(h) {
				continue
			}
			if signer == nil {
				if signer, err = card.unlock(stdin, stderr, o.lastTry); err != nil {
					return err
				}
			}
			tx, err := rescue.Sweep(ctx, ch, owner, signer, h, o.to, payer)
			if err != nil {
				return fmt.Errorf("moving what %s holds: %w", h.Account, err)
			}
			fmt.Fprintf(stdout, "moved everything from %s to %s (transaction %s)\n", h.Account, o.to, tx)
		}
	}
	return nil
}

func holdsTokens(h *rescue.Holdings) bool {
	for _, t := range h.Tokens {
		if t.Amount.Sign() > 0 {
			return true
		}
	}
	return false
}

func printHoldings(w io.Writer, h *rescue.Holdings) {
	state := "deployed"
	if !h.Deployed {
		state = "not deployed yet"
	}
	fmt.Fprintf(w, "account %s (%s)\n  ETH  %s\n", h.Account, state, units(h.ETH, 18))
	for _, t := range h.Tokens {
		name := t.Symbol
		if name == "" {
			name = t.Token.Hex()
		}
		fmt.Fprintf(w, "  %s  %s\n", name, units(t.Amount, t.Decimals))
	}
}

// finishRecoveries executes every recovery to this card whose delay has passed, among the accounts the
// RecoveryStarted events name for its key.
func finishRecoveries(ctx context.Context, ch rescue.Chain, owner account.Owner, payer *ecdsa.PrivateKey, stdout io.Writer) error {
	pending, err := rescue.PendingFor(ctx, ch, owner)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		return errors.New("no recovery to this card is pending: ask your guardians to approve one first")
	}
	for _, addr := range pending {
		tx, err := rescue.FinishRecovery(ctx, ch, addr, owner, payer)
		if err != nil {
			return fmt.Errorf("finishing the recovery of %s: %w", addr, err)
		}
		fmt.Fprintf(stdout, "account %s now belongs to this card (transaction %s)\n", addr, tx)
	}
	return nil
}

// cliCard is the card on the reader, opened over PC/SC, its certificate read (no PIN).
type cliCard struct {
	session *pcsc.Session
	card    *jpki.Card
	owner   account.Owner
}

func (c *cliCard) close() { c.session.Close() }

func openCard(reader string) (*cliCard, error) {
	if reader == "" {
		states, err := pcsc.Readers()
		if err != nil {
			return nil, fmt.Errorf("the card reader service: %w (is pcscd running?)", err)
		}
		for _, s := range states {
			if s.CardPresent && !s.Mute {
				reader = s.Name
				break
			}
		}
		if reader == "" {
			return nil, errors.New("カードをリーダーに置いてください / put your My Number card on the reader")
		}
	}
	session, err := pcsc.Connect(reader)
	if err != nil {
		return nil, fmt.Errorf("the card on %s: %w", reader, err)
	}
	c := &cliCard{session: session}
	if c.card, err = jpki.Open(session); err != nil {
		session.Close()
		return nil, fmt.Errorf("the card on %s is not a My Number card: %w", reader, err)
	}
	der, err := c.card.ReadAuthCertificate()
	if err == nil {
		c.owner, err = account.OwnerFromCertificate(der)
	}
	if err != nil {
		session.Close()
		return nil, fmt.Errorf("reading the card's certificate: %w", err)
	}
	return c, nil
}

// unlock asks for the PIN and verifies it on the card, and returns the card's signer. It reads the retry
// counter first: a blocked PIN is never tried, and the last try only with lastTry.
func (c *cliCard) unlock(stdin io.Reader, stderr io.Writer, lastTry bool) (gocrypto.Signer, error) {
	left, err := c.card.AuthPINRetries()
	if err != nil {
		return nil, fmt.Errorf("the PIN's retry counter: %w", err)
	}
	switch {
	case left == 0:
		return nil, errors.New("暗証番号がロックされています。市区町村の窓口で解除してください / the PIN is locked: your municipal office can reset it")
	case left == 1 && !lastTry:
		return nil, errors.New("暗証番号はあと1回でロックされます / one try is left before the PIN locks: run again with --last-try if you are sure of it")
	}
	pin, err := readPIN(stdin, stderr)
	if err != nil {
		return nil, err
	}
	defer clear(pin)
	if err := c.card.VerifyAuthPIN(pin); err != nil {
		return nil, fmt.Errorf("the PIN: %w", err)
	}
	return c.card.AuthKey(c.owner.Pub), nil
}

// readPIN reads the 4-digit PIN: without echo from a terminal, else one line from stdin.
func readPIN(stdin io.Reader, stderr io.Writer) ([]byte, error) {
	var pin []byte
	var err error
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "利用者証明用暗証番号（数字4桁）/ PIN (4 digits): ")
		pin, err = term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
	} else {
		line, rerr := bufio.NewReader(stdin).ReadSlice('\n')
		pin, err = []byte(strings.TrimSpace(string(line))), rerr
		if errors.Is(err, io.EOF) && len(pin) > 0 {
			err = nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("reading the PIN: %w", err)
	}
	if len(pin) != 4 || strings.Trim(string(pin), "0123456789") != "" {
		clear(pin)
		return nil, errors.New("the PIN is 4 digits (利用者証明用暗証番号は数字4桁です)")
	}
	return pin, nil
}
