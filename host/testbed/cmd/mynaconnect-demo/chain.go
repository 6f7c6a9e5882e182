package main

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/testbed/alto"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
)

// What the demo's card account starts with on the dev chain, so that
// sending works at once: 10 ETH and 100,000 test JPYC (18 decimals both).
var (
	demoETH  = new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18))
	demoJPYC = new(big.Int).Mul(big.NewInt(100_000), big.NewInt(1e18))
)

// devChain is the demo's chain, and the bundler serving it if the demo runs one.
type devChain struct {
	*devchain.Chain
	bundler *alto.Bundler // nil: the host's built-in relayer submits
}

func (c *devChain) Close() {
	if c.bundler != nil {
		c.bundler.Close()
	}
	c.Chain.Close()
}

// startChain runs the dev chain on addr, writes its chains.json into dir
// (for the host, through MYNACONNECT_CHAINS, and for the site) and funds
// the virtual card's account. With altoDir (host/testbed/alto, npm ci'd) it
// also runs Alto in ERC-7562 safe mode and names it in the file as the
// chain's bundlerUrl, so the card's UserOperations go through a real
// bundler. It returns the chain and the file's path.
func startChain(ctx context.Context, step *stepper, addr, dir, altoDir string) (*devChain, string, error) {
	step.begin("dev chain (go-ethereum, EntryPoint v0.8, card account factory, test JPYC)")
	path := filepath.Join(dir, "demo-chains.json")
	chain, err := devchain.Start(ctx, devchain.Options{Addr: addr, ConfigPath: path})
	if err != nil {
		return nil, "", fmt.Errorf("the dev chain on %s: %w", addr, err)
	}
	c := &devChain{Chain: chain}
	step.done(chain.RPCURL() + ", chain id " + chain.ChainID().String())

	if altoDir != "" {
		step.begin("Alto " + alto.Version + ", the ERC-4337 bundler, in ERC-7562 safe mode")
		c.bundler, err = alto.Start(ctx, alto.Options{Dir: altoDir, RPCURL: chain.RPCURL(), EntryPoint: chain.EntryPoint(), ExecutorKey: devchain.BundlerKey})
		if err == nil {
			f := chain.ConfigFile()
			f.Networks[0].BundlerURL = c.bundler.URL()
			err = f.Write(path)
		}
		if err != nil {
			c.Close()
			return nil, "", err
		}
		step.done(c.bundler.URL() + " (the host sends the card's UserOperations here)")
	}

	step.begin("the virtual card's account, funded")
	acct, err := cardAccount(chain.AccountFactory())
	if err == nil {
		err = chain.Fund(ctx, acct, demoETH, demoJPYC)
	}
	if err != nil {
		c.Close()
		return nil, "", err
	}
	step.done(acct.Hex() + ": 10 ETH, 100,000 test JPYC (not deployed until its first transaction)")
	return c, path, nil
}

// cardAccount is the address of the virtual card's account (index 0): what
// the extension will connect, computed here from the card's certificate.
func cardAccount(factory common.Address) (common.Address, error) {
	cfg, err := vcard.DefaultConfig()
	if err != nil {
		return common.Address{}, err
	}
	owner, err := account.OwnerFromCertificate(cfg.AuthCert)
	if err != nil {
		return common.Address{}, err
	}
	return owner.Address(factory, new(big.Int))
}
