package wallet_test

import (
	"errors"
	"math/big"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/wallet"
)

// The review's gas burner: a page sends 1 wei to a contract that burns a
// million gas on receipt. The sheet shows the fee prepared for exactly that
// call, and the account pays no more than that maximum.
func TestTheAccountPaysAtMostTheFeeTheSheetShowed(t *testing.T) {
	for _, sub := range submitters {
		t.Run(sub.name, func(t *testing.T) {
			e := newEnv(t, setup{freshKey: true, config: sub.config(t)})
			addr := e.fund(devchaintest.Ether(2), nil)
			burner := devchaintest.DeployGasBurner(t, e.chain, 1_000_000)
			call := protocol.EthCall{To: protocol.Address(burner), Value: big.NewInt(1)}
			prep, err := e.wallet.PrepareCalls(devchaintest.Context(t), e.prepareParams(call))
			if err != nil {
				t.Fatal(err)
			}
			shown := prep.Fee.MaxCost()
			if prep.MaxCost != "0x"+shown.Text(16) || prep.Fee.CallGasLimit < 1_000_000 || prep.Fee.CallGasLimit > account.MaxCallGas {
				t.Fatalf("prepared %+v", prep)
			}
			p := e.unpreparedSend("1234", call)
			p.Fee = prep.Fee
			fees := devchaintest.MeterFees(t, e.chain, addr)
			if _, err := e.wallet.SendCalls(devchaintest.Context(t), p); err != nil {
				t.Fatal(err)
			}
			prefund, paid := fees.Since(big.NewInt(1))
			if prefund.Cmp(shown) > 0 || paid.Sign() <= 0 || paid.Cmp(shown) > 0 {
				t.Errorf("the account prefunded %s and paid %s wei in fees; the sheet showed at most %s", prefund, paid, shown)
			}
			t.Logf("fee paid %s wei of at most %s shown (%.0f%%)", paid, shown, 100*float64(paid.Int64())/float64(shown.Int64()))
		})
	}
}

// Calls that need more gas than a card account allows are refused before
// the sheet (PrepareCalls) and before the PIN (SendCalls), and a fee that
// claims more than the caps is refused too: a page cannot raise them.
func TestGasAboveTheCapsIsRefusedBeforeThePIN(t *testing.T) {
	e := newEnv(t, setup{freshKey: true})
	e.fund(devchaintest.Ether(2), nil)
	heavy := protocol.EthCall{To: protocol.Address(devchaintest.DeployGasBurner(t, e.chain, 2_000_000)), Value: big.NewInt(1)}
	if _, err := e.wallet.PrepareCalls(devchaintest.Context(t), e.prepareParams(heavy)); !errors.Is(err, account.ErrGasLimit) {
		t.Errorf("PrepareCalls: err = %v, want ErrGasLimit", err)
	}
	if _, err := e.wallet.SendCalls(devchaintest.Context(t), e.unpreparedSend("1234", heavy)); !errors.Is(err, account.ErrGasLimit) {
		t.Errorf("SendCalls: err = %v, want ErrGasLimit", err)
	}
	light := protocol.EthCall{To: protocol.Address(devchaintest.DeployGasBurner(t, e.chain, 100_000)), Value: big.NewInt(1)}
	p := e.unpreparedSend("1234", light)
	p.Fee.CallGasLimit = account.MaxCallGas + 1
	if _, err := e.wallet.SendCalls(devchaintest.Context(t), p); !errors.Is(err, account.ErrGasLimit) {
		t.Errorf("SendCalls with a fee above the cap: err = %v, want ErrGasLimit", err)
	}
	if n := e.verifies.Load(); n != 0 {
		t.Errorf("%d VERIFY with a PIN", n)
	}
}

// A fee lower than the calls now need, or a maxFeePerGas below the chain's
// base fee, is FEE_CHANGED before the PIN: the person must see the new fee.
func TestAFeeThatNoLongerCoversTheCallsIsRefusedBeforeThePIN(t *testing.T) {
	e := newEnv(t, setup{freshKey: true})
	e.fund(devchaintest.Ether(2), nil)
	call := protocol.EthCall{To: protocol.Address(devchaintest.DeployGasBurner(t, e.chain, 300_000)), Value: big.NewInt(1)}
	for name, change := range map[string]func(*protocol.EthFee){
		"less call gas":          func(f *protocol.EthFee) { f.CallGasLimit = 100_000 },
		"less verification gas":  func(f *protocol.EthFee) { f.VerificationGasLimit = 1_000 },
		"fee below the base fee": func(f *protocol.EthFee) { f.MaxFeePerGas, f.MaxPriorityFeePerGas = big.NewInt(1), big.NewInt(1) },
		"tip above the fee":      func(f *protocol.EthFee) { f.MaxPriorityFeePerGas = new(big.Int).Add(f.MaxFeePerGas, big.NewInt(1)) },
	} {
		p := e.sendParams("1234", call)
		change(&p.Fee)
		if _, err := e.wallet.SendCalls(devchaintest.Context(t), p); !errors.Is(err, wallet.ErrFeeChanged) {
			t.Errorf("%s: err = %v, want ErrFeeChanged", name, err)
		}
	}
	if n := e.verifies.Load(); n != 0 {
		t.Errorf("%d VERIFY with a PIN", n)
	}
}
