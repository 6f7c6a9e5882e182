package wallet_test

import (
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
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

// BenchmarkAccount measures ethAccount, the read every Ethereum sheet waits for, on the dev chain: the
// certificate (cached), the accounts handed to the card, the code, and the protection of a deployed account
// with one guardian (its guardians and their kind, a recovery under way, a scheduled change, the chain's
// time). It reports the round trips to the node per read: on a public network each costs tens of
// milliseconds, which the dev chain does not show.
func BenchmarkAccount(b *testing.B) {
	var trips atomic.Int64
	e := newEnv(b, setup{freshKey: true, config: func(f *chainconfig.File) {
		f.Networks[0].RPCURL = countingProxy(b, f.Networks[0].RPCURL, &trips)
	}})
	e.fund(devchaintest.Ether(1), nil)
	id, _ := e.identity()
	guardian := common.HexToAddress("0x00000000000000000000000000000000000be11e")
	setGuardians, err := contracts.CardRecovery.Pack("setGuardians", [][]byte{guardian.Bytes()}, uint8(1), uint32(0))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.wallet.SendCalls(devchaintest.Context(b), e.sendParams("1234", protocol.EthCall{To: protocol.Address(common.HexToAddress(id.Protection.Recovery)), Data: setGuardians})); err != nil {
		b.Fatal(err)
	}
	p := protocol.EthAccountParams{ChainID: e.chain.ChainID().Uint64()}
	b.ResetTimer()
	trips.Store(0)
	for range b.N {
		res, err := e.wallet.Account(devchaintest.Context(b), p)
		if err != nil || len(res.Protection.Guardians) != 1 {
			b.Fatalf("ethAccount: %+v, %v", res.Protection, err)
		}
	}
	b.ReportMetric(float64(trips.Load())/float64(b.N), "round-trips/op")
}

// countingProxy forwards HTTP to target and counts the requests in trips; it returns its own URL.
func countingProxy(tb testing.TB, target string, trips *atomic.Int64) string {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		trips.Add(1)
		proxy.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL
}
