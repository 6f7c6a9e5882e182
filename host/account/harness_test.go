package account_test

import (
	"context"
	"crypto"
	"fmt"
	"math/big"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/devchain"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/vcard"
	"github.com/mynaconnect/mynaconnect/host/vcard/vcardtest"
)

// Dev chains are shared by the tests (keyed by chain id) and closed by TestMain; every test uses accounts
// of its own (accountIndex), so tests do not see each other's state.
var (
	chainsMu     sync.Mutex
	chains       = map[uint64]*devchain.Chain{}
	accountIndex atomic.Int64
	relayers     sync.Map // chain id → *account.Relayer (one per chain keeps the relayer key's nonces in order)
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, c := range chains {
		c.Close()
	}
	os.Exit(code)
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

func chain(t testing.TB, chainID uint64) *devchain.Chain {
	t.Helper()
	chainsMu.Lock()
	defer chainsMu.Unlock()
	if c, ok := chains[chainID]; ok {
		return c
	}
	// BlockPeriod seals idle blocks too: a safety net should a transaction arrive just after the producer's
	// Commit and wait for the next event (one run of this package once hung 120 s deploying the EntryPoint).
	c, err := devchain.Start(ctx(t), devchain.Options{Addr: "127.0.0.1:0", ChainID: chainID, BlockPeriod: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	chains[chainID] = c
	return c
}

func defaultChain(t testing.TB) *devchain.Chain { return chain(t, devchain.DefaultChainID) }

func relayer(c *devchain.Chain) *account.Relayer {
	r, _ := relayers.LoadOrStore(c.ChainID().Uint64(), &account.Relayer{Client: c.Client(), Key: devchain.RelayerKey, PollInterval: 5 * time.Millisecond})
	return r.(*account.Relayer)
}

// virtualCard is the product path: the in-process virtual card through jpki, PIN verified, its auth key as
// the account's signer and its auth certificate as the account's identity.
type virtualCard struct {
	vc    *vcard.Card
	card  *jpki.Card
	owner account.Owner
}

func openCard(t testing.TB) *virtualCard {
	t.Helper()
	vc := vcardtest.NewCard(t, nil)
	card, err := jpki.Open(vc)
	if err != nil {
		t.Fatal(err)
	}
	der, err := card.ReadAuthCertificate()
	if err != nil {
		t.Fatal(err)
	}
	owner, err := account.OwnerFromCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := card.VerifyAuthPIN([]byte(vcard.DefaultAuthPIN)); err != nil {
		t.Fatal(err)
	}
	return &virtualCard{vc: vc, card: card, owner: owner}
}

// newAccount opens the account of card with a fresh index on c.
func newAccount(t testing.TB, c *devchain.Chain, card *virtualCard) *account.Account {
	return newAccountAt(t, c, card, big.NewInt(accountIndex.Add(1)))
}

func newAccountAt(t testing.TB, c *devchain.Chain, card *virtualCard, index *big.Int) *account.Account {
	t.Helper()
	client, err := rpc.DialContext(ctx(t), c.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	a, err := account.New(ctx(t), client, account.Config{Factory: c.AccountFactory(), EntryPoint: c.EntryPoint(), Index: index},
		card.owner, card.card.AuthKey(card.owner.Pub))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// deploy creates the account through its factory, as a dapp or anyone may.
func deploy(t testing.TB, c *devchain.Chain, a *account.Account, index *big.Int) {
	t.Helper()
	data, err := a.Owner().FactoryData(index)
	if err != nil {
		t.Fatal(err)
	}
	f := c.AccountFactory()
	if _, err := c.Send(ctx(t), devchain.FaucetKey, &f, nil, data); err != nil {
		t.Fatal(err)
	}
}

var erc1271Magic = [4]byte{0x16, 0x26, 0xba, 0x7e}

// valid checks a signature as a dapp's server does: ERC-6492's deployless validator in an eth_call, which
// handles wrapped signatures of undeployed accounts and plain ERC-1271 signatures of deployed ones alike.
func valid(t testing.TB, c *devchain.Chain, signer common.Address, hash common.Hash, sig []byte) bool {
	t.Helper()
	data, err := contracts.ValidateSigOffchain.DeployData(signer, hash, sig)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Client().CallContract(ctx(t), ethereum.CallMsg{Data: data}, nil)
	return err == nil && len(out) == 1 && out[0] == 1
}

// valid1271 asks the deployed account itself.
func valid1271(t testing.TB, c *devchain.Chain, acct common.Address, hash common.Hash, sig []byte) bool {
	t.Helper()
	data, err := contracts.CardAccount.Pack("isValidSignature", hash, sig)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Client().CallContract(ctx(t), ethereum.CallMsg{To: &acct, Data: data}, nil)
	if err != nil {
		return false
	}
	vals, err := contracts.CardAccount.Unpack("isValidSignature", out)
	return err == nil && vals[0].([4]byte) == erc1271Magic
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

func mailJSON(chainID *big.Int, contents string) []byte {
	return []byte(fmt.Sprintf(`{
  "types": {
    "EIP712Domain": [{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
    "Person": [{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
    "Mail": [{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]
  },
  "primaryType": "Mail",
  "domain": {"name":"Ether Mail","version":"1","chainId":%s,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
  "message": {"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":%q}
}`, chainID, contents))
}

// newAccountWithSigner is card's account signed by another signer (a wrong card).
func newAccountWithSigner(t testing.TB, c *devchain.Chain, card *virtualCard, signer crypto.Signer) *account.Account {
	t.Helper()
	client, err := rpc.DialContext(ctx(t), c.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	a, err := account.New(ctx(t), client, account.Config{Factory: c.AccountFactory(), EntryPoint: c.EntryPoint()}, card.owner, signer)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
