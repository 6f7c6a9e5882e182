package account_test

import (
	"bytes"
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// balances is who's ether and test JPYC.
func balances(t testing.TB, c *devchain.Chain, who common.Address) (eth, jpyc *big.Int) {
	t.Helper()
	return devchaintest.Balance(t, c, who), devchaintest.TokenBalance(t, c, who)
}

// One account, signed by the virtual card, through the built-in relayer and through Alto in ERC-7562 safe
// mode (which sizes and prices the operations too): the first operation deploys the account and sends ETH,
// the second sends test JPYC, the third is a batch of three. Each returns a transaction hash whose receipt
// is successful.
func TestUserOperations(t *testing.T) {
	c := defaultChain(t)
	alice := common.HexToAddress("0x00000000000000000000000000000000a11ce001")
	bob := common.HexToAddress("0x00000000000000000000000000000000b0b00001")
	submitters := []struct {
		name string
		sub  func(t *testing.T) account.Submitter
	}{
		{"relayer", func(*testing.T) account.Submitter { return relayer(c) }},
		{"Alto in safe mode", func(t *testing.T) account.Submitter { return devchaintest.BundlerClient(t, c) }},
	}
	steps := []struct {
		name           string
		calls          []contracts.Call
		deploys        bool
		aliceETH, jpyc *big.Int
		bobETH         *big.Int
	}{
		{"deploy and send ETH", []contracts.Call{{Target: alice, Value: devchaintest.Ether(1)}}, true, devchaintest.Ether(1), new(big.Int), new(big.Int)},
		{"send JPYC", []contracts.Call{devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(1500))}, false, new(big.Int), devchaintest.Ether(1500), new(big.Int)},
		{"batch of three", []contracts.Call{{Target: alice, Value: big.NewInt(7)}, devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(3)), {Target: bob, Value: big.NewInt(11)}},
			false, big.NewInt(7), devchaintest.Ether(3), big.NewInt(11)},
	}
	for _, s := range submitters {
		t.Run(s.name, func(t *testing.T) {
			sub := s.sub(t)
			a := newAccount(t, c, openCard(t))
			if err := c.Fund(devchaintest.Context(t), a.Address(), devchaintest.Ether(5), devchaintest.Ether(10_000)); err != nil {
				t.Fatal(err)
			}
			for _, st := range steps {
				op, err := a.BuildUserOperation(devchaintest.Context(t), st.calls, account.BuildOptions{})
				if err != nil {
					t.Fatalf("%s: %v", st.name, err)
				}
				if (op.Factory != common.Address{}) != st.deploys {
					t.Fatalf("%s: factory %s, deploys %v", st.name, op.Factory, st.deploys)
				}
				onChain := devchaintest.CallAs[[32]byte](t, c, c.EntryPoint(), contracts.EntryPoint, "getUserOpHash", op.Pack())
				if common.Hash(onChain) != op.Hash(c.ChainID(), c.EntryPoint()) {
					t.Fatalf("userOpHash: EntryPoint %x, local %s", onChain, op.Hash(c.ChainID(), c.EntryPoint()))
				}
				ethBefore, jpycBefore := balances(t, c, alice)
				bobBefore, _ := balances(t, c, bob)
				tx, err := a.Send(devchaintest.Context(t), sub, st.calls)
				if err != nil {
					t.Fatalf("%s: %v", st.name, err)
				}
				r, err := c.Client().TransactionReceipt(devchaintest.Context(t), tx)
				if err != nil || r.Status != types.ReceiptStatusSuccessful {
					t.Fatalf("%s: receipt of %s: %v, %+v", st.name, tx, err, r)
				}
				t.Logf("%s: tx %s, %d gas", st.name, tx, r.GasUsed)
				ethNow, jpycNow := balances(t, c, alice)
				bobNow, _ := balances(t, c, bob)
				for _, d := range []struct {
					what              string
					before, now, want *big.Int
				}{{"alice ETH", ethBefore, ethNow, st.aliceETH}, {"alice JPYC", jpycBefore, jpycNow, st.jpyc}, {"bob ETH", bobBefore, bobNow, st.bobETH}} {
					if got := new(big.Int).Sub(d.now, d.before); got.Cmp(d.want) != 0 {
						t.Errorf("%s: %s changed by %v, want %v", st.name, d.what, got, d.want)
					}
				}
			}
		})
	}
}

// A UserOperation signed for one chain or one account does not run on another: the EntryPoint refuses it at
// validation (AA24 signature error), and the account does not sign someone else's operation.
func TestUserOperationReplayFails(t *testing.T) {
	home, other := defaultChain(t), chain(t, 31337)
	card := openCard(t)
	index := big.NewInt(accountIndex.Add(1))
	a, twin := newAccountAt(t, home, card, index), newAccountAt(t, other, card, index)
	sibling := newAccount(t, home, card)
	for _, x := range []struct {
		c    *devchain.Chain
		addr common.Address
	}{{home, a.Address()}, {other, twin.Address()}, {home, sibling.Address()}} {
		if err := x.c.Fund(devchaintest.Context(t), x.addr, devchaintest.Ether(2), nil); err != nil {
			t.Fatal(err)
		}
	}
	dest := common.HexToAddress("0x00000000000000000000000000000000000de571")
	op, err := a.BuildUserOperation(devchaintest.Context(t), []contracts.Call{{Target: dest, Value: big.NewInt(1)}}, account.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SignUserOperation(op); err != nil {
		t.Fatal(err)
	}
	moved := *op
	moved.Sender = sibling.Address()
	moved.FactoryData, _ = sibling.Owner().FactoryData(new(big.Int)) // irrelevant: the signature must fail first
	tests := []struct {
		name string
		c    *devchain.Chain
		op   *account.UserOperation
	}{
		{"home operation on chain 31337", other, op},
		{"operation moved to the sibling account", home, &moved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := relayer(tt.c).Submit(devchaintest.Context(t), tt.op, tt.c.EntryPoint()); err == nil {
				t.Fatal("replayed operation accepted")
			}
		})
	}
	if err := a.SignUserOperation(&moved); err == nil {
		t.Error("signed another account's operation")
	}
	if _, err := relayer(home).Submit(devchaintest.Context(t), op, home.EntryPoint()); err != nil {
		t.Fatalf("original operation: %v", err)
	}
}

// recordingQuoter passes a bundler's answers on and keeps the operation it was asked to estimate.
type recordingQuoter struct {
	*account.Bundler
	asked *account.UserOperation
}

func (r *recordingQuoter) Estimate(ctx context.Context, op *account.UserOperation, entryPoint common.Address) (account.GasEstimate, error) {
	r.asked = op
	return r.Bundler.Estimate(ctx, op, entryPoint)
}

// The bundler estimates an operation carrying a stand-in signature just below the card's modulus, so that
// CardRSA runs the modexp as it will for the real signature: an all-0xff stand-in is above the modulus, and
// Alto's estimate with it leaves out the RSA check (~33,000 gas under Osaka). The operation built takes the
// bundler's figures where they are higher, and its price.
func TestTheBundlerEstimatesWithAStandInThatRunsTheRSACheck(t *testing.T) {
	c := defaultChain(t)
	q := &recordingQuoter{Bundler: devchaintest.BundlerClient(t, c)}
	a := newAccount(t, c, openCard(t))
	if err := c.Fund(devchaintest.Context(t), a.Address(), devchaintest.Ether(1), nil); err != nil {
		t.Fatal(err)
	}
	calls := []contracts.Call{{Target: common.HexToAddress("0x00000000000000000000000000000000000e5700"), Value: big.NewInt(1)}}
	op, err := a.BuildUserOperation(devchaintest.Context(t), calls, account.BuildOptions{Quoter: q})
	if err != nil {
		t.Fatal(err)
	}
	standIn := new(big.Int).SetBytes(q.asked.Signature)
	if n := a.Owner().Pub.N; len(q.asked.Signature) != 256 || standIn.Cmp(n) >= 0 {
		t.Fatalf("stand-in of %d bytes, below the modulus: %v", len(q.asked.Signature), standIn.Cmp(n) < 0)
	}
	allFF := *q.asked
	allFF.Signature = bytes.Repeat([]byte{0xff}, 256)
	withModexp, err := q.Bundler.Estimate(devchaintest.Context(t), q.asked, c.EntryPoint())
	if err != nil {
		t.Fatal(err)
	}
	without, err := q.Bundler.Estimate(devchaintest.Context(t), &allFF, c.EntryPoint())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Alto's verificationGasLimit: %d with the stand-in, %d with all 0xff; built %d", withModexp.VerificationGasLimit, without.VerificationGasLimit, op.VerificationGasLimit)
	if withModexp.VerificationGasLimit < without.VerificationGasLimit+25_000 {
		t.Errorf("the stand-in's estimate is not the RSA check's ~33,000 gas above all-0xff's")
	}
	if op.VerificationGasLimit < uint64(withModexp.VerificationGasLimit) || op.PreVerificationGas < uint64(withModexp.PreVerificationGas) {
		t.Errorf("built limits %d/%d below the bundler's %d/%d", op.VerificationGasLimit, op.PreVerificationGas, withModexp.VerificationGasLimit, withModexp.PreVerificationGas)
	}
	maxFee, tip, ok, err := q.GasPrice(devchaintest.Context(t))
	if err != nil || !ok {
		t.Fatalf("Alto's price: %v, %v", ok, err)
	}
	if op.MaxPriorityFeePerGas.Cmp(tip) != 0 || op.MaxFeePerGas.Cmp(maxFee) < 0 {
		t.Errorf("fees %s (tip %s), Alto asks %s (tip %s)", op.MaxFeePerGas, op.MaxPriorityFeePerGas, maxFee, tip)
	}
}
