package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account/feepaymaster"
)

const paymasterHelp = `mynaconnect paymaster - run a JPYC fee paymaster (for its operator)

A JPYC fee paymaster pays the gas of card accounts' operations from its ETH
deposit at the EntryPoint and takes the fee from the account in JPYC, at the
rate its operator sets (yen per ETH), so a person holding only JPYC can send
JPYC. Its operator's key owns it; these commands are the operator's.

USAGE
  mynaconnect paymaster deploy   --rpc URL --key FILE --token ADDR --yen-per-eth N
  mynaconnect paymaster status   --rpc URL --paymaster ADDR
  mynaconnect paymaster deposit  --rpc URL --key FILE --paymaster ADDR --eth AMOUNT
  mynaconnect paymaster stake    --rpc URL --key FILE --paymaster ADDR --eth AMOUNT [--delay SECONDS]
  mynaconnect paymaster withdraw --rpc URL --key FILE --paymaster ADDR --eth AMOUNT --to ADDR
  mynaconnect paymaster rate     --rpc URL --key FILE --paymaster ADDR --yen-per-eth N
  mynaconnect paymaster collect  --rpc URL --key FILE --paymaster ADDR --to ADDR

  deploy    puts a paymaster for the JPYC token at ADDR on the chain, owned
            by the key (the same token, rate and key give the same address)
  status    its owner, token, rate, deposit, stake and the JPYC collected
  deposit   adds ETH to the deposit that pays the gas ("1.5" is 1.5 ETH)
  stake     stakes ETH at the EntryPoint: bundlers in ERC-7562 safe mode
            take its operations only when it is staked (--delay, the unstake
            delay, defaults to a day)
  withdraw  takes ETH out of the deposit to --to
  rate      sets the rate: yen per ETH
  collect   takes all the JPYC collected as fees to --to

FLAGS
  --rpc URL          the chain's JSON-RPC address (required)
  --key FILE         a file holding the operator's hex secp256k1 private key
  --paymaster ADDR   the paymaster
  --token ADDR       deploy: the JPYC token fees are taken in
  --yen-per-eth N    deploy, rate: the price of one ETH in yen
  --eth AMOUNT       deposit, stake, withdraw: an amount of ETH
  --to ADDR          withdraw, collect: where it goes
  --delay SECONDS    stake: the unstake delay (default 86400)

EXIT STATUS
  0 done, 1 the chain refused or could not be reached, 2 a bad flag.
`

type paymasterOptions struct {
	action, rpc          string
	key                  *ecdsa.PrivateKey
	paymaster, token, to common.Address
	yenPerETH            uint64
	wei                  *big.Int
	delay                uint32
}

// paymasterFlags says which flags each action needs; every action needs --rpc.
var paymasterFlags = map[string][]string{
	"deploy":   {"key", "token", "yen-per-eth"},
	"status":   {"paymaster"},
	"deposit":  {"key", "paymaster", "eth"},
	"stake":    {"key", "paymaster", "eth"},
	"withdraw": {"key", "paymaster", "eth", "to"},
	"rate":     {"key", "paymaster", "yen-per-eth"},
	"collect":  {"key", "paymaster", "to"},
}

func runPaymaster(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || asksHelp(args[0]) {
		fmt.Fprint(stdout, paymasterHelp)
		return 0
	}
	o, err := parsePaymaster(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, paymasterHelp)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect paymaster: %v\nRun mynaconnect paymaster --help for usage.\n", err)
		return 2
	}
	if err := paymasterWith(ctx, o, stdout); err != nil {
		fmt.Fprintf(stderr, "mynaconnect paymaster %s: %v\n", o.action, err)
		return 1
	}
	return 0
}

func parsePaymaster(args []string) (paymasterOptions, error) {
	o := paymasterOptions{action: args[0], delay: 86400}
	needs, ok := paymasterFlags[o.action]
	if !ok {
		return o, fmt.Errorf("unknown action %q", o.action)
	}
	fs := flag.NewFlagSet("mynaconnect paymaster "+o.action, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var keyFile, paymaster, token, to, yen, eth string
	var delay uint
	fs.StringVar(&o.rpc, "rpc", "", "")
	fs.StringVar(&keyFile, "key", "", "")
	fs.StringVar(&paymaster, "paymaster", "", "")
	fs.StringVar(&token, "token", "", "")
	fs.StringVar(&to, "to", "", "")
	fs.StringVar(&yen, "yen-per-eth", "", "")
	fs.StringVar(&eth, "eth", "", "")
	fs.UintVar(&delay, "delay", 86400, "")
	if err := fs.Parse(args[1:]); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, name := range append([]string{"rpc"}, needs...) {
		if !given[name] {
			return o, fmt.Errorf("%s needs --%s", o.action, name)
		}
	}
	for name := range given {
		if name != "rpc" && !slices.Contains(needs, name) && !(name == "delay" && o.action == "stake") {
			return o, fmt.Errorf("--%s is not for %s", name, o.action)
		}
	}
	var err error
	for _, a := range []struct {
		flag, v string
		into    *common.Address
	}{{"--paymaster", paymaster, &o.paymaster}, {"--token", token, &o.token}, {"--to", to, &o.to}} {
		if *a.into, err = optionalAddress(a.flag, a.v); err != nil {
			return o, err
		}
	}
	if yen != "" {
		if o.yenPerETH, err = strconv.ParseUint(yen, 10, 64); err != nil || o.yenPerETH == 0 {
			return o, fmt.Errorf("--yen-per-eth %q: want a whole number of yen above 0", yen)
		}
	}
	if eth != "" {
		if o.wei, err = parseUnits(eth, 18); err != nil || o.wei.Sign() == 0 {
			return o, fmt.Errorf("--eth %q: want an amount of ETH above 0", eth)
		}
	}
	if delay > 1<<32-1 {
		return o, fmt.Errorf("--delay %d: too long", delay)
	}
	o.delay = uint32(delay)
	if keyFile != "" {
		if o.key, err = readKeyFile("--key", keyFile); err != nil {
			return o, err
		}
	}
	return o, nil
}

func paymasterWith(ctx context.Context, o paymasterOptions, stdout io.Writer) error {
	client, err := ethclient.DialContext(ctx, o.rpc)
	if err != nil {
		return fmt.Errorf("--rpc %s: %w", o.rpc, err)
	}
	defer client.Close()
	op := feepaymaster.Operator{Client: client, Key: o.key}
	var tx common.Hash
	switch o.action {
	case "deploy":
		if o.paymaster, err = op.Deploy(ctx, o.token, o.yenPerETH); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "paymaster %s\n", o.paymaster.Hex())
	case "deposit":
		tx, err = op.Deposit(ctx, o.paymaster, o.wei)
	case "stake":
		tx, err = op.Stake(ctx, o.paymaster, o.wei, o.delay)
	case "withdraw":
		tx, err = op.Withdraw(ctx, o.paymaster, o.to, o.wei)
	case "rate":
		tx, err = op.SetRate(ctx, o.paymaster, o.yenPerETH)
	case "collect":
		tx, err = op.Collect(ctx, o.paymaster, o.to)
	}
	if err != nil {
		return err
	}
	if tx != (common.Hash{}) {
		fmt.Fprintf(stdout, "transaction %s\n", tx.Hex())
	}
	s, err := feepaymaster.Read(ctx, client, o.paymaster)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "owner      %s\ntoken      %s %s\nrate       ¥%s per ETH\ndeposit    %s ETH\nstake      %s ETH, unstake delay %d s (staked: %v)\ncollected  %s %s\n",
		s.Owner.Hex(), s.TokenSymbol, s.Token.Hex(), s.YenPerETH, units(s.Deposit, 18), units(s.Stake, 18), s.UnstakeDelay, s.Staked,
		units(s.Collected, s.TokenDecimals), s.TokenSymbol)
	return nil
}
