package chaintest

import (
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	hostaccount "github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/account/feepaymaster"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// ERC-7562's validation rules, the part a trace of opcodes can check: what every production bundler enforces
// on an account's validation and an unstaked factory's deployment before it takes a UserOperation.
var (
	// [OP-011] opcodes whose result differs between simulation and inclusion, and [OP-080] BALANCE and
	// SELFBALANCE, allowed only to staked entities (ours are not staked).
	bannedOpcodes = []string{"ORIGIN", "GASPRICE", "BLOCKHASH", "COINBASE", "TIMESTAMP", "NUMBER", "PREVRANDAO", "DIFFICULTY", "RANDOM",
		"GASLIMIT", "BASEFEE", "BLOBHASH", "BLOBBASEFEE", "INVALID", "SELFDESTRUCT", "CREATE", "BALANCE", "SELFBALANCE"}
	callOpcodes = []string{"CALL", "CALLCODE", "DELEGATECALL", "STATICCALL"}
)

// structLog is one step of go-ethereum's default tracer.
type structLog struct {
	Op    string   `json:"op"`
	Depth int      `json:"depth"`
	Stack []string `json:"stack"` // hex quantities, the top last
}

// traceCall runs debug_traceCall of data from `from` to `to` with the opcode logger and returns its steps.
func traceCall(t testing.TB, c *devchain.Chain, from, to common.Address, data []byte) []structLog {
	t.Helper()
	var res struct {
		Failed     bool        `json:"failed"`
		StructLogs []structLog `json:"structLogs"`
	}
	call := map[string]any{"from": from, "to": to, "data": hexutil.Bytes(data), "gas": hexutil.Uint64(5_000_000)}
	config := map[string]any{"disableStorage": true, "enableMemory": false}
	if err := c.Client().Client().CallContext(devchaintest.Context(t), &res, "debug_traceCall", call, "latest", config); err != nil {
		t.Fatal(err)
	}
	if res.Failed || len(res.StructLogs) == 0 {
		t.Fatalf("the traced call to %s failed (%d steps)", to, len(res.StructLogs))
	}
	return res.StructLogs
}

// erc7562Violations lists the rules the steps break, for an unstaked entity at `entity` that the trace
// entered at depth 1: banned opcodes, GAS not followed by a call ([OP-012]), more than one CREATE2 ([OP-031],
// the factory's one deployment), and storage touched outside the entity's own ([STO-010]: we use no
// associated storage), the EntryPoint's own excepted (the prefund's deposit). The storage owner of each frame
// follows the calls: CALL and STATICCALL enter their target's storage, DELEGATECALL stays in the caller's.
func erc7562Violations(steps []structLog, entity, entryPoint common.Address) []string {
	return checkERC7562(steps, entity, entryPoint, false)
}

// stakedViolations is erc7562Violations for a staked entity (the JPYC fee paymaster): the opcode rules
// alone, since a staked entity may read any storage and write what is associated with it or the sender,
// which a trace without keccak preimages cannot tell; Alto in safe mode checks that part
// (TestAltoInSafeModeTakesJPYCPaidOperations).
func stakedViolations(steps []structLog, entity, entryPoint common.Address) []string {
	return checkERC7562(steps, entity, entryPoint, true)
}

func checkERC7562(steps []structLog, entity, entryPoint common.Address, staked bool) []string {
	var found []string
	owners := []common.Address{entity}
	creates := 0
	for i, s := range steps {
		for len(owners) > s.Depth {
			owners = owners[:len(owners)-1]
		}
		switch {
		case slices.Contains(bannedOpcodes, s.Op):
			found = append(found, s.Op)
		case s.Op == "GAS" && (i+1 >= len(steps) || !slices.Contains(callOpcodes, steps[i+1].Op)):
			found = append(found, "GAS without a call after it")
		case s.Op == "CREATE2":
			if creates++; creates > 1 {
				found = append(found, "a second CREATE2")
			}
		case (s.Op == "SLOAD" || s.Op == "SSTORE") && !staked:
			if owner := owners[len(owners)-1]; owner != entity && owner != entryPoint {
				found = append(found, s.Op+" of "+owner.Hex())
			}
		}
		if next := i + 1; next < len(steps) && steps[next].Depth > s.Depth && len(s.Stack) >= 2 {
			switch s.Op {
			case "CALL", "CALLCODE", "STATICCALL":
				owners = append(owners, common.HexToAddress(s.Stack[len(s.Stack)-2]))
			default: // DELEGATECALL, CREATE2: the same storage, or the new contract's, which it may initialise
				owners = append(owners, owners[len(owners)-1])
			}
		}
	}
	return found
}

// TestValidationFollowsERC7562: the factory's deployment of an account (as the EntryPoint's SenderCreator
// runs it for a first UserOperation), the account's validateUserOp (as the EntryPoint calls it, paying the
// prefund) and the JPYC fee paymaster's validatePaymasterUserOp (staked) break none of the rules a trace can
// check, under Osaka and Prague; so a public bundler in safe mode takes the account's first and later
// operations, paid in ETH or in JPYC.
func TestValidationFollowsERC7562(t *testing.T) {
	for _, fork := range []devchain.Fork{devchain.Osaka, devchain.Prague} {
		t.Run(string(fork), func(t *testing.T) {
			c := chain(t, fork, 7562)
			a := newCardAccount(t, c, testCard(t))
			if err := c.Fund(devchaintest.Context(t), a.addr, devchaintest.Ether(1), nil); err != nil {
				t.Fatal(err)
			}
			creator := devchaintest.CallAs[common.Address](t, c, c.EntryPoint(), contracts.EntryPoint, "senderCreator")
			if v := erc7562Violations(traceCall(t, c, creator, a.factory, a.factoryData), a.factory, c.EntryPoint()); len(v) != 0 {
				t.Errorf("the factory's deployment breaks ERC-7562: %s", strings.Join(v, ", "))
			}

			a.deploy(t)
			op := a.newOp(t, []contracts.Call{{Target: common.HexToAddress("0x00000000000000000000000000000000000d0e58"), Value: big.NewInt(1)}})
			validate, err := contracts.CardAccount.Pack("validateUserOp", *op, op.hash(c.ChainID(), c.EntryPoint()), big.NewInt(1e15))
			if err != nil {
				t.Fatal(err)
			}
			if v := erc7562Violations(traceCall(t, c, c.EntryPoint(), a.addr, validate), a.addr, c.EntryPoint()); len(v) != 0 {
				t.Errorf("the account's validation breaks ERC-7562: %s", strings.Join(v, ", "))
			}

			// The JPYC fee paymaster's validation, both ways: the fee owed (no standing approval), then
			// taken under one.
			if err := c.Fund(devchaintest.Context(t), a.addr, nil, devchaintest.Ether(2_000)); err != nil {
				t.Fatal(err)
			}
			dest := common.HexToAddress("0x00000000000000000000000000000000000d0e59")
			for _, calls := range [][]contracts.Call{
				{approvePaymaster(t, c, devchaintest.Ether(1_000)), devchaintest.TransferJPYC(t, c, dest, devchaintest.Ether(1))},
				{approvePaymaster(t, c, devchaintest.Ether(1_000))},
			} {
				if len(calls) == 1 { // a standing approval first, paid for by the account itself
					if _, err := handleOps(t, c, a.newOp(t, calls)); err != nil {
						t.Fatal(err)
					}
					calls = []contracts.Call{devchaintest.TransferJPYC(t, c, dest, devchaintest.Ether(1))}
				}
				op := a.paymasterOp(t, c.Paymaster(), calls)
				validate, err := contracts.JPYCFeePaymaster.Pack("validatePaymasterUserOp", *op, op.hash(c.ChainID(), c.EntryPoint()), big.NewInt(1e15))
				if err != nil {
					t.Fatal(err)
				}
				if v := stakedViolations(traceCall(t, c, c.EntryPoint(), c.Paymaster(), validate), c.Paymaster(), c.EntryPoint()); len(v) != 0 {
					t.Errorf("the paymaster's validation breaks ERC-7562: %s", strings.Join(v, ", "))
				}
			}
		})
	}
}

// The checker itself finds each kind of breach in a made-up trace, so that a clean run means something.
func TestERC7562CheckerFindsBreaches(t *testing.T) {
	entity := common.HexToAddress("0x00000000000000000000000000000000000e0001")
	other := "0x00000000000000000000000000000000000e0002"
	steps := []structLog{
		{Op: "SELFBALANCE", Depth: 1},
		{Op: "GAS", Depth: 1}, {Op: "ADD", Depth: 1},
		{Op: "GAS", Depth: 1}, {Op: "STATICCALL", Depth: 1, Stack: []string{"0x0", other, "0x1"}},
		{Op: "SLOAD", Depth: 2},
		{Op: "SLOAD", Depth: 1},
		{Op: "CREATE2", Depth: 1}, {Op: "CREATE2", Depth: 1},
	}
	got := strings.Join(erc7562Violations(steps, entity, common.Address{}), ", ")
	want := "SELFBALANCE, GAS without a call after it, SLOAD of " + common.HexToAddress(other).Hex() + ", a second CREATE2"
	if got != want {
		t.Errorf("found %q, want %q", got, want)
	}
	// A staked entity may touch other storage; the opcode rules still hold.
	got = strings.Join(stakedViolations(steps, entity, common.Address{}), ", ")
	if want := "SELFBALANCE, GAS without a call after it, a second CREATE2"; got != want {
		t.Errorf("staked: found %q, want %q", got, want)
	}
}

// Alto in ERC-7562 safe mode, the bundler a public network runs, takes a card account's first UserOperation
// (the one whose factory deploys the account) and refuses the same from the secp256k1 reference factory,
// which deploys through OpenZeppelin's Clones and so reads its own balance: the rules are really enforced,
// and the card account's factory passes them.
func TestAltoInSafeModeTakesTheCardFactoryAndRefusesABreach(t *testing.T) {
	c := defaultChain(t)
	bundler := devchaintest.BundlerClient(t, c)
	dest := common.HexToAddress("0x0000000000000000000000000000000000a17000")
	tests := []struct {
		name    string
		account func(t *testing.T) *account
		refusal string // empty: taken and included
	}{
		{"card account factory", func(t *testing.T) *account { return newCardAccount(t, c, testCard(t)) }, ""},
		{"reference factory through Clones", func(t *testing.T) *account {
			key, err := crypto.GenerateKey()
			if err != nil {
				t.Fatal(err)
			}
			return newECDSAAccount(t, c, key)
		}, "SELFBALANCE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.account(t)
			if err := c.Fund(devchaintest.Context(t), a.addr, devchaintest.Ether(1), nil); err != nil {
				t.Fatal(err)
			}
			op := a.bundlerOperation(t, []contracts.Call{{Target: dest, Value: big.NewInt(1)}}, common.Address{})
			_, err := bundler.Submit(devchaintest.Context(t), op, c.EntryPoint())
			switch {
			case tt.refusal == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.refusal != "" && (err == nil || !strings.Contains(err.Error(), tt.refusal)):
				t.Fatalf("got %v, want a refusal naming %s", err, tt.refusal)
			case tt.refusal == "" && !a.deployed(t):
				t.Fatal("included, but the account has no code")
			}
		})
	}
}

// bundlerOperation is a's next UserOperation running calls, in the bundler RPC form, signed: with initCode
// while the account is undeployed, and with the fee paid in JPYC through paymaster unless that is zero. Its
// limits are generous fixed figures, as a bundler takes them; its userOpHash is checked against the
// EntryPoint's.
func (a *account) bundlerOperation(t testing.TB, calls []contracts.Call, paymaster common.Address) *hostaccount.UserOperation {
	t.Helper()
	c := a.chain
	callData, err := contracts.ExecuteBatch(calls)
	if err != nil {
		t.Fatal(err)
	}
	op := &hostaccount.UserOperation{
		Sender: a.addr, Nonce: devchaintest.CallAs[*big.Int](t, c, c.EntryPoint(), contracts.EntryPoint, "getNonce", a.addr, big.NewInt(0)), CallData: callData,
		CallGasLimit: 300_000, VerificationGasLimit: 600_000, PreVerificationGas: 100_000,
		MaxFeePerGas: big.NewInt(paymasterGasPrice), MaxPriorityFeePerGas: big.NewInt(paymasterGasPrice),
	}
	if !a.deployed(t) {
		op.Factory, op.FactoryData = a.factory, a.factoryData
	}
	if paymaster != (common.Address{}) {
		op.Paymaster, op.PaymasterVerificationGasLimit, op.PaymasterPostOpGasLimit = paymaster, paymasterVerificationGas, paymasterPostOpGas
		op.PaymasterData = common.BigToHash(devchain.JPYCPerETH).Bytes()
	}
	hash := op.Hash(c.ChainID(), c.EntryPoint())
	if onChain := devchaintest.CallAs[[32]byte](t, c, c.EntryPoint(), contracts.EntryPoint, "getUserOpHash", op.Pack()); common.Hash(onChain) != hash {
		t.Fatalf("userOpHash %s, the EntryPoint's %x", hash, onChain)
	}
	op.Signature = a.sign(hash)
	return op
}

// Alto in safe mode takes operations whose fee the JPYC paymaster takes, both ways: the account's first (it
// deploys the account, approves the paymaster, and the fee is taken after execution) and the next (under
// the approval). The paymaster is staked, as ERC-7562 asks of a paymaster that touches token storage.
func TestAltoInSafeModeTakesJPYCPaidOperations(t *testing.T) {
	c := defaultChain(t)
	bundler := devchaintest.BundlerClient(t, c)
	a := newCardAccount(t, c, testCard(t))
	if err := c.Fund(devchaintest.Context(t), a.addr, nil, devchaintest.Ether(2_000)); err != nil {
		t.Fatal(err)
	}
	bob := common.HexToAddress("0x0000000000000000000000000000000000b0b7a0")
	for i, calls := range [][]contracts.Call{
		{approvePaymaster(t, c, devchaintest.Ether(1_000)), devchaintest.TransferJPYC(t, c, bob, devchaintest.Ether(3))},
		{devchaintest.TransferJPYC(t, c, bob, devchaintest.Ether(4))},
	} {
		if _, err := bundler.Submit(devchaintest.Context(t), a.bundlerOperation(t, calls, c.Paymaster()), c.EntryPoint()); err != nil {
			t.Fatalf("operation %d: %v", i+1, err)
		}
	}
	if got := devchaintest.TokenBalance(t, c, bob); got.Cmp(devchaintest.Ether(7)) != 0 {
		t.Errorf("bob holds %s JPYC units, want 7e18", got)
	}
	if devchaintest.Balance(t, c, a.addr).Sign() != 0 {
		t.Error("the account holds ETH")
	}

	// The same paymaster unstaked (deposit only) is refused: the rules are checked for the paymaster too.
	unstaked := deployPaymaster(t, c)
	b := newCardAccount(t, c, testCard(t))
	if err := c.Fund(devchaintest.Context(t), b.addr, nil, devchaintest.Ether(2_000)); err != nil {
		t.Fatal(err)
	}
	op := b.bundlerOperation(t, []contracts.Call{approvePaymasterAt(t, c, unstaked, devchaintest.Ether(1_000)), devchaintest.TransferJPYC(t, c, bob, devchaintest.Ether(1))}, unstaked)
	_, err := bundler.Submit(devchaintest.Context(t), op, c.EntryPoint())
	t.Logf("an unstaked paymaster: %v", err)
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "stake") {
		t.Errorf("an unstaked paymaster's operation: %v, want a refusal for want of stake", err)
	}
}

// deployPaymaster deploys another JPYCFeePaymaster for the dev chain's test JPYC, at another rate, with an
// ETH deposit at the EntryPoint and no stake.
func deployPaymaster(t testing.TB, c *devchain.Chain) common.Address {
	t.Helper()
	operator := feepaymaster.Operator{Client: c.Client(), Key: devchain.FaucetKey}
	pm, err := operator.Deploy(devchaintest.Context(t), c.Token(), 400_001)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := operator.Deposit(devchaintest.Context(t), pm, devchaintest.Ether(1)); err != nil {
		t.Fatal(err)
	}
	return pm
}
