package account_test

import (
	"crypto"
	"math/big"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// Dev chains are shared by the tests (one per chain id, see devchaintest.Shared); every test uses accounts
// of its own (accountIndex), so tests do not see each other's state.
var (
	accountIndex atomic.Int64
	relayers     sync.Map // chain id → *account.Relayer (one per chain keeps the relayer key's nonces in order)
)

func TestMain(m *testing.M) { os.Exit(devchaintest.Run(m)) }

func chain(t testing.TB, chainID uint64) *devchain.Chain {
	t.Helper()
	// BlockPeriod seals idle blocks too: a safety net should a transaction arrive just after the producer's
	// Commit and wait for the next event (one run of this package once hung 120 s deploying the EntryPoint).
	return devchaintest.Shared(t, devchain.Options{ChainID: chainID, BlockPeriod: 100 * time.Millisecond})
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
	card, owner := devchaintest.CardOwner(t, vc)
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
	return devchaintest.NewAccount(t, c, card.owner, card.card.AuthKey(card.owner.Pub), index)
}

// newAccountWithSigner is card's account signed by another signer (a wrong card).
func newAccountWithSigner(t testing.TB, c *devchain.Chain, card *virtualCard, signer crypto.Signer) *account.Account {
	t.Helper()
	return devchaintest.NewAccount(t, c, card.owner, signer, nil)
}
