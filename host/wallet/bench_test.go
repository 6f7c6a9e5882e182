package wallet_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// BenchmarkSendCalls measures ethSendCalls end to end, from the request to
// the receipt: certificate (cached), UserOperation built and simulated on
// the dev chain, PIN verified and userOpHash signed by the in-process
// virtual card, handleOps sent by the relayer, receipt (polled from 10 ms,
// doubling up to the product's 250 ms). The account is deployed by a
// first, untimed operation, as for every send but a person's first.
func BenchmarkSendCalls(b *testing.B) {
	e := newEnv(b, setup{freshKey: true, receiptPoll: 250 * time.Millisecond})
	e.fund(devchaintest.Ether(100), nil)
	to := protocol.Address(common.HexToAddress("0x00000000000000000000000000000000000be11e"))
	call := protocol.EthCall{To: to, Value: big.NewInt(1)}
	send := func(p protocol.EthSendCallsParams) {
		if _, err := e.wallet.SendCalls(devchaintest.Context(b), p); err != nil {
			b.Fatal(err)
		}
	}
	send(e.sendParams("1234", call))
	b.ResetTimer()
	var elapsed time.Duration
	for range b.N {
		// Each send has its own sheet: prepared (untimed; BenchmarkPrepareCalls) for the state it runs in.
		b.StopTimer()
		p := e.sendParams("1234", call)
		b.StartTimer()
		start := time.Now()
		send(p)
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(elapsed.Microseconds())/1000/float64(b.N), "ms/op")
}

// BenchmarkPrepareCalls measures ethPrepareCalls, what a transaction's
// consent sheet waits for to show its fee: certificate (cached), the
// UserOperation built and its calls simulated on the dev chain (nonce,
// code, estimate, fees). The account is deployed, as for every send but a
// person's first.
func BenchmarkPrepareCalls(b *testing.B) {
	e := newEnv(b, setup{freshKey: true})
	e.fund(devchaintest.Ether(100), nil)
	to := protocol.Address(common.HexToAddress("0x00000000000000000000000000000000000be11e"))
	call := protocol.EthCall{To: to, Value: big.NewInt(1)}
	if _, err := e.wallet.SendCalls(devchaintest.Context(b), e.sendParams("1234", call)); err != nil {
		b.Fatal(err)
	}
	p := e.prepareParams(call)
	b.ResetTimer()
	for range b.N {
		if _, err := e.wallet.PrepareCalls(devchaintest.Context(b), p); err != nil {
			b.Fatal(err)
		}
	}
}
