package wallet_test

import (
	"context"
	"crypto/sha256"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/cards/virtual"
	"github.com/mynaconnect/mynaconnect/host/devchain"
	"github.com/mynaconnect/mynaconnect/host/devchain/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testpki"
	"github.com/mynaconnect/mynaconnect/host/vcard"
	"github.com/mynaconnect/mynaconnect/host/wallet"
)

const reader = "Virtual PCD 00 00"

// One dev chain serves every test of the package; each test that needs an
// account of its own makes a card with a fresh key (the wallet offers one
// account per card).
var (
	chainOnce sync.Once
	devChain  *devchain.Chain
	chainErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if devChain != nil {
		devChain.Close()
	}
	os.Exit(code)
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

func chain(t testing.TB) *devchain.Chain {
	t.Helper()
	chainOnce.Do(func() {
		devChain, chainErr = devchain.Start(context.Background(), devchain.Options{Addr: "127.0.0.1:0", BlockPeriod: 100 * time.Millisecond})
	})
	if chainErr != nil {
		t.Fatal(chainErr)
	}
	return devChain
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
	res, err := e.wallet.Account(ctx(e.t), protocol.EthAccountParams{ChainID: e.chain.ChainID().Uint64()})
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

func (e *env) sendParams(pin string, calls ...protocol.EthCall) protocol.EthSendCallsParams {
	e.t.Helper()
	p := e.signParams(pin)
	return protocol.EthSendCallsParams{ChainID: p.ChainID, Account: p.Account, CertificateSHA256: p.CertificateSHA256, PIN: p.PIN, Calls: calls}
}

// fund gives the card's account ether and JPYC.
func (e *env) fund(wei, jpyc *big.Int) common.Address {
	e.t.Helper()
	id, _ := e.identity()
	addr := common.HexToAddress(id.Address)
	if err := e.chain.Fund(ctx(e.t), addr, wei, jpyc); err != nil {
		e.t.Fatal(err)
	}
	return addr
}

func (e *env) retries() int {
	auth, _ := e.card.Retries()
	return auth
}

// valid checks a signature as a dapp's server does: ERC-6492's deployless
// validator in an eth_call, for wrapped and plain ERC-1271 signatures alike.
func valid(t testing.TB, c *devchain.Chain, signer common.Address, hash common.Hash, sig []byte) bool {
	t.Helper()
	data, err := contracts.ValidateSigOffchain.DeployData(signer, hash, sig)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Client().CallContract(ctx(t), ethereum.CallMsg{Data: data}, nil)
	return err == nil && len(out) == 1 && out[0] == 1
}

func callAs[T any](t testing.TB, c *devchain.Chain, to common.Address, a *contracts.Artifact, method string, args ...any) T {
	t.Helper()
	data, err := a.Pack(method, args...)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Client().CallContract(ctx(t), ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		t.Fatalf("%s.%s: %v", a.Name, method, err)
	}
	vals, err := a.Unpack(method, out)
	if err != nil {
		t.Fatal(err)
	}
	return vals[0].(T)
}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

func certSHA(der []byte) []byte {
	s := sha256.Sum256(der)
	return s[:]
}

func ownerOf(t testing.TB, c *vcard.Card) account.Owner {
	t.Helper()
	card, err := jpki.Open(c)
	if err != nil {
		t.Fatal(err)
	}
	der, err := card.ReadAuthCertificate()
	if err != nil {
		t.Fatal(err)
	}
	o, err := account.OwnerFromCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
