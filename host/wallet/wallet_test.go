package wallet_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/wallet"
)

func TestTheAccountIsTheFactorysAddressForTheCard(t *testing.T) {
	e := newEnv(t, setup{freshKey: true})
	id, sha := e.identity()
	_, owner := devchaintest.CardOwner(t, e.card)
	want := devchaintest.CallAs[common.Address](t, e.chain, e.chain.AccountFactory(), contracts.CardAccountFactory, "getAddress", owner.E, owner.N, new(big.Int))
	if id.Address != want.Hex() {
		t.Errorf("address %s, the factory says %s", id.Address, want.Hex())
	}
	if id.Deployed || id.Reader != reader || id.ChainID != e.chain.ChainID().Uint64() || len(sha) != 32 || len(id.PublicKeySHA256) != 64 {
		t.Errorf("result %+v", id)
	}
	if n := e.verifies.Load(); n != 0 {
		t.Errorf("%d VERIFY with a PIN for ethAccount", n)
	}
}

func TestSignaturesVerifyBeforeAndAfterDeployment(t *testing.T) {
	e := newEnv(t, setup{freshKey: true})
	typed := devchaintest.MailTypedData(e.chain.ChainID(), "Hello, Bob!")
	for _, phase := range []struct {
		name    string
		wrapped bool
	}{{"undeployed: ERC-6492", true}, {"deployed: ERC-1271", false}} {
		t.Run(phase.name, func(t *testing.T) {
			msg := []byte("MynaConnect test message, " + phase.name)
			p := e.signParams("1234")
			p.Message = msg
			res, err := e.wallet.SignMessage(devchaintest.Context(t), p)
			if err != nil {
				t.Fatal(err)
			}
			addr := common.Address(p.Account)
			if res.Hash != common.BytesToHash(accounts.TextHash(msg)).Hex() {
				t.Errorf("hash %s is not the EIP-191 hash of the message", res.Hash)
			}
			if res.Wrapped6492 != phase.wrapped || res.Reader != reader {
				t.Errorf("wrapped6492 = %v, reader %q", res.Wrapped6492, res.Reader)
			}
			if !devchaintest.Valid6492(t, e.chain, addr, common.HexToHash(res.Hash), common.FromHex(res.Signature)) {
				t.Error("personal_sign signature does not validate")
			}
			if devchaintest.Valid6492(t, e.chain, addr, common.HexToHash(res.Hash), append(common.FromHex(res.Signature)[:10], 0)) {
				t.Error("a truncated signature validates: the check proves nothing")
			}

			p = e.signParams("1234")
			p.TypedData = typed
			res, err = e.wallet.SignTypedData(devchaintest.Context(t), p)
			if err != nil {
				t.Fatal(err)
			}
			if res.Wrapped6492 != phase.wrapped {
				t.Errorf("typed data wrapped6492 = %v", res.Wrapped6492)
			}
			if !devchaintest.Valid6492(t, e.chain, addr, common.HexToHash(res.Hash), common.FromHex(res.Signature)) {
				t.Error("typed-data signature does not validate")
			}
			if phase.wrapped {
				// Anyone may deploy the account; the next phase signs for a deployed one.
				_, owner := devchaintest.CardOwner(t, e.card)
				devchaintest.Deploy(t, e.chain, owner, new(big.Int))
			}
		})
	}
	if n := e.verifies.Load(); n != 4 {
		t.Errorf("%d VERIFY with a PIN for 4 signatures", n)
	}
}

func TestSendCallsMovesETHAndJPYC(t *testing.T) {
	for i, sub := range submitters {
		t.Run(sub.name, func(t *testing.T) {
			e := newEnv(t, setup{freshKey: true, config: sub.config(t)})
			addr := e.fund(devchaintest.Ether(2), devchaintest.Ether(1000))
			to := common.HexToAddress(fmt.Sprintf("0x%040x", 0xbeef0001+i))
			transfer, err := contracts.TestJPYC.Pack("transfer", to, devchaintest.Ether(250))
			if err != nil {
				t.Fatal(err)
			}
			p := e.sendParams("1234",
				protocol.EthCall{To: protocol.Address(to), Value: big.NewInt(1e17)},
				protocol.EthCall{To: protocol.Address(e.chain.Token()), Value: new(big.Int), Data: transfer},
			)
			res, err := e.wallet.SendCalls(devchaintest.Context(t), p)
			if err != nil {
				t.Fatal(err)
			}
			receipt, err := e.chain.Client().TransactionReceipt(devchaintest.Context(t), common.HexToHash(res.TransactionHash))
			if err != nil {
				t.Fatalf("no receipt for %s: %v", res.TransactionHash, err)
			}
			if receipt.BlockNumber.Uint64() != res.BlockNumber || !res.Success || res.Reader != reader || len(res.UserOperationHash) != 66 {
				t.Errorf("result %+v, receipt block %d", res, receipt.BlockNumber)
			}
			if bal := devchaintest.Balance(t, e.chain, to); bal.Cmp(big.NewInt(1e17)) != 0 {
				t.Errorf("recipient holds %s wei, want 1e17", bal)
			}
			if got := devchaintest.TokenBalance(t, e.chain, to); got.Cmp(devchaintest.Ether(250)) != 0 {
				t.Errorf("recipient holds %s JPYC units, want 250e18", got)
			}
			if got := devchaintest.TokenBalance(t, e.chain, addr); got.Cmp(devchaintest.Ether(750)) != 0 {
				t.Errorf("account holds %s JPYC units, want 750e18", got)
			}
			if code, _ := e.chain.Client().CodeAt(devchaintest.Context(t), addr, nil); len(code) == 0 {
				t.Error("the first operation did not deploy the account")
			}
			if n := e.verifies.Load(); n != 1 {
				t.Errorf("%d VERIFY with a PIN, want 1", n)
			}
		})
	}
}

// A call that reverts is caught in simulation: no PIN is sent (a wrong one
// here, which would cost a try if it were).
func TestARevertingCallCostsNoPINTry(t *testing.T) {
	e := newEnv(t, setup{freshKey: true})
	e.fund(devchaintest.Ether(1), devchaintest.Ether(10))
	transfer, err := contracts.TestJPYC.Pack("transfer", common.HexToAddress("0xbeef"), devchaintest.Ether(11))
	if err != nil {
		t.Fatal(err)
	}
	call := protocol.EthCall{To: protocol.Address(e.chain.Token()), Value: new(big.Int), Data: transfer}
	if _, err := e.wallet.PrepareCalls(devchaintest.Context(t), e.prepareParams(call)); !errors.Is(err, wallet.ErrReverted) {
		t.Fatalf("PrepareCalls: err = %v, want ErrReverted", err)
	}
	p := e.unpreparedSend("9999", call)
	pin := p.PIN
	_, err = e.wallet.SendCalls(devchaintest.Context(t), p)
	if !errors.Is(err, wallet.ErrReverted) {
		t.Fatalf("err = %v, want ErrReverted", err)
	}
	if !strings.Contains(err.Error(), "ERC20InsufficientBalance") {
		t.Errorf("the error does not say why: %v", err)
	}
	if n := e.verifies.Load(); n != 0 {
		t.Errorf("%d VERIFY with a PIN", n)
	}
	if left := e.retries(); left != 3 {
		t.Errorf("%d tries left, want 3", left)
	}
	if !bytes.Equal(pin, make([]byte, 4)) {
		t.Error("the PIN was not cleared")
	}
}

func TestPINOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		failures int
		pin      string
		check    func(error) bool
		verifies int32
		left     int
	}{
		{"wrong PIN", 0, "9999", func(err error) bool { n, ok := jpki.IsWrongPIN(err); return ok && n == 2 }, 1, 2},
		{"last try", 2, "9999", func(err error) bool { return errors.Is(err, jpki.ErrPINBlocked) }, 1, 0},
		{"blocked: no VERIFY", 3, "1234", func(err error) bool { return errors.Is(err, jpki.ErrPINBlocked) }, 0, 0},
		{"bad format: nothing sent", 0, "12a4", func(err error) bool { return errors.Is(err, jpki.ErrBadPINFormat) }, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, setup{card: func(c *vcard.Config) { c.AuthPIN.Failures = tt.failures }})
			p := e.signParams(tt.pin)
			p.Message = []byte("hello")
			pin := p.PIN
			_, err := e.wallet.SignMessage(devchaintest.Context(t), p)
			if !tt.check(err) {
				t.Fatalf("err = %v", err)
			}
			if n := e.verifies.Load(); n != tt.verifies {
				t.Errorf("%d VERIFY with a PIN, want %d", n, tt.verifies)
			}
			if left := e.retries(); left != tt.left {
				t.Errorf("%d tries left, want %d", left, tt.left)
			}
			if !bytes.Equal(pin, make([]byte, len(pin))) {
				t.Error("the PIN was not cleared")
			}
		})
	}
}

func TestTheRightPINAfterAWrongOneSigns(t *testing.T) {
	e := newEnv(t, setup{})
	p := e.signParams("9999")
	p.Message = []byte("hello")
	if _, err := e.wallet.SignMessage(devchaintest.Context(t), p); err == nil {
		t.Fatal("a wrong PIN signed")
	}
	p = e.signParams("1234")
	p.Message = []byte("hello")
	if _, err := e.wallet.SignMessage(devchaintest.Context(t), p); err != nil {
		t.Fatal(err)
	}
	if left := e.retries(); left != 3 {
		t.Errorf("%d tries left after the right PIN, want 3", left)
	}
}

// Another account or another card than the sheet showed: nothing signed,
// no PIN sent.
func TestTheCardMustBeTheOneShown(t *testing.T) {
	tests := []struct {
		name string
		edit func(*protocol.EthSignParams)
		want error
	}{
		{"another account", func(p *protocol.EthSignParams) { p.Account[0] ^= 1 }, wallet.ErrAccountMismatch},
		{"another certificate", func(p *protocol.EthSignParams) { p.CertificateSHA256[0] ^= 1 }, cards.ErrCardChanged},
	}
	e := newEnv(t, setup{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.signParams("1234")
			p.Message = []byte("hello")
			tt.edit(&p)
			if _, err := e.wallet.SignMessage(devchaintest.Context(t), p); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if n := e.verifies.Load(); n != 0 {
				t.Errorf("%d VERIFY with a PIN", n)
			}
		})
	}
}

func TestTypedDataIsCheckedBeforeTheCard(t *testing.T) {
	e := newEnv(t, setup{})
	tests := []struct {
		name, typed string
	}{
		{"another chain", string(devchaintest.MailTypedData(big.NewInt(1), "Hello, Bob!"))},
		{"not JSON", "{"},
		{"no EIP712Domain", `{"types":{},"primaryType":"Mail","domain":{},"message":{}}`},
		{"a member missing", strings.Replace(string(devchaintest.MailTypedData(e.chain.ChainID(), "Hello, Bob!")), `"contents":"Hello, Bob!"`, `"x":"y"`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.signParams("1234")
			p.TypedData = []byte(tt.typed)
			apdus := e.apdus.Load()
			_, err := e.wallet.SignTypedData(devchaintest.Context(t), p)
			var perr *protocol.Error
			if !errors.As(err, &perr) || perr.Code != failure.BadRequest || perr.Field != "params.typedData" {
				t.Fatalf("err = %v, want BAD_REQUEST on params.typedData", err)
			}
			if n := e.apdus.Load() - apdus; n != 0 {
				t.Errorf("%d APDUs sent", n)
			}
		})
	}
}

func TestRPCForwardsReadOnlyCallsOnly(t *testing.T) {
	e := newEnv(t, setup{})
	id := e.chain.ChainID().Uint64()
	res, err := e.wallet.RPC(devchaintest.Context(t), protocol.EthRPCParams{ChainID: id, Method: "eth_blockNumber"})
	if err != nil || !strings.HasPrefix(string(res.Result), `"0x`) {
		t.Fatalf("eth_blockNumber: %s, %v", res.Result, err)
	}
	res, err = e.wallet.RPC(devchaintest.Context(t), protocol.EthRPCParams{ChainID: id, Method: "eth_getBalance",
		Params: []byte(`["` + strings.ToLower(e.chain.Token().Hex()) + `","latest"]`)})
	if err != nil || string(res.Result) != `"0x0"` {
		t.Errorf("eth_getBalance: %s, %v", res.Result, err)
	}
	for _, m := range []string{"eth_sendRawTransaction", "eth_sendTransaction", "eth_sign", "personal_sign", "debug_traceCall", "eth_accounts", "admin_peers", ""} {
		if _, err := e.wallet.RPC(devchaintest.Context(t), protocol.EthRPCParams{ChainID: id, Method: m, Params: []byte(`[]`)}); !errors.Is(err, wallet.ErrMethodNotAllowed) {
			t.Errorf("%q: err = %v, want ErrMethodNotAllowed", m, err)
		}
	}

	// A revert is the node's error, passed on with its code and data.
	data, _ := contracts.TestJPYC.Pack("transfer", common.HexToAddress("0xbeef"), big.NewInt(1))
	call, _ := json.Marshal([]any{map[string]string{"from": "0x000000000000000000000000000000000000dEaD", "to": e.chain.Token().Hex(), "data": fmt.Sprintf("0x%x", data)}, "latest"})
	_, err = e.wallet.RPC(devchaintest.Context(t), protocol.EthRPCParams{ChainID: id, Method: "eth_call", Params: call})
	var re *wallet.RPCError
	if !errors.As(err, &re) || re.NodeCode != 3 || !strings.HasPrefix(re.Data, "0x") {
		t.Errorf("reverting eth_call: %v (%+v)", err, re)
	}
	_, err = e.wallet.RPC(devchaintest.Context(t), protocol.EthRPCParams{ChainID: id, Method: "eth_getBalance", Params: []byte(`["nonsense"]`)})
	if !errors.As(err, &re) {
		t.Errorf("bad params: %v, want an RPCError", err)
	}
}

func TestRPCResultOverTheLimit(t *testing.T) {
	e := newEnv(t, setup{})
	w := wallet.New(wallet.Config{Cards: e.cards, ConfigPath: configPath(t, e.chain.ConfigFile()), MaxResult: 100})
	defer w.Close()
	_, err := w.RPC(devchaintest.Context(t), protocol.EthRPCParams{ChainID: e.chain.ChainID().Uint64(), Method: "eth_getBlockByNumber", Params: []byte(`["latest",false]`)})
	if !errors.Is(err, wallet.ErrResultTooLarge) {
		t.Errorf("err = %v, want ErrResultTooLarge", err)
	}
}

func configPath(t testing.TB, f *chainconfig.File) string {
	t.Helper()
	path := t.TempDir() + "/chains.json"
	if err := f.Write(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUnconfiguredAndUnreachableChains(t *testing.T) {
	const unknownChain = 999
	tests := []struct {
		name  string
		setup setup
		call  func(e *env) error
		want  error
	}{
		{"no configuration file", setup{noConfig: true}, func(e *env) error { _, err := e.wallet.Chains(); return err }, wallet.ErrChainUnconfigured},
		{"no configuration file: sign", setup{noConfig: true}, func(e *env) error {
			_, err := e.wallet.SignMessage(devchaintest.Context(e.t), protocol.EthSignParams{ChainID: 1337, PIN: protocol.PIN("1234"), CertificateSHA256: make([]byte, 32)})
			return err
		}, wallet.ErrChainUnconfigured},
		{"chain not in the file", setup{}, func(e *env) error {
			_, err := e.wallet.Account(devchaintest.Context(e.t), protocol.EthAccountParams{ChainID: unknownChain})
			return err
		}, wallet.ErrChainUnconfigured},
		{"nothing can submit", setup{config: func(f *chainconfig.File) { f.Networks[0].Dev = nil }}, func(e *env) error {
			_, err := e.wallet.SendCalls(devchaintest.Context(e.t), protocol.EthSendCallsParams{ChainID: 1337, PIN: protocol.PIN("1234"),
				CertificateSHA256: make([]byte, 32), Calls: []protocol.EthCall{{Value: new(big.Int)}}})
			return err
		}, wallet.ErrChainUnconfigured},
		{"nothing can submit: prepare", setup{config: func(f *chainconfig.File) { f.Networks[0].Dev = nil }}, func(e *env) error {
			_, err := e.wallet.PrepareCalls(devchaintest.Context(e.t), protocol.EthPrepareCallsParams{ChainID: 1337,
				CertificateSHA256: make([]byte, 32), Calls: []protocol.EthCall{{Value: new(big.Int)}}})
			return err
		}, wallet.ErrChainUnconfigured},
		{"RPC endpoint down", setup{config: func(f *chainconfig.File) { f.Networks[0].RPCURL = "http://127.0.0.1:1" }}, func(e *env) error {
			_, err := e.wallet.RPC(devchaintest.Context(e.t), protocol.EthRPCParams{ChainID: 1337, Method: "eth_blockNumber"})
			return err
		}, wallet.ErrChainUnavailable},
		{"RPC endpoint down: account", setup{config: func(f *chainconfig.File) { f.Networks[0].RPCURL = "http://127.0.0.1:1" }}, func(e *env) error {
			_, err := e.wallet.Account(devchaintest.Context(e.t), protocol.EthAccountParams{ChainID: 1337})
			return err
		}, wallet.ErrChainUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.setup)
			apdus := e.apdus.Load()
			if err := tt.call(e); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == wallet.ErrChainUnconfigured && e.apdus.Load() != apdus {
				t.Errorf("%d APDUs sent for an unconfigured chain", e.apdus.Load()-apdus)
			}
		})
	}
}

func TestChainsListsTheConfigurationWithoutKeys(t *testing.T) {
	e := newEnv(t, setup{})
	res, err := e.wallet.Chains()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	n := e.chain.Network()
	if res.DefaultChainID != n.ChainID || len(res.Chains) != 1 || res.Chains[0].RPCURL != n.RPCURL || len(res.Chains[0].Tokens) != 1 ||
		res.Chains[0].Tokens[0].Fiat != "JPY" || res.Chains[0].Tokens[0].Address != e.chain.Token().Hex() {
		t.Errorf("ethChains = %s", b)
	}
	if strings.Contains(strings.ToLower(string(b)), strings.ToLower(strings.TrimPrefix(n.Dev.RelayerKey, "0x"))) || strings.Contains(string(b), "Key") {
		t.Errorf("ethChains shows a key: %s", b)
	}
}

// The bundler is asked before the sheet whether it serves the chain and its EntryPoint: another chain's, one
// without EntryPoint v0.8 and one that is down are named before any card command. A bundler that refuses
// the operation when asked to estimate it does so before the PIN; one that refuses it only once signed (HTTP
// 500 with a JSON-RPC error) is SUBMIT_FAILED with the bundler's reason, not an unreachable endpoint.
func TestTheBundlerIsCheckedAndItsRefusalNamed(t *testing.T) {
	ep := common.HexToAddress("0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108")
	v07 := common.HexToAddress("0x0000000071727De22E5E9d8BAf0edAc6f37da032")
	const send, estimate = "eth_sendUserOperation", "eth_estimateUserOperationGas"
	for _, tt := range []struct {
		name, url string
		want      error
		says      string
		signs     bool // the refusal comes only after the card signed
	}{
		{"another chain's bundler", devchaintest.FakeBundler(t, "0x1", send, ep), wallet.ErrChainUnconfigured, "serves chain 1, not 1337", false},
		{"a bundler without EntryPoint v0.8", devchaintest.FakeBundler(t, "0x539", send, v07), wallet.ErrChainUnconfigured, "not " + ep.Hex(), false},
		{"a bundler that is down", "http://127.0.0.1:1", wallet.ErrChainUnavailable, "", false},
		{"a bundler that refuses to estimate the operation", devchaintest.FakeBundler(t, "0x539", estimate, v07, ep), wallet.ErrSubmitFailed, "AA23 reverted: not enough funds (code -32500)", false},
		{"a bundler that refuses the signed operation", devchaintest.FakeBundler(t, "0x539", send, v07, ep), wallet.ErrSubmitFailed, "AA23 reverted: not enough funds (code -32500)", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, setup{freshKey: true, config: func(f *chainconfig.File) { f.Networks[0].BundlerURL = tt.url }})
			e.fund(devchaintest.Ether(1), nil)
			call := protocol.EthCall{To: protocol.Address(common.HexToAddress("0x00000000000000000000000000000000000b0b02")), Value: big.NewInt(1)}
			apdus := e.apdus.Load()
			var err error
			if tt.signs {
				_, err = e.wallet.SendCalls(devchaintest.Context(t), e.sendParams("1234", call))
			} else {
				_, err = e.wallet.PrepareCalls(devchaintest.Context(t), e.prepareParams(call))
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %v, want %v saying %q", err, tt.want, tt.says)
			}
			if !tt.signs && e.verifies.Load() != 0 {
				t.Errorf("%d VERIFY before the bundler's refusal", e.verifies.Load())
			}
			if tt.want != wallet.ErrSubmitFailed && e.apdus.Load() != apdus {
				t.Errorf("%d APDUs before the bundler's refusal", e.apdus.Load()-apdus)
			}
		})
	}
}

// A token's decimals and symbol come from its contract, never from the configuration alone: a configuration
// that says otherwise is refused before the sheet (an amount shown with 6 decimals for an 18-decimal token
// would be a trillion times too small), and so is a "token" that is no token.
func TestAConfiguredTokenMustSayWhatItsContractSays(t *testing.T) {
	to := common.HexToAddress("0x00000000000000000000000000000000000b0b03")
	for _, tt := range []struct {
		name string
		edit func(*chainconfig.Token)
		says string
	}{
		{"other decimals", func(tk *chainconfig.Token) { tk.Decimals = 6 }, "JPYC with 18 decimals, the configuration JPYC with 6"},
		{"another symbol", func(tk *chainconfig.Token) { tk.Symbol = "USDC" }, "says JPYC with 18 decimals, the configuration USDC"},
		{"not a token", func(tk *chainconfig.Token) { tk.Address = chain(t).EntryPoint() }, "not an ERC-20 token"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, setup{freshKey: true, config: func(f *chainconfig.File) {
				tt.edit(&f.Networks[0].Tokens[0])
				f.Networks[0].FeePaymaster = nil // it names the token by its address
			}})
			e.fund(devchaintest.Ether(1), devchaintest.Ether(10))
			token := e.chain.Token()
			if tt.name == "not a token" {
				token = e.chain.EntryPoint()
			}
			transfer, err := contracts.TestJPYC.Pack("transfer", to, big.NewInt(1))
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.wallet.PrepareCalls(devchaintest.Context(t), e.prepareParams(protocol.EthCall{To: protocol.Address(token), Value: new(big.Int), Data: transfer}))
			if !errors.Is(err, wallet.ErrChainUnconfigured) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %v, want CHAIN_UNCONFIGURED saying %q", err, tt.says)
			}
			if e.verifies.Load() != 0 {
				t.Error("a PIN was sent")
			}
		})
	}
}
