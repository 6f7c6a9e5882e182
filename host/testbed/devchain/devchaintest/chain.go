// Package devchaintest is what tests on the dev chain share: chains started
// for a test or shared by a test binary, eth_calls decoded into Go values,
// amounts in ether, signatures checked the way a dapp's server checks them,
// and the virtual card's account on the chain.
//
// It is for _test.go files only: it links go-ethereum's node, which the
// host binary must not carry.
package devchaintest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
)

// callTimeout bounds a test's chain work: ample for a dev chain on a loaded
// CI machine, short enough that a hung chain fails the test.
const callTimeout = 2 * time.Minute

// Context returns the context for a test's chain calls, cancelled when the
// test ends.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	t.Cleanup(cancel)
	return ctx
}

// Start starts a dev chain with opts for one test and closes it when the
// test ends. An empty opts.Addr means a free loopback port, never the
// default 8545 a developer's own chain may hold.
func Start(t testing.TB, opts devchain.Options) *devchain.Chain {
	t.Helper()
	c := start(t, opts)
	t.Cleanup(func() { c.Close() })
	return c
}

func start(t testing.TB, opts devchain.Options) *devchain.Chain {
	t.Helper()
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	c, err := devchain.Start(Context(t), opts)
	if err != nil {
		t.Fatalf("starting the dev chain: %v", err)
	}
	return c
}

// The chains Shared started, by the options they were started with.
var (
	sharedMu sync.Mutex
	shared   = map[devchain.Options]*devchain.Chain{}
)

// Shared returns the dev chain started with opts, as Start does, but
// starts it only on first use and hands the same chain to every later test
// of the binary that asks with the same opts: starting a chain and
// deploying the contracts into it is the slow part of a test. The tests
// keep out of each other's way with accounts of their own. Run closes the
// chains.
func Shared(t testing.TB, opts devchain.Options) *devchain.Chain {
	t.Helper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if c, ok := shared[opts]; ok {
		return c
	}
	c := start(t, opts)
	shared[opts] = c
	return c
}

// Run runs the tests, then stops the bundlers Bundler started and closes the chains Shared started; a package
// whose tests use Shared calls it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(devchaintest.Run(m)) }
func Run(m *testing.M) int {
	code := m.Run()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	for c, b := range bundlers {
		b.Close()
		delete(bundlers, c)
	}
	for opts, c := range shared {
		c.Close()
		delete(shared, opts)
	}
	return code
}
