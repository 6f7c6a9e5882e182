package wallet_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/wallet"
)

// jpycTransfer is the call sending amount test JPYC to to.
func (e *env) jpycTransfer(to common.Address, amount *big.Int) protocol.EthCall {
	e.t.Helper()
	data, err := contracts.TestJPYC.Pack("transfer", to, amount)
	if err != nil {
		e.t.Fatal(err)
	}
	return protocol.EthCall{To: protocol.Address(e.chain.Token()), Value: new(big.Int), Data: data}
}

// An account holding JPYC and no ETH is offered the fee in JPYC through the network's fee paymaster: the
// sheet's fee names the paymaster, its rate and the most it can take; the operation goes through with that
// fee (through the relayer and through Alto), the recipient gets the JPYC, and the account pays at most the
// most shown and never holds ETH.
func TestAnAccountWithOnlyJPYCPaysItsFeeInJPYC(t *testing.T) {
	for i, sub := range submitters {
		t.Run(sub.name, func(t *testing.T) {
			e := newEnv(t, setup{freshKey: true, config: sub.config(t)})
			addr := e.fund(nil, devchaintest.Ether(1_000))
			to := common.HexToAddress("0x00000000000000000000000000000000000fee0" + string(rune('0'+i)))
			call := e.jpycTransfer(to, devchaintest.Ether(100))
			prep, err := e.wallet.PrepareCalls(devchaintest.Context(t), e.prepareParams(call))
			if err != nil {
				t.Fatal(err)
			}
			pm := prep.Fee.Paymaster
			if pm == nil || common.Address(pm.Address) != e.chain.Paymaster() || common.Address(pm.Token) != e.chain.Token() ||
				pm.TokenPerNative.Cmp(devchain.JPYCPerETH) != 0 || pm.MaxTokenCost.Sign() <= 0 {
				t.Fatalf("prepared fee %+v, paymaster %+v", prep.Fee, pm)
			}
			p := e.unpreparedSend("1234", call)
			p.Fee = prep.Fee
			if _, err := e.wallet.SendCalls(devchaintest.Context(t), p); err != nil {
				t.Fatal(err)
			}
			paid := new(big.Int).Sub(devchaintest.Ether(900), devchaintest.TokenBalance(t, e.chain, addr))
			if got := devchaintest.TokenBalance(t, e.chain, to); got.Cmp(devchaintest.Ether(100)) != 0 {
				t.Errorf("the recipient holds %s", got)
			}
			if paid.Sign() <= 0 || paid.Cmp(pm.MaxTokenCost) > 0 {
				t.Errorf("the fee was %s JPYC units; the sheet showed at most %s", paid, pm.MaxTokenCost)
			}
			if devchaintest.Balance(t, e.chain, addr).Sign() != 0 {
				t.Error("the account holds ETH")
			}
			t.Logf("fee %s of at most %s JPYC units", paid, pm.MaxTokenCost)
		})
	}
}

// Paying in JPYC is refused before the PIN when the calls leave too little JPYC for the fee, and when the
// paymaster's rate rose above the one the sheet showed.
func TestAFeeInJPYCThatCannotBePaidCostsNoPINTry(t *testing.T) {
	to := common.HexToAddress("0x00000000000000000000000000000000000fee10")
	for _, sub := range submitters {
		t.Run("sending everything, "+sub.name, func(t *testing.T) {
			e := newEnv(t, setup{freshKey: true, config: sub.config(t)})
			e.fund(nil, devchaintest.Ether(1_000))
			if _, err := e.wallet.PrepareCalls(devchaintest.Context(t), e.prepareParams(e.jpycTransfer(to, devchaintest.Ether(1_000)))); !errors.Is(err, wallet.ErrReverted) ||
				!strings.Contains(err.Error(), "does not cover the fee") {
				t.Errorf("%v, want TRANSACTION_REVERTED saying the fee is not covered", err)
			}
		})
	}

	e := newEnv(t, setup{freshKey: true})
	e.fund(nil, devchaintest.Ether(1_000))

	call := e.jpycTransfer(to, devchaintest.Ether(1))
	prep, err := e.wallet.PrepareCalls(devchaintest.Context(t), e.prepareParams(call))
	if err != nil || prep.Fee.Paymaster == nil {
		t.Fatalf("prepared %+v, %v", prep.Fee, err)
	}
	setRate(t, e.chain, new(big.Int).Add(devchain.JPYCPerETH, big.NewInt(1)))
	t.Cleanup(func() { setRate(t, e.chain, devchain.JPYCPerETH) })
	p := e.unpreparedSend("1234", call)
	p.Fee = prep.Fee
	if _, err := e.wallet.SendCalls(devchaintest.Context(t), p); !errors.Is(err, wallet.ErrFeeChanged) {
		t.Errorf("after the rate rose: %v, want FEE_CHANGED", err)
	}
	if n := e.verifies.Load(); n != 0 {
		t.Errorf("%d VERIFY with a PIN", n)
	}
}

// setRate sets the dev chain's paymaster rate, as its operator (the faucet key).
func setRate(t testing.TB, c *devchain.Chain, rate *big.Int) {
	t.Helper()
	data, err := contracts.JPYCFeePaymaster.Pack("setRate", rate)
	if err != nil {
		t.Fatal(err)
	}
	pm := c.Paymaster()
	if _, err := c.Send(devchaintest.Context(t), devchain.FaucetKey, &pm, nil, data); err != nil {
		t.Fatal(err)
	}
}

// The fee object goes back to the host as the sheet showed it; one changed since (another paymaster, a most
// a unit higher, a rate below the paymaster's) is refused before the PIN, and nothing is signed for it.
func TestAFeeInJPYCOtherThanTheSheetShowedIsRefused(t *testing.T) {
	e := newEnv(t, setup{freshKey: true})
	e.fund(nil, devchaintest.Ether(1_000))
	call := e.jpycTransfer(common.HexToAddress("0x00000000000000000000000000000000000fee30"), devchaintest.Ether(1))
	prep, err := e.wallet.PrepareCalls(devchaintest.Context(t), e.prepareParams(call))
	if err != nil || prep.Fee.Paymaster == nil {
		t.Fatalf("prepared %+v, %v", prep.Fee, err)
	}
	for _, tt := range []struct {
		name   string
		change func(pm *protocol.EthFeePaymaster)
	}{
		{"another paymaster", func(pm *protocol.EthFeePaymaster) { pm.Address = protocol.Address(e.chain.Token()) }},
		{"a most a unit higher", func(pm *protocol.EthFeePaymaster) { pm.MaxTokenCost = new(big.Int).Add(pm.MaxTokenCost, big.NewInt(1)) }},
		{"a rate below the paymaster's", func(pm *protocol.EthFeePaymaster) {
			pm.TokenPerNative = new(big.Int).Sub(pm.TokenPerNative, big.NewInt(1))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fee := prep.Fee
			pm := *prep.Fee.Paymaster
			tt.change(&pm)
			fee.Paymaster = &pm
			p := e.unpreparedSend("1234", call)
			p.Fee = fee
			if _, err := e.wallet.SendCalls(devchaintest.Context(t), p); !errors.Is(err, wallet.ErrFeeChanged) {
				t.Errorf("err = %v, want FEE_CHANGED", err)
			}
			if n := e.verifies.Load(); n != 0 {
				t.Errorf("%d VERIFY with a PIN", n)
			}
		})
	}
}
