package chaintest

import (
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// Paymaster operations pay 1 gwei a gas (tip and cap): the dev chain's base fee is a few wei, so the fee in
// JPYC comes out as it would on a network at 1 gwei.
const paymasterGasPrice = 1_000_000_000

// The paymaster's own gas limits in paymasterAndData: validation (the first-operation way decodes the batch;
// the approved way transfers) and postOp (a refund, or the deferred transferFrom).
const (
	paymasterVerificationGas = 150_000
	paymasterPostOpGas       = 80_000
)

// paymasterOp is a's signed UserOperation running calls with the fee paid in JPYC through paymaster, at a
// rate of at most the dev chain's.
func (a *account) paymasterOp(t testing.TB, paymaster common.Address, calls []contracts.Call) *userOp {
	t.Helper()
	return a.paymasterOpAt(t, paymaster, devchain.JPYCPerETH, calls)
}

// paymasterOpAt is paymasterOp accepting a rate of at most maxRate (paymasterData).
func (a *account) paymasterOpAt(t testing.TB, paymaster common.Address, maxRate *big.Int, calls []contracts.Call) *userOp {
	t.Helper()
	op := a.newOp(t, calls)
	op.GasFees = pack128(paymasterGasPrice, paymasterGasPrice)
	var limits [32]byte
	new(big.Int).SetUint64(paymasterVerificationGas).FillBytes(limits[0:16])
	new(big.Int).SetUint64(paymasterPostOpGas).FillBytes(limits[16:32])
	op.PaymasterAndData = append(append(paymaster.Bytes(), limits[:]...), common.BigToHash(maxRate).Bytes()...)
	op.Signature = a.sign(op.hash(a.chain.ChainID(), a.chain.EntryPoint()))
	return op
}

// approvePaymaster is JPYC.approve(the dev chain's paymaster, amount), the call the first-operation way must
// begin with.
func approvePaymaster(t testing.TB, c *devchain.Chain, amount *big.Int) contracts.Call {
	t.Helper()
	return approvePaymasterAt(t, c, c.Paymaster(), amount)
}

func approvePaymasterAt(t testing.TB, c *devchain.Chain, paymaster common.Address, amount *big.Int) contracts.Call {
	t.Helper()
	data, err := contracts.TestJPYC.Pack("approve", paymaster, amount)
	if err != nil {
		t.Fatal(err)
	}
	return contracts.Call{Target: c.Token(), Value: new(big.Int), Data: data}
}

// paymasterDeposit is the paymaster's ETH deposit at the EntryPoint.
func paymasterDeposit(t testing.TB, c *devchain.Chain) *big.Int {
	return devchaintest.CallAs[*big.Int](t, c, c.EntryPoint(), contracts.EntryPoint, "balanceOf", c.Paymaster())
}

// A card account that holds JPYC and no ETH at all sends JPYC, its fee taken in JPYC: first in the same
// operation that deploys it and approves the paymaster (the fee owed and taken after execution), then under
// a standing approval (taken in validation, the rest refunded). The fee covers the gas at the paymaster's
// rate and is never more than the operation's most.
func TestAnAccountWithOnlyJPYCSendsJPYC(t *testing.T) {
	c := defaultChain(t)
	a := newCardAccount(t, c, testCard(t))
	if err := c.Fund(devchaintest.Context(t), a.addr, nil, devchaintest.Ether(2_000)); err != nil {
		t.Fatal(err)
	}
	alice := common.HexToAddress("0x00000000000000000000000000000000a11ce7a0")
	steps := []struct {
		name  string
		calls []contracts.Call
		sent  *big.Int
	}{
		{"first operation: deploy, approve the paymaster, send 10 JPYC",
			[]contracts.Call{approvePaymaster(t, c, devchaintest.Ether(1_000)), devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(10))}, devchaintest.Ether(10)},
		{"under the standing approval: send 5 JPYC", []contracts.Call{devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(5))}, devchaintest.Ether(5)},
		// What's left of the approval is now below the most: the wallet's way, approving in the batch again.
		{"approve again in the batch (the wallet's way): send 2 JPYC",
			[]contracts.Call{approvePaymaster(t, c, devchaintest.Ether(1_000)), devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(2))}, devchaintest.Ether(2)},
	}
	for _, st := range steps {
		accountBefore, aliceBefore, pmBefore := devchaintest.TokenBalance(t, c, a.addr), devchaintest.TokenBalance(t, c, alice), devchaintest.TokenBalance(t, c, c.Paymaster())
		depositBefore := paymasterDeposit(t, c)
		r, err := handleOps(t, c, a.paymasterOp(t, c.Paymaster(), st.calls))
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		fee := new(big.Int).Sub(devchaintest.TokenBalance(t, c, c.Paymaster()), pmBefore)
		paid := new(big.Int).Sub(accountBefore, devchaintest.TokenBalance(t, c, a.addr))
		gasCost := new(big.Int).Sub(depositBefore, paymasterDeposit(t, c))
		atRate := new(big.Int).Div(new(big.Int).Mul(gasCost, devchain.JPYCPerETH), big.NewInt(1e18))
		switch {
		case new(big.Int).Sub(devchaintest.TokenBalance(t, c, alice), aliceBefore).Cmp(st.sent) != 0:
			t.Errorf("%s: alice did not receive %s", st.name, st.sent)
		case new(big.Int).Sub(paid, st.sent).Cmp(fee) != 0:
			t.Errorf("%s: the account paid %s, the transfer %s and the fee %s", st.name, paid, st.sent, fee)
		case fee.Cmp(atRate) < 0:
			t.Errorf("%s: fee %s JPYC units is below the gas the paymaster paid at its rate (%s)", st.name, fee, atRate)
		case devchaintest.Balance(t, c, a.addr).Sign() != 0:
			t.Errorf("%s: the account holds ETH", st.name)
		}
		t.Logf("%s: %d gas; fee ¥%.2f in JPYC at 1 gwei and ¥500,000/ETH (the paymaster's gas cost at its rate ¥%.2f)",
			st.name, r.GasUsed, yen(fee), yen(atRate))
	}
	if devchaintest.CallAs[bool](t, c, c.Paymaster(), contracts.JPYCFeePaymaster, "feeOwed", a.addr) {
		t.Error("the fee taken after execution is still noted as owed")
	}
}

// yen is an amount of JPYC units (18 decimals) in yen.
func yen(units *big.Int) float64 {
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(units), big.NewFloat(1e18)).Float64()
	return f
}

// The paymaster refuses (AA34, before anything runs) an operation without a standing approval that does not
// begin by approving it for at least the operation's most, or whose account holds less JPYC than that, or
// that accepts a lower rate than the paymaster's; and a batch that approves and then moves the JPYC away has
// its whole execution reverted, the paymaster bearing that gas once: the fee stays owed, and the account
// cannot pay that way again.
func TestThePaymasterRefusesWhatItCannotBePaidFor(t *testing.T) {
	c := defaultChain(t)
	alice := common.HexToAddress("0x00000000000000000000000000000000a11ce7a1")
	tests := []struct {
		name    string
		jpyc    int64
		calls   func(a *account) []contracts.Call
		refusal string // empty: included, execution reverted
	}{
		{"no approval first", 2_000, func(*account) []contracts.Call {
			return []contracts.Call{devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(1)), approvePaymaster(t, c, devchaintest.Ether(1_000))}
		}, "AA34"},
		{"an approval below the most", 2_000, func(*account) []contracts.Call {
			return []contracts.Call{approvePaymaster(t, c, devchaintest.Ether(1)), devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(1))}
		}, "AA34"},
		{"too little JPYC", 100, func(*account) []contracts.Call {
			return []contracts.Call{approvePaymaster(t, c, devchaintest.Ether(1_000)), devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(1))}
		}, "AA34"},
		{"a rate below the paymaster's", 2_000, func(*account) []contracts.Call { return nil }, "AA34"},
		{"approve, then move everything away", 2_000, func(*account) []contracts.Call {
			return []contracts.Call{approvePaymaster(t, c, devchaintest.Ether(1_000)), devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(2_000))}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newCardAccount(t, c, testCard(t))
			if err := c.Fund(devchaintest.Context(t), a.addr, nil, devchaintest.Ether(tt.jpyc)); err != nil {
				t.Fatal(err)
			}
			aliceBefore := devchaintest.TokenBalance(t, c, alice)
			op := a.paymasterOp(t, c.Paymaster(), tt.calls(a))
			if tt.calls(a) == nil { // the rate case: a fine batch, a maximum rate one unit below the paymaster's
				op = a.paymasterOpAt(t, c.Paymaster(), new(big.Int).Sub(devchain.JPYCPerETH, big.NewInt(1)),
					[]contracts.Call{approvePaymaster(t, c, devchaintest.Ether(1_000)), devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(1))})
			}
			_, err := handleOps(t, c, op)
			switch {
			case tt.refusal != "" && (err == nil || !strings.Contains(err.Error(), tt.refusal)):
				t.Fatalf("got %v, want a refusal %s", err, tt.refusal)
			case tt.refusal == "" && (err == nil || !strings.Contains(err.Error(), "success=false")):
				t.Fatalf("got %v, want the operation included with its execution reverted", err)
			}
			if devchaintest.TokenBalance(t, c, alice).Cmp(aliceBefore) != 0 {
				t.Error("alice received JPYC")
			}
			if tt.refusal != "" {
				return
			}
			// The fee stays owed: the same account cannot have the paymaster bear its gas again.
			_, err = handleOps(t, c, a.paymasterOp(t, c.Paymaster(), []contracts.Call{approvePaymaster(t, c, devchaintest.Ether(1_000)),
				devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(1))}))
			if err == nil || !strings.Contains(err.Error(), "AA34") {
				t.Errorf("a second first operation: %v, want AA34", err)
			}
		})
	}
}
