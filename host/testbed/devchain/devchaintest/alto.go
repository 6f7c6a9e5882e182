package devchaintest

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/testbed/alto"
	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	"github.com/mynaconnect/mynaconnect/host/testbed/citest"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
)

// The bundlers Bundler started, by the chain they serve; Run stops them.
var bundlers = map[*devchain.Chain]*alto.Bundler{}

// Bundler returns the URL of Alto in ERC-7562 safe mode serving c (host/testbed/alto), started on first use
// for the test binary, as Shared starts chains; Run stops it.
func Bundler(t testing.TB, c *devchain.Chain) string {
	t.Helper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if b, ok := bundlers[c]; ok {
		return b.URL()
	}
	b := startBundler(t, c)
	bundlers[c] = b
	return b.URL()
}

// BundlerClient is host/account's client of Bundler(t, c), checked against the chain (eth_chainId,
// eth_supportedEntryPoints) as the host checks a bundler before a first sheet; it closes when the test ends.
func BundlerClient(t testing.TB, c *devchain.Chain) *account.Bundler {
	t.Helper()
	client, err := rpc.Dial(Bundler(t, c))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	b := &account.Bundler{RPC: client, PollInterval: 20 * time.Millisecond}
	if err := b.Check(Context(t), c.ChainID().Uint64(), c.EntryPoint()); err != nil {
		t.Fatal(err)
	}
	return b
}

// StartBundler runs Alto in ERC-7562 safe mode serving c for one test, stopped when the test ends, and
// returns its URL.
func StartBundler(t testing.TB, c *devchain.Chain) string {
	t.Helper()
	b := startBundler(t, c)
	t.Cleanup(func() { b.Close() })
	return b.URL()
}

// startBundler starts Alto with devchain.BundlerKey as its executor. Without node or the npm package the
// test is skipped, except under CI, where it fails.
func startBundler(t testing.TB, c *devchain.Chain) *alto.Bundler {
	t.Helper()
	dir := filepath.Join(buildtest.RepoRoot(t), "host", "testbed", "alto")
	b, err := alto.Start(Context(t), alto.Options{Dir: dir, RPCURL: c.RPCURL(), EntryPoint: c.EntryPoint(), ExecutorKey: devchain.BundlerKey})
	if errors.Is(err, alto.ErrUnavailable) {
		citest.Unavailable(t, "%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}
