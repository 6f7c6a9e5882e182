package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account/deployment"
)

const contractsHelp = `mynaconnect contracts - put MynaConnect's contracts on a chain, or check them

Every card account relies on five contracts: EntryPoint v0.8 (ERC-4337),
CardRecovery, PasskeyVerifier, CardAccountFactory and the CardAccount
implementation the factory makes. They go on every chain through the
deterministic deployment proxy (0x4e59b44847b379578588920cA78fbF26c0B4956C),
so they have the same addresses everywhere (docs/contracts.md). What the code
at each address must be is worked out here, by running the contracts'
creation code in a local EVM with the chain's id: nothing is taken on trust
from the chain or from a list.

USAGE
  mynaconnect contracts verify --rpc URL                  check a chain: exit 0 when
                                                          every contract is there as published
  mynaconnect contracts deploy --rpc URL --key FILE       deploy what is missing, then check

FLAGS
  --rpc URL    the chain's JSON-RPC address (required)
  --key FILE   deploy: a file holding a hex secp256k1 private key with ETH,
               which sends the deployment transactions and pays their gas
               (11.2 million gas in all on a chain that has none of them)

A contract found at its address with other code is reported and never
replaced. A chain without the deterministic deployment proxy cannot have the
published addresses; deploy says so and sends nothing.

EXIT STATUS
  0 every contract is there as published, 1 not (or the chain could not be
  read), 2 a bad flag.
`

func runContracts(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || asksHelp(args[0]) {
		fmt.Fprint(stdout, contractsHelp)
		return 0
	}
	action := args[0]
	if action != "verify" && action != "deploy" {
		fmt.Fprintf(stderr, "mynaconnect contracts: unknown action %q: verify or deploy\nRun mynaconnect contracts --help for usage.\n", action)
		return 2
	}
	fs := flag.NewFlagSet("mynaconnect contracts "+action, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	rpcURL := fs.String("rpc", "", "")
	keyFile := fs.String("key", "", "")
	err := fs.Parse(args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, contractsHelp)
		return 0
	case err != nil:
	case fs.NArg() > 0:
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case *rpcURL == "":
		err = errors.New("--rpc is required: the chain's JSON-RPC address")
	case action == "deploy" && *keyFile == "":
		err = errors.New("--key is required to deploy: a key file of yours with ETH for the gas")
	case action == "verify" && *keyFile != "":
		err = errors.New("--key is for deploy only; verify sends nothing")
	}
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect contracts %s: %v\nRun mynaconnect contracts --help for usage.\n", action, err)
		return 2
	}
	var key *ecdsa.PrivateKey
	if *keyFile != "" {
		if key, err = readKeyFile("--key", *keyFile); err != nil {
			fmt.Fprintf(stderr, "mynaconnect contracts %s: %v\n", action, err)
			return 2
		}
	}
	if err := contractsWith(ctx, *rpcURL, key, stdout); err != nil {
		fmt.Fprintf(stderr, "mynaconnect contracts %s: %v\n", action, err)
		return 1
	}
	return 0
}

// contractsWith checks the chain at rpcURL, deploying first when key is given, and prints each contract's
// state.
func contractsWith(ctx context.Context, rpcURL string, key *ecdsa.PrivateKey, stdout io.Writer) error {
	client, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		return fmt.Errorf("--rpc %s: %w", rpcURL, err)
	}
	defer client.Close()
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("--rpc %s: eth_chainId: %w", rpcURL, err)
	}
	cs, err := deployment.Published(chainID)
	if err != nil {
		return err
	}
	var statuses []deployment.Status
	if key != nil {
		fmt.Fprintf(stdout, "Deploying on chain %s from %s\n", chainID, crypto.PubkeyToAddress(key.PublicKey))
		statuses, err = deployment.Deploy(ctx, client, key, cs)
	} else {
		statuses, err = deployment.Check(ctx, client, cs)
	}
	if len(statuses) > 0 {
		fmt.Fprintf(stdout, "Chain %s:\n", chainID)
		for _, s := range statuses {
			fmt.Fprintf(stdout, "  %-15s %-30s %s\n", s.State, s.Name, s.Address)
		}
	}
	return err
}

// readKeyFile reads a hex secp256k1 private key from a file: keys are never flag values, which shells
// keep in their history.
func readKeyFile(flag, path string) (*ecdsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	key, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(string(b)), "0x"))
	if err != nil {
		return nil, fmt.Errorf("%s %s: not a hex secp256k1 private key", flag, path)
	}
	return key, nil
}
