package doctor

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/installer/findings"
)

// checkChains checks each network of the chain configuration at path the way the host will use it: the
// rpcUrl answers, for the configured chain id; the EntryPoint and the account factory have code (and the
// factory is the published one, so a card's account has the same address on every chain); the bundler, if
// any, serves the chain and its EntryPoint. No configuration is fine: logins need none.
func checkChains(ctx context.Context, path string, timeout time.Duration) []Finding {
	f, err := chainconfig.Load(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return []Finding{finding(findings.ChainsNone, "", "", path)}
	case err != nil:
		return []Finding{finding(findings.ChainsInvalid, path, err.Error(), path)}
	}
	var out []Finding
	for _, n := range f.Networks {
		out = append(out, checkChain(ctx, n, timeout)...)
	}
	return out
}

func checkChain(ctx context.Context, n chainconfig.Network, timeout time.Duration) []Finding {
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
	out = append(out, finding(findings.ChainOK, n.Name, n.RPCURL, n.Name, n.ChainID))
	if published, err := contracts.Addresses(); err == nil && published.AccountFactory != n.AccountFactory {
		out = append(out, finding(findings.FactoryNotPublished, n.Name, "", n.Name, n.AccountFactory.Hex(), published.AccountFactory.Hex()))
	}
	if n.BundlerURL != "" {
		out = append(out, checkBundler(ctx, n))
	}
	return out
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
