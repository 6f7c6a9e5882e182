package account_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// BenchmarkSignPersonal measures one personal_sign by the virtual card (PIN verified once) and reports the
// APDUs each signature takes from the vcard log.
func BenchmarkSignPersonal(b *testing.B) {
	c := defaultChain(b)
	card := openCard(b)
	a := newAccount(b, c, card)
	card.vc.ResetLog()
	n := 0
	for b.Loop() {
		if _, err := a.SignPersonal(devchaintest.Context(b), []byte("hello")); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(len(card.vc.Log()))/float64(n), "APDUs/sig")
}

// BenchmarkUserOperation measures build + card signature + relay (handleOps mined, receipt checked) of an
// ETH transfer from a deployed account on the dev chain.
func BenchmarkUserOperation(b *testing.B) {
	c := defaultChain(b)
	a := newAccount(b, c, openCard(b))
	if err := c.Fund(devchaintest.Context(b), a.Address(), devchaintest.Ether(100), nil); err != nil {
		b.Fatal(err)
	}
	dest := common.HexToAddress("0x0000000000000000000000000000000000be9c40")
	calls := []contracts.Call{{Target: dest, Value: big.NewInt(1)}}
	if _, err := a.Send(devchaintest.Context(b), relayer(c), calls); err != nil { // deploys: not measured
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := a.Send(devchaintest.Context(b), relayer(c), calls); err != nil {
			b.Fatal(err)
		}
	}
}
