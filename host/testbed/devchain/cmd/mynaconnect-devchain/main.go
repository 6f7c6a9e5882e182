// Command mynaconnect-devchain runs the MynaConnect dev chain: a local Ethereum chain with EntryPoint v0.8,
// the card-account factory and a test JPYC token, serving JSON-RPC on 127.0.0.1. It prints the chain
// config (the file format the host reads) and runs until interrupted. Run it with --help for the details.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/log"

	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
)

const usageText = `usage: mynaconnect-devchain [flags]

Runs a local Ethereum chain for MynaConnect development and tests: go-ethereum in this
process, in memory (every start is a fresh chain), mainnet's fork rules pinned, blocks
sealed as soon as transactions arrive. Deployed at start, at the same addresses every time:
EntryPoint v0.8 (its canonical address), CardAccountFactory, the secp256k1 reference
account factory, TestJPYC ("JPY Coin (test)", 18 decimals), and the JPYC fee paymaster
(fees in test JPYC at ¥500,000 per ETH; 100 ETH deposited and 1 ETH staked at the
EntryPoint). The faucet, relayer and bundler keys are funded; they are public and
worthless anywhere else.

The chain config (JSON: RPC URL, EntryPoint, factory, tokens, dev keys) goes to stdout,
and to --config if given, once the chain is ready. Ctrl-C stops the chain.

Flags:
`

// usageError is a command line that cannot work; main exits with 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

type options struct {
	chain   devchain.Options
	verbose bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "mynaconnect-devchain:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "mynaconnect-devchain:", err)
		os.Exit(1)
	}
}

// run starts the chain, prints its config to stdout and keeps it up until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if opts.verbose {
		log.SetDefault(log.NewLogger(log.NewTerminalHandlerWithLevel(stderr, slog.LevelInfo, false)))
	}
	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	chain, err := devchain.Start(startCtx, opts.chain)
	if err != nil {
		return err
	}
	defer chain.Close()
	data, err := chain.ConfigFile().Marshal()
	if err != nil {
		return err
	}
	if _, err := stdout.Write(data); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "mynaconnect-devchain: chain %s (%s rules) ready at %s; Ctrl-C stops it\n", chain.ChainID(), chain.Fork(), chain.RPCURL())
	<-ctx.Done()
	return chain.Close()
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("mynaconnect-devchain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	var (
		opts options
		fork = fs.String("fork", string(devchain.DefaultFork), "fork `rules`: osaka (what mainnet runs) or prague")
	)
	fs.StringVar(&opts.chain.Addr, "addr", devchain.DefaultAddr, "loopback `host:port` for JSON-RPC over HTTP and WebSocket; port 0 picks a free one")
	fs.Uint64Var(&opts.chain.ChainID, "chain-id", devchain.DefaultChainID, "EIP-155 chain `id`")
	fs.DurationVar(&opts.chain.BlockPeriod, "block-period", 0, "also seal a block every `interval` (e.g. 12s) so time moves on an idle chain; 0 = only when transactions arrive")
	fs.StringVar(&opts.chain.ConfigPath, "config", "", "also write the chain config to `file` (replaced atomically)")
	fs.BoolVar(&opts.verbose, "v", false, "log go-ethereum's messages to stderr")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	f, err := devchain.ParseFork(*fork)
	if err != nil {
		return options{}, usageError{err}
	}
	opts.chain.Fork = f
	if opts.chain.ChainID == 0 {
		return options{}, usageError{errors.New("--chain-id 0: want a positive chain id")}
	}
	if opts.chain.BlockPeriod < 0 {
		return options{}, usageError{fmt.Errorf("--block-period %v: want 0 or more", opts.chain.BlockPeriod)}
	}
	return opts, nil
}
