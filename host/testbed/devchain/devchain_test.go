package devchain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
)

func startChain(t *testing.T, opts Options) *Chain {
	t.Helper()
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Error(err)
		}
	})
	return c
}

func call(t *testing.T, c *ethclient.Client, to common.Address, a *contracts.Artifact, method string, args ...any) []any {
	t.Helper()
	data, err := a.Pack(method, args...)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.CallContract(context.Background(), ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		t.Fatalf("%s.%s: %v", a.Name, method, err)
	}
	res, err := a.Unpack(method, out)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestStartDeploysTheContracts(t *testing.T) {
	c := startChain(t, Options{})
	cl := c.Client()
	if c.EntryPoint() != contracts.EntryPointV08Address {
		t.Errorf("EntryPoint at %s, want the canonical %s", c.EntryPoint(), contracts.EntryPointV08Address)
	}
	if got := call(t, cl, c.AccountFactory(), contracts.CardAccountFactory, "entryPoint")[0].(common.Address); got != c.EntryPoint() {
		t.Errorf("factory trusts EntryPoint %s", got)
	}
	if got := call(t, cl, c.Token(), contracts.TestJPYC, "symbol")[0].(string); got != "JPYC" {
		t.Errorf("token symbol %q", got)
	}
	if got := call(t, cl, c.Token(), contracts.TestJPYC, "decimals")[0].(uint8); got != 18 {
		t.Errorf("token decimals %d", got)
	}
	for name, key := range map[string]string{"faucet": c.Network().Dev.FaucetKey, "relayer": c.Network().Dev.RelayerKey} {
		k, err := chainconfig.ParseKey(key)
		if err != nil {
			t.Fatal(err)
		}
		bal, err := cl.BalanceAt(context.Background(), addrOf(k), nil)
		if err != nil || bal.Cmp(big.NewInt(1e18)) < 0 {
			t.Errorf("%s balance %v (%v)", name, bal, err)
		}
	}
}

func TestRPCServesHTTPAndWebSocketOnOnePort(t *testing.T) {
	c := startChain(t, Options{ChainID: 31337})
	ctx := context.Background()
	for _, url := range []string{c.RPCURL(), c.WSURL()} {
		cl, err := ethclient.Dial(url)
		if err != nil {
			t.Fatal(err)
		}
		id, err := cl.ChainID(ctx)
		cl.Close()
		if err != nil || id.Uint64() != 31337 {
			t.Errorf("%s: chain id %v (%v)", url, id, err)
		}
	}
	if !strings.HasPrefix(c.RPCURL(), "http://127.0.0.1:") || c.Network().RPCURL != c.RPCURL() {
		t.Errorf("RPC URL %s, config says %s", c.RPCURL(), c.Network().RPCURL)
	}
}

// A transaction is sealed when it arrives: a client waits for its block, not for a timer.
func TestTransactionsAreSealedOnArrival(t *testing.T) {
	c := startChain(t, Options{})
	ctx := context.Background()
	to := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	before, _ := c.Client().BlockNumber(ctx)
	start := time.Now()
	r, err := c.Send(ctx, FaucetKey, &to, big.NewInt(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("receipt after %v in block %d", time.Since(start), r.BlockNumber)
	if r.BlockNumber.Uint64() <= before {
		t.Errorf("mined in block %d, head was %d", r.BlockNumber, before)
	}
	bal, _ := c.Client().BalanceAt(ctx, to, nil)
	if bal.Int64() != 1 {
		t.Errorf("balance %v", bal)
	}
}

func TestBlockPeriodSealsEmptyBlocks(t *testing.T) {
	c := startChain(t, Options{BlockPeriod: 50 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	heads := make(chan *types.Header, 4)
	sub, err := c.Client().SubscribeNewHead(ctx, heads)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	for range 2 {
		select {
		case <-heads:
		case err := <-sub.Err():
			t.Fatal(err)
		case <-ctx.Done():
			t.Fatal("no empty blocks sealed")
		}
	}
}

func TestRevertedTransactionIsAnError(t *testing.T) {
	c := startChain(t, Options{})
	ctx := context.Background()
	data, _ := contracts.TestJPYC.Pack("mint", addrOf(RelayerKey), big.NewInt(1))
	token := c.Token()
	// Only the faucet may mint: estimation already fails.
	if _, err := c.Send(ctx, RelayerKey, &token, nil, data); err == nil {
		t.Fatal("mint by a non-owner succeeded")
	}
	// With a fixed gas limit the transaction is mined, and fails.
	nonce, _ := c.Client().PendingNonceAt(ctx, addrOf(RelayerKey))
	tx := types.MustSignNewTx(RelayerKey, types.LatestSignerForChainID(c.ChainID()), &types.DynamicFeeTx{
		ChainID: c.ChainID(), Nonce: nonce, GasTipCap: big.NewInt(1e6), GasFeeCap: big.NewInt(1e10), Gas: 100_000, To: &token, Data: data,
	})
	r, err := c.SendTransaction(ctx, tx)
	if !errors.Is(err, ErrReverted) || r == nil || r.Status != types.ReceiptStatusFailed {
		t.Fatalf("receipt %v, err %v; want a failed receipt and ErrReverted", r, err)
	}
	if err := c.Fund(ctx, addrOf(RelayerKey), nil, big.NewInt(5)); err != nil {
		t.Fatal(err)
	}
	if got := call(t, c.Client(), token, contracts.TestJPYC, "balanceOf", addrOf(RelayerKey))[0].(*big.Int); got.Int64() != 5 {
		t.Errorf("minted %v", got)
	}
}

// Each fork runs its own opcodes: CLZ (EIP-7939) exists from Osaka on.
func TestForkRules(t *testing.T) {
	// Creation code: PUSH1 1, CLZ, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN.
	clz := common.FromHex("0x60011e60005260206000f3")
	for _, tt := range []struct {
		fork    Fork
		wantCLZ bool
	}{{Prague, false}, {Osaka, true}} {
		t.Run(string(tt.fork), func(t *testing.T) {
			c := startChain(t, Options{Fork: tt.fork})
			out, err := c.Client().CallContract(context.Background(), ethereum.CallMsg{Data: clz}, nil)
			if got := err == nil && new(big.Int).SetBytes(out).Int64() == 255; got != tt.wantCLZ {
				t.Errorf("CLZ works = %v (out %x, err %v), want %v", got, out, err, tt.wantCLZ)
			}
			if c.Network().Dev.Fork != string(tt.fork) {
				t.Errorf("config says fork %q", c.Network().Dev.Fork)
			}
		})
	}
}

// The shipped devchain.json describes the default chain: only the RPC port can differ.
func TestShippedConfigDescribesTheDefaultChain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chain.json")
	c := startChain(t, Options{ConfigPath: path})
	written, err := chainconfig.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if written.Networks[0].RPCURL != c.RPCURL() {
		t.Errorf("written rpcUrl %s, chain at %s", written.Networks[0].RPCURL, c.RPCURL())
	}
	written.Networks[0].RPCURL = "http://" + DefaultAddr
	got, _ := written.Marshal()
	if os.Getenv("DEVCHAIN_UPDATE") == "1" {
		if err := written.Write("devchain.json"); err != nil {
			t.Fatal(err)
		}
	}
	shipped, err := chainconfig.Load("devchain.json")
	if err != nil {
		t.Fatalf("%v (DEVCHAIN_UPDATE=1 writes it)", err)
	}
	if want, _ := shipped.Marshal(); string(got) != string(want) {
		t.Errorf("devchain.json is stale (DEVCHAIN_UPDATE=1 rewrites it); want\n%s", got)
	}
}

func addrOf(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

func TestLoopbackOnly(t *testing.T) {
	for _, tt := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8545", true}, {"127.0.0.1:0", true}, {"[::1]:8545", true}, {"localhost:1", true},
		{"0.0.0.0:8545", false}, {"192.168.1.2:8545", false}, {":8545", false}, {"127.0.0.1", false}, {"127.0.0.1:99999", false},
	} {
		if _, _, err := loopbackAddr(tt.addr); (err == nil) != tt.ok {
			t.Errorf("%s: err %v, want ok=%v", tt.addr, err, tt.ok)
		}
	}
}

func TestChainConfigPinsForks(t *testing.T) {
	for _, tt := range []struct {
		fork                         Fork
		osaka, bpo2, bpo3, amsterdam bool
	}{{Prague, false, false, false, false}, {Osaka, true, true, false, false}} {
		cfg := chainConfig(7, tt.fork)
		zero := big.NewInt(0)
		if !cfg.IsPrague(zero, 0) || cfg.IsOsaka(zero, 0) != tt.osaka || cfg.IsBPO2(zero, 0) != tt.bpo2 ||
			cfg.IsBPO3(zero, 0) != tt.bpo3 || cfg.IsAmsterdam(zero, 0) != tt.amsterdam || cfg.ChainID.Int64() != 7 {
			t.Errorf("%s: %s", tt.fork, cfg)
		}
	}
	if _, err := ParseFork("bogota"); err == nil {
		t.Error("unknown fork accepted")
	}
}
