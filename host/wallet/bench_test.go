package wallet_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/protocol"
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
	shown := e.sendParams("1234", protocol.EthCall{To: to, Value: big.NewInt(1)}) // what the sheet showed
	send := func() {
		p := shown
		p.PIN = protocol.PIN("1234") // the wallet clears each request's PIN
		if _, err := e.wallet.SendCalls(devchaintest.Context(b), p); err != nil {
			b.Fatal(err)
		}
	}
	send()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		send()
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
}
