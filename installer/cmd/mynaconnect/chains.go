package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/chainconfig/presets"
	"github.com/mynaconnect/mynaconnect/host/tokens"
)

const chainsHelp = `mynaconnect chains - add a public network to the host's chain configuration

MynaConnect knows these networks (the key, then the network):
%s
Their JSON-RPC and bundler addresses are yours to supply: use a provider you
trust (an address usually carries your API key; it stays in the configuration
file and the host's log shows only its scheme and host).

USAGE
  mynaconnect chains presets                        list the networks above
  mynaconnect chains add KEY --rpc URL [--bundler URL] [--explorer URL] [--token ADDR]... [--config FILE]

"add" asks the RPC address for its chain id (it must be the network's), reads
the JPYC tokens' symbols and decimals from their contracts (never from a list
alone; a token the network does not have is left out, with a note), checks
the bundler, if given, serves the network and EntryPoint v0.8, and writes the
network into the configuration, replacing the same network if it is there.

FLAGS
  --rpc URL        the network's JSON-RPC address (required)
  --bundler URL    an ERC-4337 bundler for EntryPoint v0.8 on the network;
                   without one, the host cannot send on it
  --explorer URL   a block explorer's base address, for links
  --token ADDR     another ERC-20 token to show (its symbol, name and decimals
                   read from its contract); repeatable
  --config FILE    the chain configuration to write (default: $MYNACONNECT_CHAINS,
                   else mynaconnect/chains.json in your configuration directory)

Afterwards, mynaconnect doctor checks the network as the host will use it, and
mynaconnect contracts verify --rpc URL checks MynaConnect's contracts are there.

EXIT STATUS
  0 written, 1 the network, a token or the bundler is not as expected (nothing
  written), 2 a bad flag.
`

func presetList() string {
	var b []byte
	for _, p := range presets.All() {
		b = fmt.Appendf(b, "  %-16s %s (chain id %d)\n", p.Key, p.Network.Name, p.Network.ChainID)
	}
	return string(b)
}

type chainsOptions struct {
	preset                 presets.Preset
	rpc, bundler, explorer string
	tokens                 []common.Address
	config                 string
}

func runChains(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || asksHelp(args[0]) {
		fmt.Fprintf(stdout, chainsHelp, presetList())
		return 0
	}
	switch args[0] {
	case "presets":
		fmt.Fprint(stdout, presetList())
		return 0
	case "add":
	default:
		fmt.Fprintf(stderr, "mynaconnect chains: unknown action %q: presets or add\nRun mynaconnect chains --help for usage.\n", args[0])
		return 2
	}
	o, err := parseChainsAdd(args[1:])
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, chainsHelp, presetList())
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect chains add: %v\nRun mynaconnect chains --help for usage.\n", err)
		return 2
	}
	if err := addChain(ctx, o, stdout); err != nil {
		fmt.Fprintf(stderr, "mynaconnect chains add: %v\n", err)
		return 1
	}
	return 0
}

func parseChainsAdd(args []string) (chainsOptions, error) {
	var o chainsOptions
	switch {
	case len(args) > 0 && asksHelp(args[0]):
		return o, flag.ErrHelp
	case len(args) == 0 || strings.HasPrefix(args[0], "-"):
		return o, errors.New("name the network first: mynaconnect chains add KEY --rpc URL (mynaconnect chains presets lists the keys)")
	}
	p, ok := presets.ByKey(args[0])
	if !ok {
		return o, fmt.Errorf("no network %q; mynaconnect chains presets lists them", args[0])
	}
	o.preset = p
	fs := flag.NewFlagSet("mynaconnect chains add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var toks list
	fs.StringVar(&o.rpc, "rpc", "", "")
	fs.StringVar(&o.bundler, "bundler", "", "")
	fs.StringVar(&o.explorer, "explorer", "", "")
	fs.Var(&toks, "token", "")
	fs.StringVar(&o.config, "config", "", "")
	if err := fs.Parse(args[1:]); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.rpc == "" {
		return o, errors.New("--rpc is required: the network's JSON-RPC address")
	}
	for _, t := range toks {
		if !common.IsHexAddress(t) {
			return o, fmt.Errorf("--token %q: want a 0x address", t)
		}
		o.tokens = append(o.tokens, common.HexToAddress(t))
	}
	if o.config == "" {
		path, err := chainconfig.DefaultPath()
		if err != nil {
			return o, fmt.Errorf("no configuration directory (%v): name the file with --config", err)
		}
		o.config = path
	}
	return o, nil
}

// addChain checks the network, reads its tokens and writes it into the configuration.
func addChain(ctx context.Context, o chainsOptions, stdout io.Writer) error {
	n := o.preset.Network
	n.RPCURL, n.BundlerURL, n.ExplorerURL = o.rpc, o.bundler, o.explorer
	client, err := ethclient.DialContext(ctx, o.rpc)
	if err != nil {
		return fmt.Errorf("--rpc %s: %w", o.rpc, err)
	}
	defer client.Close()
	id, err := client.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("--rpc %s: eth_chainId: %w", o.rpc, err)
	}
	if !id.IsUint64() || id.Uint64() != n.ChainID {
		return fmt.Errorf("--rpc %s serves chain %s, not %s (chain id %d)", o.rpc, id, n.Name, n.ChainID)
	}

	// The preset's tokens, as their contracts describe them; a network without one leaves it out.
	n.Tokens = nil
	for _, t := range o.preset.Network.Tokens {
		m, err := tokens.Read(ctx, client, t.Address)
		if errors.Is(err, tokens.ErrNotAToken) {
			fmt.Fprintf(stdout, "note: %s (%s) is not on this network; left out\n", t.Name, t.Address)
			continue
		}
		if err != nil {
			return err
		}
		t.Symbol, t.Decimals = m.Symbol, m.Decimals
		n.Tokens = append(n.Tokens, t)
	}
	for _, addr := range o.tokens {
		m, err := tokens.Read(ctx, client, addr)
		if err != nil {
			return fmt.Errorf("--token %s: %w", addr, err)
		}
		n.Tokens = append(n.Tokens, chainconfig.Token{Address: addr, Symbol: m.Symbol, Name: m.Name, Decimals: m.Decimals})
	}

	if o.bundler != "" {
		b, err := rpc.DialContext(ctx, o.bundler)
		if err != nil {
			return fmt.Errorf("--bundler %s: %w", o.bundler, err)
		}
		defer b.Close()
		if err := (&account.Bundler{RPC: b}).Check(ctx, n.ChainID, n.EntryPoint); err != nil {
			return fmt.Errorf("--bundler %s: %w", o.bundler, err)
		}
	}

	f, err := chainconfig.Load(o.config)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f = &chainconfig.File{Format: chainconfig.Format}
		if err := os.MkdirAll(filepath.Dir(o.config), 0o700); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("--config %s: %w", o.config, err)
	}
	if i := slices.IndexFunc(f.Networks, func(x chainconfig.Network) bool { return x.ChainID == n.ChainID }); i >= 0 {
		f.Networks[i] = n
	} else {
		f.Networks = append(f.Networks, n)
	}
	if err := f.Write(o.config); err != nil {
		return fmt.Errorf("--config %s: %w", o.config, err)
	}
	fmt.Fprintf(stdout, "%s (chain id %d) is in %s, with %d tokens", n.Name, n.ChainID, o.config, len(n.Tokens))
	if n.BundlerURL == "" {
		fmt.Fprint(stdout, " and no bundler: the host cannot send on it until you add one (--bundler)")
	}
	fmt.Fprintln(stdout, ".\nCheck it with: mynaconnect doctor; and MynaConnect's contracts with: mynaconnect contracts verify --rpc URL")
	return nil
}
