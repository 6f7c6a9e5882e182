package wallet_test

import (
	"context"
	"crypto/sha256"
	"math/big"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/cards/virtual"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/wallet"
)

const reader = "Virtual PCD 00 00"

// One dev chain serves every test of the package (devchaintest.Shared); each
// test that needs an account of its own makes a card with a fresh key (the
// wallet offers one account per card).
func TestMain(m *testing.M) { os.Exit(devchaintest.Run(m)) }

func chain(t testing.TB) *devchain.Chain {
	t.Helper()
	return devchaintest.Shared(t, devchain.Options{BlockPeriod: 100 * time.Millisecond})
}

// submitters are the two ways a chain takes UserOperations: the built-in relayer of the dev configuration,
// and a bundler (Alto in ERC-7562 safe mode, which also sizes and prices them). Tests of sending run
// through both.
var submitters = []struct {
	name   string
	config func(t testing.TB) func(*chainconfig.File)
}{
	{"built-in relayer", func(testing.TB) func(*chainconfig.File) { return nil }},
	{"Alto in safe mode", func(t testing.TB) func(*chainconfig.File) {
		url := devchaintest.Bundler(t, chain(t))
		return func(f *chainconfig.File) { f.Networks[0].BundlerURL = url }
	}},
}

// env is a wallet over the dev chain and a card service with one virtual
// reader, counting the VERIFY commands that carry a PIN.
type env struct {
	t        testing.TB
	chain    *devchain.Chain
	backend  *virtual.Backend
	cards    *cards.Service
	wallet   *wallet.Service
	card     *vcard.Card
	verifies atomic.Int32
	apdus    atomic.Int32
}

type setup struct {
	// config edits the chain configuration written for the wallet; nil
	// keeps the dev chain's.
	config func(*chainconfig.File)
	// noConfig points the wallet at a file that does not exist.
	noConfig bool
	// card edits the card; freshKey gives it a key of its own.
	card     func(*vcard.Config)
	freshKey bool
	// receiptPoll is the wallet's; zero means 10 ms, which keeps the tests
	// quick on a chain that seals on arrival.
	receiptPoll time.Duration
}

func newEnv(t testing.TB, s setup) *env {
	t.Helper()
	e := &env{t: t, chain: chain(t), backend: virtual.New(reader)}
	e.backend.OnTransmit = func(_ string, hdr [4]byte, n int) {
		e.apdus.Add(1)
		if hdr[1] == jpki.InsVerify && n > 0 {
			e.verifies.Add(1)
		}
	}
	e.cards = cards.New(e.backend, cards.Config{})
	e.cards.Start()
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		e.cards.Close(c)
	})

	path := filepath.Join(t.TempDir(), "chains.json")
	if !s.noConfig {
		f := e.chain.ConfigFile()
		if s.config != nil {
			s.config(f)
		}
		if err := f.Write(path); err != nil {
			t.Fatal(err)
		}
	}
	if s.receiptPoll == 0 {
		s.receiptPoll = 10 * time.Millisecond
	}
	e.wallet = wallet.New(wallet.Config{Cards: e.cards, ConfigPath: path, ReceiptPoll: s.receiptPoll})
	t.Cleanup(e.wallet.Close)

	cfg, err := vcard.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	if s.freshKey {
		p, err := testpki.Generate(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		cfg = vcard.ConfigFromPKI(p)
	}
	if s.card != nil {
		s.card(&cfg)
	}
	if e.card, err = vcard.New(cfg); err != nil {
		t.Fatal(err)
	}
	e.backend.Insert(reader, e.card)
	e.waitIdentified()
	return e
}

func (e *env) waitIdentified() {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		rs, err := e.cards.Readers(context.Background())
		if err == nil && len(rs) == 1 && rs[0].State == cards.StateMyNumber {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	e.t.Fatal("the card was never identified")
}

// identity is what the consent sheet shows: the card's account and
// certificate, from ethAccount.
func (e *env) identity() (protocol.EthAccountResult, []byte) {
	e.t.Helper()
	res, err := e.wallet.Account(devchaintest.Context(e.t), protocol.EthAccountParams{ChainID: e.chain.ChainID().Uint64()})
	if err != nil {
		e.t.Fatal(err)
	}
	return res, common.FromHex(res.CertificateSHA256)
}

func (e *env) signParams(pin string) protocol.EthSignParams {
	e.t.Helper()
	id, sha := e.identity()
	return protocol.EthSignParams{
		ChainID:           e.chain.ChainID().Uint64(),
		Account:           protocol.Address(common.HexToAddress(id.Address)),
		CertificateSHA256: sha,
		PIN:               protocol.PIN(pin),
	}
}

// sendParams is ethSendCalls' params as the extension sends them: the fee
// is the one ethPrepareCalls answered for the same calls, what the sheet
// showed.
func (e *env) sendParams(pin string, calls ...protocol.EthCall) protocol.EthSendCallsParams {
	e.t.Helper()
	p := e.unpreparedSend(pin, calls...)
	prep, err := e.wallet.PrepareCalls(devchaintest.Context(e.t), e.prepareParams(calls...))
	if err != nil {
		e.t.Fatal(err)
	}
	p.Fee = prep.Fee
	return p
}

// prepareParams is ethPrepareCalls' params for calls by the card's account.
func (e *env) prepareParams(calls ...protocol.EthCall) protocol.EthPrepareCallsParams {
	e.t.Helper()
	p := e.signParams("")
	return protocol.EthPrepareCallsParams{ChainID: p.ChainID, Account: p.Account, CertificateSHA256: p.CertificateSHA256, Calls: calls}
}

// unpreparedSend is ethSendCalls' params with a fee nobody prepared (a
// million gas at 10 gwei): for requests that fail before the fee matters,
// or that must fail because of it.
func (e *env) unpreparedSend(pin string, calls ...protocol.EthCall) protocol.EthSendCallsParams {
	e.t.Helper()
	p := e.signParams(pin)
	fee := protocol.EthFee{CallGasLimit: 700_000, VerificationGasLimit: 250_000, PreVerificationGas: 50_000,
		MaxFeePerGas: big.NewInt(10e9), MaxPriorityFeePerGas: big.NewInt(1e9)}
	return protocol.EthSendCallsParams{ChainID: p.ChainID, Account: p.Account, CertificateSHA256: p.CertificateSHA256, PIN: p.PIN, Calls: calls, Fee: fee}
}

// fund gives the card's account ether and JPYC.
func (e *env) fund(wei, jpyc *big.Int) common.Address {
	e.t.Helper()
	id, _ := e.identity()
	addr := common.HexToAddress(id.Address)
	if err := e.chain.Fund(devchaintest.Context(e.t), addr, wei, jpyc); err != nil {
		e.t.Fatal(err)
	}
	return addr
}

func (e *env) retries() int {
	auth, _ := e.card.Retries()
	return auth
}

func certSHA(der []byte) []byte {
	s := sha256.Sum256(der)
	return s[:]
}
