package doctor

import (
	"context"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/account/deployment"
	"github.com/mynaconnect/mynaconnect/host/account/feepaymaster"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/installer/findings"
)

// Each way a network's configuration can be wrong gets its own finding, in plain words, against a real dev
// chain (and a stand-in bundler for the bundler's answers); a good one says so, and no configuration at all
// is fine for logins.
func TestTheNetworksAreCheckedOneByOne(t *testing.T) {
	c := devchaintest.Start(t, devchain.Options{})
	ep := c.EntryPoint()
	nowhere := common.HexToAddress("0x000000000000000000000000000000000000dEaD")
	// The dev chain's paymaster is deposited and staked; another, just deployed, is neither.
	paymaster := c.ConfigFile().Networks[0].FeePaymaster
	unfunded, err := feepaymaster.Operator{Client: c.Client(), Key: devchain.FaucetKey}.Deploy(devchaintest.Context(t), c.Token(), 123_456)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(n *chainconfig.Network)
		want string
	}{
		{"a good network", func(n *chainconfig.Network) {}, findings.ChainOK},
		{"with a bundler for it", func(n *chainconfig.Network) {
			n.BundlerURL = devchaintest.FakeBundler(t, "0x539", "eth_sendUserOperation", ep)
		}, findings.ChainOK + " " + findings.BundlerOK},
		{"a bundler without EntryPoint v0.8", func(n *chainconfig.Network) {
			n.BundlerURL = devchaintest.FakeBundler(t, "0x539", "eth_sendUserOperation", common.HexToAddress("0x0000000071727De22E5E9d8BAf0edAc6f37da032"))
		}, findings.ChainOK + " " + findings.BundlerMismatch},
		{"another network's bundler", func(n *chainconfig.Network) {
			n.BundlerURL = devchaintest.FakeBundler(t, "0x89", "eth_sendUserOperation", ep)
		}, findings.ChainOK + " " + findings.BundlerMismatch},
		{"a bundler that is down", func(n *chainconfig.Network) { n.BundlerURL = "http://127.0.0.1:1" }, findings.ChainOK + " " + findings.BundlerUnreachable},
		{"an rpcUrl that is down", func(n *chainconfig.Network) { n.RPCURL = "http://127.0.0.1:1" }, findings.ChainUnreachable},
		{"another network's rpcUrl", func(n *chainconfig.Network) { n.ChainID = 137 }, findings.ChainIDMismatch},
		{"no EntryPoint", func(n *chainconfig.Network) { n.EntryPoint = nowhere }, findings.EntryPointMissing},
		{"no factory", func(n *chainconfig.Network) { n.AccountFactory = nowhere }, findings.FactoryMissing},
		{"a factory of its own", func(n *chainconfig.Network) { n.AccountFactory = c.Token() }, findings.ChainOK + " " + findings.FactoryNotPublished},
		{"a recovery module with other code", func(n *chainconfig.Network) {}, findings.ContractCodeDiffers},
		{"a fee paymaster", func(n *chainconfig.Network) { n.FeePaymaster = paymaster }, findings.ChainOK + " " + findings.PaymasterOK},
		{"a fee paymaster that is no paymaster", func(n *chainconfig.Network) {
			n.FeePaymaster = &chainconfig.FeePaymaster{Address: c.Token(), Token: c.Token()}
		}, findings.ChainOK + " " + findings.PaymasterInvalid},
		{"a fee paymaster with no deposit or stake", func(n *chainconfig.Network) {
			n.FeePaymaster = &chainconfig.FeePaymaster{Address: unfunded, Token: c.Token()}
		}, findings.ChainOK + " " + findings.PaymasterUnfunded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := c.ConfigFile()
			f.Networks[0].FeePaymaster = nil // only the paymaster cases check one
			tt.edit(&f.Networks[0])
			path := filepath.Join(t.TempDir(), "chains.json")
			if err := f.Write(path); err != nil {
				t.Fatal(err)
			}
			published := deployment.Published
			if strings.Contains(tt.name, "other code") {
				published = tamper(contracts.CardRecovery.Name)
			}
			got := checkChains(context.Background(), path, 10*time.Second, published)
			if codes := strings.Join(codesOf(got), " "); codes != tt.want {
				t.Fatalf("findings %s, want %s", codes, tt.want)
			}
			for _, f := range got {
				if name := c.ConfigFile().Networks[0].Name; !strings.Contains(f.Ja, name) || !strings.Contains(f.En, name) || f.Subject != name {
					t.Errorf("%s does not name the network: %q", f.Code, f.Ja)
				}
			}
		})
	}

	dir := t.TempDir()
	if got := checkChains(context.Background(), filepath.Join(dir, "missing.json"), time.Second, deployment.Published); len(got) != 1 || got[0].Code != findings.ChainsNone || got[0].Status != OK {
		t.Errorf("no configuration: %+v", got)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format":"mynaconnect-chains/1","networks":[{"chainId":"x"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := checkChains(context.Background(), bad, time.Second, deployment.Published); len(got) != 1 || got[0].Code != findings.ChainsInvalid || got[0].Status != Fail {
		t.Errorf("a broken configuration: %+v", got)
	}
}

func codesOf(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Code
	}
	return out
}

// tamper is deployment.Published with the code hash of the contract named name changed: as if the chain held
// other code there than the published contract's.
func tamper(name string) func(*big.Int) ([]deployment.Contract, error) {
	return func(chainID *big.Int) ([]deployment.Contract, error) {
		cs, err := deployment.Published(chainID)
		for i := range cs {
			if cs[i].Name == name {
				cs[i].CodeHash[0] ^= 1
			}
		}
		return cs, err
	}
}
