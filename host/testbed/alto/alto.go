// Package alto runs Alto, Pimlico's ERC-4337 bundler, beside a dev chain, in ERC-7562 safe mode: the
// bundler a public network puts between the wallet and the EntryPoint, enforcing every validation rule a
// production bundler enforces. The version is pinned in package.json beside this file (npm ci installs
// it); patches/ holds a fix to it that patch-package applies on install (see the patch's comment).
//
// Tests and make demo ARGS=-bundler use it; the host only ever sees a bundler URL.
package alto

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
)

// Version is the Alto release package.json pins.
const Version = "0.0.20"

// ErrUnavailable is wrapped by Available's errors: node or the npm package is not installed.
var ErrUnavailable = errors.New("alto: not installed")

// Options say which chain Alto serves, and where it runs.
type Options struct {
	// Dir is the folder holding node_modules/@pimlico/alto: host/testbed/alto in the repository.
	Dir string
	// RPCURL is the chain's JSON-RPC endpoint; it must answer debug_traceCall with JavaScript tracers.
	RPCURL string
	// EntryPoint is the EntryPoint v0.8 Alto serves.
	EntryPoint common.Address
	// ExecutorKey pays for the handleOps transactions and for deploying Alto's simulation contracts
	// (devchain.BundlerKey on the dev chain).
	ExecutorKey *ecdsa.PrivateKey
	// Port is the loopback port to listen on; 0 picks a free one.
	Port int
	// Log receives Alto's own log (warnings and errors); nil keeps only its last lines, for errors.
	Log io.Writer
}

// Bundler is a running Alto.
type Bundler struct {
	url  string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	log  *tail

	stopOnce sync.Once
}

// Available reports whether node and the pinned Alto are installed under dir; its error says how to
// install them and wraps ErrUnavailable.
func Available(dir string) error {
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("%w: node is not installed (Node 20 or later is needed)", ErrUnavailable)
	}
	if _, err := os.Stat(cli(dir)); err != nil {
		return fmt.Errorf("%w: run npm ci --prefix %s (%v)", ErrUnavailable, dir, err)
	}
	return nil
}

func cli(dir string) string {
	return filepath.Join(dir, "node_modules", "@pimlico", "alto", "esm", "cli", "alto.js")
}

// startTimeout bounds Alto's start: node loading it (~2 s), and its deployment of the simulation contracts
// through the deterministic deployer.
const startTimeout = 90 * time.Second

// Start runs Alto and returns once it answers eth_supportedEntryPoints with opts.EntryPoint. Stop it with
// Close.
func Start(ctx context.Context, opts Options) (*Bundler, error) {
	if err := Available(opts.Dir); err != nil {
		return nil, err
	}
	port := opts.Port
	if port == 0 {
		var err error
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	key := hexutil.Encode(crypto.FromECDSA(opts.ExecutorKey))
	args := []string{cli(opts.Dir),
		"--entrypoints", opts.EntryPoint.Hex(),
		"--executor-private-keys", key,
		// The utility key deploys Alto's simulation contracts at start, before the executor sends anything.
		"--utility-private-key", key,
		"--rpc-url", opts.RPCURL,
		"--port", strconv.Itoa(port),
		// Every ERC-7562 rule, with the JavaScript tracer, as on a public network.
		"--safe-mode", "true",
		// The dev chain seals on arrival: Alto need not wait a mainnet slot between its polls.
		"--block-time", "100",
		"--min-bundle-interval", "10",
		// One funded key: nothing to refill.
		"--refilling-wallets", "false",
		"--utility-wallet-monitor", "false",
		"--log-level", "warn",
	}
	log := &tail{}
	var out io.Writer = log
	if opts.Log != nil {
		out = io.MultiWriter(log, opts.Log)
	}
	cmd := exec.Command("node", args...)
	cmd.Dir = opts.Dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("alto: starting node: %w", err)
	}
	b := &Bundler{url: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, done: make(chan struct{}), log: log}
	go func() { cmd.Wait(); close(b.done) }()
	if err := b.waitReady(ctx, opts.EntryPoint); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// URL is Alto's JSON-RPC endpoint: a chain configuration's bundlerUrl.
func (b *Bundler) URL() string { return b.url }

// Close stops Alto and waits for it to exit.
func (b *Bundler) Close() error {
	b.stopOnce.Do(func() {
		// Ctrl-C, as a person would stop it; where there is no such signal (Windows), or it lingers, kill.
		if err := b.cmd.Process.Signal(os.Interrupt); err != nil {
			b.cmd.Process.Kill()
		}
		select {
		case <-b.done:
		case <-time.After(5 * time.Second):
			b.cmd.Process.Kill()
			<-b.done
		}
	})
	return nil
}

func (b *Bundler) waitReady(ctx context.Context, entryPoint common.Address) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	client, err := rpc.DialContext(ctx, b.url) // HTTP: nothing is connected until a call
	if err != nil {
		return fmt.Errorf("alto: %w", err)
	}
	defer client.Close()
	var last error
	for {
		select {
		case <-b.done:
			return fmt.Errorf("alto: exited while starting: %s", b.log.String())
		case <-ctx.Done():
			return fmt.Errorf("alto: not ready after %s (%v): %s", startTimeout, last, b.log.String())
		case <-time.After(200 * time.Millisecond):
		}
		var supported []common.Address
		if err := client.CallContext(ctx, &supported, "eth_supportedEntryPoints"); err != nil {
			last = err
			continue
		}
		if slices.Contains(supported, entryPoint) {
			return nil
		}
		return fmt.Errorf("alto: serves %v, not %s", supported, entryPoint)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("alto: finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tail keeps the last lines Alto wrote, for an error that says why it stopped.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailSize = 4 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailSize {
		t.buf = t.buf[len(t.buf)-tailSize:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.buf))
}
