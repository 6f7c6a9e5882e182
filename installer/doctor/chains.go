package doctor

import (
	"context"
	"errors"
	"math/big"
	"os"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/account/deployment"
	"github.com/mynaconnect/mynaconnect/host/account/feepaymaster"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/installer/findings"
)

// checkChains checks each network of the chain configuration at path the way the host will use it: the
// rpcUrl answers, for the configured chain id; the EntryPoint and the account factory have code (and the
// factory is the published one, so a card's account has the same address on every chain); the published
// contracts there hold the code published computes for the chain (deployment.Published); the bundler, if
// any, serves the chain and its EntryPoint. No configuration is fine: logins need none.
func checkChains(ctx context.Context, path string, timeout time.Duration, published func(chainID *big.Int) ([]deployment.Contract, error)) []Finding {
	f, err := chainconfig.Load(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return []Finding{finding(findings.ChainsNone, "", "", path)}
	case err != nil:
		return []Finding{finding(findings.ChainsInvalid, path, err.Error(), path)}
	}
	var out []Finding
	for _, n := range f.Networks {
		out = append(out, checkChain(ctx, n, timeout, published)...)
	}
	return out
}

func checkChain(ctx context.Context, n chainconfig.Network, timeout time.Duration, published func(*big.Int) ([]deployment.Contract, error)) []Finding {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client, err := rpc.DialContext(ctx, n.RPCURL)
	if err != nil {
		return []Finding{finding(findings.ChainUnreachable, n.Name, err.Error(), n.Name)}
	}
	defer client.Close()
	eth := ethclient.NewClient(client)
	id, err := eth.ChainID(ctx)
	if err != nil {
		return []Finding{finding(findings.ChainUnreachable, n.Name, err.Error(), n.Name)}
	}
	if !id.IsUint64() || id.Uint64() != n.ChainID {
		return []Finding{finding(findings.ChainIDMismatch, n.Name, "", n.Name, id.Uint64(), n.ChainID)}
	}
	var out []Finding
	for _, c := range []struct {
		code string
		at   common.Address
	}{{findings.EntryPointMissing, n.EntryPoint}, {findings.FactoryMissing, n.AccountFactory}} {
		code, err := eth.CodeAt(ctx, c.at, nil)
		if err != nil {
			return []Finding{finding(findings.ChainUnreachable, n.Name, err.Error(), n.Name)}
		}
		if len(code) == 0 {
			out = append(out, finding(c.code, n.Name, "", n.Name, c.at.Hex()))
		}
	}
	if len(out) > 0 {
		return out
	}
	if out = checkCode(ctx, eth, n, id, published); len(out) > 0 {
		return out
	}
	out = append(out, finding(findings.ChainOK, n.Name, n.RPCURL, n.Name, n.ChainID))
	if published, err := contracts.Addresses(); err == nil && published.AccountFactory != n.AccountFactory {
		out = append(out, finding(findings.FactoryNotPublished, n.Name, "", n.Name, n.AccountFactory.Hex(), published.AccountFactory.Hex()))
	}
	if n.BundlerURL != "" {
		out = append(out, checkBundler(ctx, n))
	}
	if n.FeePaymaster != nil {
		out = append(out, checkPaymaster(ctx, eth, n))
	}
	return out
}

// checkPaymaster reads the fee paymaster as the host will use it: a JPYC fee paymaster for the configured
// token, with an ETH deposit at the EntryPoint to pay gas and a stake for bundlers in safe mode.
func checkPaymaster(ctx context.Context, eth *ethclient.Client, n chainconfig.Network) Finding {
	pm := n.FeePaymaster
	s, err := feepaymaster.Read(ctx, eth, pm.Address)
	switch {
	case err != nil || s.Token != pm.Token:
		detail := ""
		if err != nil {
			detail = err.Error()
		}
		return finding(findings.PaymasterInvalid, n.Name, detail, n.Name, pm.Address.Hex())
	case s.Deposit.Sign() == 0 || !s.Staked:
		return finding(findings.PaymasterUnfunded, n.Name, "", n.Name, pm.Address.Hex())
	}
	return finding(findings.PaymasterOK, n.Name, pm.Address.Hex(), n.Name, s.TokenSymbol, s.YenPerETH.String())
}

// checkBundler asks the bundler what the host asks before a first sheet (account.Bundler.Check).
func checkBundler(ctx context.Context, n chainconfig.Network) Finding {
	client, err := rpc.DialContext(ctx, n.BundlerURL)
	if err != nil {
		return finding(findings.BundlerUnreachable, n.Name, err.Error(), n.Name)
	}
	defer client.Close()
	switch err := (&account.Bundler{RPC: client}).Check(ctx, n.ChainID, n.EntryPoint); {
	case errors.Is(err, account.ErrBundlerMismatch):
		return finding(findings.BundlerMismatch, n.Name, err.Error(), n.Name)
	case err != nil:
		return finding(findings.BundlerUnreachable, n.Name, err.Error(), n.Name)
	}
	return finding(findings.BundlerOK, n.Name, n.BundlerURL, n.Name)
}

// checkCode compares the code of the published contracts the network uses with what their creation code
// leaves on this chain: the EntryPoint when it is the canonical v0.8, and the factory with what it relies on
// (implementation, recovery module, passkey verifier) when it is the published factory (a factory of its own
// is FACTORY_NOT_PUBLISHED's business).
func checkCode(ctx context.Context, eth *ethclient.Client, n chainconfig.Network, chainID *big.Int, published func(*big.Int) ([]deployment.Contract, error)) []Finding {
	cs, err := published(chainID)
	if err != nil {
		return []Finding{finding(findings.ChainUnreachable, n.Name, err.Error(), n.Name)}
	}
	factoryPublished := slices.ContainsFunc(cs, func(c deployment.Contract) bool {
		return c.Name == contracts.CardAccountFactory.Name && c.Address == n.AccountFactory
	})
	var used []deployment.Contract
	for _, c := range cs {
		if isEntryPoint := c.Address == contracts.EntryPointV08Address; isEntryPoint && c.Address == n.EntryPoint || !isEntryPoint && factoryPublished {
			used = append(used, c)
		}
	}
	statuses, err := deployment.Check(ctx, eth, used)
	if err != nil && !errors.Is(err, deployment.ErrNotDeployed) {
		return []Finding{finding(findings.ChainUnreachable, n.Name, err.Error(), n.Name)}
	}
	var out []Finding
	for _, s := range statuses {
		if s.State != deployment.Present {
			out = append(out, finding(findings.ContractCodeDiffers, n.Name, s.Found.Hex(), n.Name, s.Name, s.Address.Hex()))
		}
	}
	return out
}
