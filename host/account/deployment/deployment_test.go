package deployment_test

import (
	"errors"
	"math/big"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/account/deployment"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

func TestMain(m *testing.M) { os.Exit(devchaintest.Run(m)) }

func published(t *testing.T, c *devchain.Chain) []deployment.Contract {
	t.Helper()
	cs, err := deployment.Published(c.ChainID())
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// The code hashes worked out in a local EVM are those of the contracts the dev chain deployed its own way,
// at the addresses docs/contracts.md publishes (TestPublishedContractsAreListed holds that file to the dev
// chain).
func TestPublishedIsWhatTheDevChainHolds(t *testing.T) {
	c := devchaintest.Shared(t, devchain.Options{})
	cs := published(t, c)
	statuses, err := deployment.Check(devchaintest.Context(t), c.Client(), cs)
	if err != nil {
		t.Fatalf("%v: %v", err, statuses)
	}
	want := map[string]bool{contracts.EntryPointV08Address.Hex(): true, c.AccountFactory().Hex(): true, c.Recovery().Hex(): true, c.PasskeyVerifier().Hex(): true}
	for _, s := range statuses {
		delete(want, s.Address.Hex())
	}
	if len(want) != 0 || len(statuses) != 5 {
		t.Errorf("checked %d contracts; the dev chain's %v were not among them", len(statuses), want)
	}
}

// On a chain without them, Deploy puts every contract at its published address through the deterministic
// deployment proxy, and a second run sends nothing and finds them all.
func TestDeployOnAFreshChain(t *testing.T) {
	c := devchaintest.Start(t, devchain.Options{Bare: true})
	cs := published(t, c)
	before, err := deployment.Check(devchaintest.Context(t), c.Client(), cs)
	if !errors.Is(err, deployment.ErrNotDeployed) {
		t.Fatalf("a bare chain checks as %v", err)
	}
	for _, s := range before {
		if s.State != deployment.Missing {
			t.Errorf("%s on a bare chain: %s", s.Name, s.State)
		}
	}
	first, err := c.Client().BlockNumber(devchaintest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	after, err := deployment.Deploy(devchaintest.Context(t), c.Client(), devchain.FaucetKey, cs)
	if err != nil {
		t.Fatalf("%v: %v", err, after)
	}
	t.Logf("the deployment used %d gas", gasSince(t, c, first))
	for _, s := range after {
		if s.State != deployment.Present {
			t.Errorf("%s after the deployment: %s", s.Name, s.State)
		}
	}
	faucet := crypto.PubkeyToAddress(devchain.FaucetKey.PublicKey)
	nonce, err := c.Client().PendingNonceAt(devchaintest.Context(t), faucet)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := deployment.Deploy(devchaintest.Context(t), c.Client(), devchain.FaucetKey, cs); err != nil {
		t.Fatal(err)
	}
	if again, _ := c.Client().PendingNonceAt(devchaintest.Context(t), faucet); again != nonce {
		t.Errorf("the second deployment sent %d transactions", again-nonce)
	}
}

// A contract whose code differs from the published one in a single byte fails the check, and the
// deployment will not go on past it.
func TestACodeThatDiffersFailsTheCheck(t *testing.T) {
	c := devchaintest.Shared(t, devchain.Options{})
	for i := range published(t, c) {
		cs := published(t, c)
		cs[i].CodeHash[31] ^= 1
		statuses, err := deployment.Check(devchaintest.Context(t), c.Client(), cs)
		if !errors.Is(err, deployment.ErrNotDeployed) || statuses[i].State != deployment.Different {
			t.Errorf("%s with other code: %v, %s", cs[i].Name, err, statuses[i].State)
		}
		if _, err := deployment.Deploy(devchaintest.Context(t), c.Client(), devchain.FaucetKey, cs); !errors.Is(err, deployment.ErrNotDeployed) {
			t.Errorf("deploying over %s with other code: %v", cs[i].Name, err)
		}
	}
}

// gasSince is the gas used by the blocks after block first: on a bare chain, the deployment's.
func gasSince(t *testing.T, c *devchain.Chain, first uint64) uint64 {
	t.Helper()
	last, err := c.Client().BlockNumber(devchaintest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	var gas uint64
	for n := first + 1; n <= last; n++ {
		h, err := c.Client().HeaderByNumber(devchaintest.Context(t), new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatal(err)
		}
		gas += h.GasUsed
	}
	return gas
}
