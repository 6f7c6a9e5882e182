// Package devchain runs a local Ethereum chain in the process: go-ethereum's full node with an in-memory
// database, driven by its simulated beacon, serving JSON-RPC (HTTP and WebSocket on one port) on a loopback
// address, with EntryPoint v0.8, the CardAccountFactory, the secp256k1 reference factory, the TestJPYC token and
// the JPYC fee paymaster (deposited and staked) deployed, and funded faucet, relayer and bundler keys.
//
// Blocks are sealed as soon as transactions arrive (and, optionally, on a fixed period), so a client waits for
// its receipt, not for a timer. The fork rules are mainnet's, pinned (see Fork), so gas is priced as on the
// network the wallet is for. Start writes a chainconfig file describing the chain it started.
package devchain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/eth/tracers"
	_ "github.com/ethereum/go-ethereum/eth/tracers/js"     // JavaScript tracers: what bundlers in ERC-7562 safe mode send
	_ "github.com/ethereum/go-ethereum/eth/tracers/native" // callTracer, prestateTracer
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/chainconfig"
)

// DefaultAddr is where the dev chain listens unless told otherwise: the port every Ethereum tool tries first.
const DefaultAddr = "127.0.0.1:8545"

// DefaultChainID is go-ethereum's dev chain id (also what its simulated backend always uses).
const DefaultChainID = 1337

// The dev keys, derived from fixed labels so that every run has the same addresses, and published in the
// chain config. They hold value only on this chain.
var (
	FaucetKey  = devKey("mynaconnect devchain faucet")
	RelayerKey = devKey("mynaconnect devchain relayer")
	// BundlerKey pays the handleOps transactions of a bundler run beside the chain (host/testbed/alto); it is
	// not the relayer's, so the two never race for one nonce.
	BundlerKey = devKey("mynaconnect devchain bundler")
)

// Options configure Start. The zero value is the default dev chain.
type Options struct {
	// Addr is the loopback host:port for JSON-RPC over HTTP and WebSocket; port 0 picks a free port.
	// Empty means DefaultAddr.
	Addr string
	// ChainID defaults to DefaultChainID.
	ChainID uint64
	// Fork defaults to DefaultFork.
	Fork Fork
	// BlockPeriod, when positive, also seals a block (empty if need be) at this interval, so that block
	// time advances on an idle chain. Transactions are always sealed on arrival.
	BlockPeriod time.Duration
	// ConfigPath, when set, is where Start writes the chain config (chainconfig format) of the chain.
	ConfigPath string
	// Bare starts the chain with none of the contracts deployed (the deterministic deployment proxy and the
	// funded keys only), as a public chain MynaConnect has not reached yet; there is no chain config to write.
	Bare bool
}

// Chain is a running dev chain.
type Chain struct {
	network chainconfig.Network
	chainID *big.Int
	fork    Fork
	stack   *node.Node
	backend *eth.Ethereum
	beacon  *catalyst.SimulatedBeacon
	client  *ethclient.Client

	referenceFactory common.Address
	token            common.Address
	recovery         common.Address
	passkeyVerifier  common.Address
	paymaster        common.Address

	sealMu sync.Mutex                // one block at a time: the producer's and AdvanceTime's
	sendMu sync.Mutex                // one sender at a time keeps nonces in order
	nonces map[common.Address]uint64 // next nonce per sending key, under sendMu

	quit     chan struct{}
	producer sync.WaitGroup
	closeErr error
	closed   sync.Once
}

// Start runs a dev chain and deploys the contracts. Close it when done.
func Start(ctx context.Context, opts Options) (*Chain, error) {
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	if opts.ChainID == 0 {
		opts.ChainID = DefaultChainID
	}
	if opts.Fork == "" {
		opts.Fork = DefaultFork
	}
	if _, err := ParseFork(string(opts.Fork)); err != nil {
		return nil, err
	}
	host, port, err := loopbackAddr(opts.Addr)
	if err != nil {
		return nil, err
	}

	nodeConf := node.DefaultConfig
	nodeConf.Name = "mynaconnect-devchain"
	nodeConf.DataDir = "" // in memory: every start is a fresh chain
	nodeConf.IPCPath = ""
	nodeConf.P2P = p2p.Config{NoDiscovery: true, NoDial: true, MaxPeers: 0, ListenAddr: ""}
	nodeConf.HTTPHost, nodeConf.HTTPPort = host, port
	nodeConf.WSHost, nodeConf.WSPort = host, port // same listener: geth serves both on one port
	nodeConf.HTTPModules = []string{"eth", "net", "web3", "txpool", "debug"}
	nodeConf.WSModules = nodeConf.HTTPModules
	// Pages and extension pages call the chain directly; it listens on loopback only, and geth still
	// refuses non-IP Host headers other than localhost (DNS rebinding).
	nodeConf.HTTPCors = []string{"*"}
	nodeConf.WSOrigins = []string{"*"}
	nodeConf.HTTPVirtualHosts = []string{"localhost"}

	chainCfg := chainConfig(opts.ChainID, opts.Fork)
	faucet, relayer := crypto.PubkeyToAddress(FaucetKey.PublicKey), crypto.PubkeyToAddress(RelayerKey.PublicKey)
	ethConf := ethconfig.Defaults
	ethConf.Genesis = genesis(chainCfg, map[common.Address]*big.Int{
		faucet:  new(big.Int).Mul(big.NewInt(1_000_000_000), big.NewInt(params.Ether)),
		relayer: new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(params.Ether)),
		crypto.PubkeyToAddress(BundlerKey.PublicKey): new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(params.Ether)),
	})
	ethConf.NetworkId = opts.ChainID
	ethConf.SyncMode = ethconfig.FullSync
	ethConf.TxPool.NoLocals = true
	// Anything the pool accepts can be mined: a pool minimum below the miner's would leave transactions
	// pending forever on a chain that seals only when transactions arrive.
	ethConf.TxPool.PriceLimit = 1
	ethConf.Miner.GasPrice = big.NewInt(1)
	ethConf.Miner.GasCeil = gasLimit
	ethConf.LogNoHistory = true // no background log indexer; eth_getLogs scans, which is fast on a small chain

	stack, err := node.New(&nodeConf)
	if err != nil {
		return nil, fmt.Errorf("devchain: %w", err)
	}
	c := &Chain{fork: opts.Fork, chainID: new(big.Int).SetUint64(opts.ChainID), stack: stack, quit: make(chan struct{}), nonces: map[common.Address]uint64{}}
	if err := c.startNode(&ethConf, opts.BlockPeriod); err != nil {
		stack.Close()
		return nil, err
	}
	if opts.Bare {
		if opts.ConfigPath != "" {
			c.Close()
			return nil, errors.New("devchain: a bare chain has no contracts to write a chain config for")
		}
		return c, nil
	}
	if err := c.deploy(ctx, opts.ChainID); err != nil {
		c.Close()
		return nil, err
	}
	if opts.ConfigPath != "" {
		if err := c.ConfigFile().Write(opts.ConfigPath); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

func (c *Chain) startNode(ethConf *ethconfig.Config, period time.Duration) error {
	backend, err := eth.New(c.stack, ethConf)
	if err != nil {
		return fmt.Errorf("devchain: %w", err)
	}
	c.backend = backend
	filterSystem := filters.NewFilterSystem(backend.APIBackend, filters.Config{})
	c.stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(filterSystem)}})
	// debug_traceTransaction / debug_traceCall: what a developer reaches for when a UserOperation fails.
	c.stack.RegisterAPIs(tracers.APIs(backend.APIBackend))
	if err := c.stack.Start(); err != nil {
		return fmt.Errorf("devchain: starting the node on %s:%d: %w", c.stack.Config().HTTPHost, c.stack.Config().HTTPPort, err)
	}
	// Period 0: the beacon seals only when asked; produce() asks on every new transaction and on the timer.
	beacon, err := catalyst.NewSimulatedBeacon(0, common.Address{}, backend)
	if err != nil {
		return fmt.Errorf("devchain: %w", err)
	}
	c.beacon = beacon
	c.client = ethclient.NewClient(c.stack.Attach())
	// Subscribe before anything can send a transaction: one that reached
	// the pool before the subscription would announce itself to nobody
	// and wait forever for a block.
	txs := make(chan core.NewTxsEvent, 64)
	sub := c.backend.TxPool().SubscribeTransactions(txs, true)
	c.producer.Add(1)
	go c.produce(txs, sub, period)
	return nil
}

// produce seals a block whenever transactions enter the pool, and every period if positive. Unlike geth's
// own dev-mode loop it does not re-seal while the pool still holds transactions: one the miner will not take
// (fee cap below the base fee) waits for the next event instead of spinning a core.
func (c *Chain) produce(txs <-chan core.NewTxsEvent, sub event.Subscription, period time.Duration) {
	defer c.producer.Done()
	defer sub.Unsubscribe()
	var tick <-chan time.Time
	if period > 0 {
		t := time.NewTicker(period)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-c.quit:
			return
		case <-sub.Err():
			return
		case <-txs:
			// Transactions that arrived together go into one block.
			for drained := false; !drained; {
				select {
				case <-txs:
				default:
					drained = true
				}
			}
		case <-tick:
		}
		c.sealMu.Lock()
		c.beacon.Commit()
		c.sealMu.Unlock()
	}
}

// AdvanceTime seals an empty block d later than the last one, so that contracts see time pass (a recovery's
// delay, an expiry); the blocks after it follow from there. The block must be empty: transactions still in
// the pool are sealed first, and a pool that still lists transactions already mined (it catches up with a
// new block in the background) is given a moment.
func (c *Chain) AdvanceTime(d time.Duration) error {
	c.sealMu.Lock()
	defer c.sealMu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := c.beacon.AdjustTime(d)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("devchain: advancing time by %s: %w", d, err)
		}
		c.beacon.Commit()
		time.Sleep(10 * time.Millisecond)
	}
}

// Close stops the chain and its RPC server.
func (c *Chain) Close() error {
	c.closed.Do(func() {
		close(c.quit)
		c.producer.Wait()
		if c.client != nil {
			c.client.Close()
		}
		if c.beacon != nil {
			c.closeErr = c.beacon.Stop()
		}
		c.closeErr = errors.Join(c.closeErr, c.stack.Close())
	})
	return c.closeErr
}

// RPCURL is the JSON-RPC endpoint over HTTP, e.g. "http://127.0.0.1:8545".
func (c *Chain) RPCURL() string { return c.stack.HTTPEndpoint() }

// WSURL is the JSON-RPC endpoint over WebSocket (subscriptions), on the same port as RPCURL.
func (c *Chain) WSURL() string { return c.stack.WSEndpoint() }

// Client is an in-process client of the chain: no HTTP, subscriptions work.
func (c *Chain) Client() *ethclient.Client { return c.client }

// Fork is the rule set the chain runs.
func (c *Chain) Fork() Fork { return c.fork }

// ChainID is the chain's EIP-155 id.
func (c *Chain) ChainID() *big.Int { return new(big.Int).Set(c.chainID) }

// Network is the chain's description: RPC URL, EntryPoint, factory, token, dev keys.
func (c *Chain) Network() chainconfig.Network { return c.network }

// ConfigFile is the chain config file describing this chain alone.
func (c *Chain) ConfigFile() *chainconfig.File {
	return &chainconfig.File{Format: chainconfig.Format, Networks: []chainconfig.Network{c.network}}
}

// EntryPoint is the address of EntryPoint v0.8 (the canonical one).
func (c *Chain) EntryPoint() common.Address { return c.network.EntryPoint }

// AccountFactory is the address of the CardAccountFactory.
func (c *Chain) AccountFactory() common.Address { return c.network.AccountFactory }

// ReferenceAccountFactory is the address of the secp256k1 ECDSAAccountFactory.
func (c *Chain) ReferenceAccountFactory() common.Address { return c.referenceFactory }

// Token is the address of TestJPYC.
func (c *Chain) Token() common.Address { return c.token }

// Recovery is the address of CardRecovery, the contract that rotates card accounts' owners.
func (c *Chain) Recovery() common.Address { return c.recovery }

// Paymaster is the JPYCFeePaymaster: fees in test JPYC at JPYCPerETH, deposited and staked at the EntryPoint.
func (c *Chain) Paymaster() common.Address { return c.paymaster }

// PasskeyVerifier is the address of the ERC-7913 WebAuthn verifier passkey guardians name.
func (c *Chain) PasskeyVerifier() common.Address { return c.passkeyVerifier }

func loopbackAddr(addr string) (string, int, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("devchain: address %q: %w", addr, err)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return "", 0, fmt.Errorf("devchain: port %q: %w", portStr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		// The chain's keys are public: it must not be reachable from the network.
		return "", 0, fmt.Errorf("devchain: %q is not a loopback address", host)
	}
	return host, int(port), nil
}

func devKey(label string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte(label)))
	if err != nil {
		panic("devchain: " + err.Error()) // a fixed label hashing outside the curve order would be a build defect
	}
	return k
}
