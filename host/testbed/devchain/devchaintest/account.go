package devchaintest

import (
	"crypto"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
)

// CardOwner opens the JPKI application of vc, a virtual My Number card, as
// the host opens a card, and returns it with the account owner its
// authentication certificate makes. It verifies no PIN: a test that signs
// verifies it on the returned card, one that counts PIN tries has had none
// spent.
func CardOwner(t testing.TB, vc *vcard.Card) (*jpki.Card, account.Owner) {
	t.Helper()
	card, err := jpki.Open(vc)
	if err != nil {
		t.Fatalf("opening the card: %v", err)
	}
	der, err := card.ReadAuthCertificate()
	if err != nil {
		t.Fatalf("reading the authentication certificate: %v", err)
	}
	owner, err := account.OwnerFromCertificate(der)
	if err != nil {
		t.Fatalf("the account owner of the certificate: %v", err)
	}
	return card, owner
}

// OwnerOf is the account owner of p's authentication key, as the host derives it from the card.
func OwnerOf(t testing.TB, p *testpki.PKI) account.Owner {
	t.Helper()
	owner, err := account.OwnerFromPublicKey(&p.AuthKey.PublicKey)
	if err != nil {
		t.Fatalf("the account owner of the test PKI: %v", err)
	}
	return owner
}

// NewAccount opens owner's card account with index on c (a nil index is
// account.Config's default), signed by signer, over an RPC client closed
// when the test ends.
func NewAccount(t testing.TB, c *devchain.Chain, owner account.Owner, signer crypto.Signer, index *big.Int) *account.Account {
	t.Helper()
	client, err := rpc.DialContext(Context(t), c.RPCURL())
	if err != nil {
		t.Fatalf("dialing the dev chain: %v", err)
	}
	t.Cleanup(client.Close)
	cfg := account.Config{Factory: c.AccountFactory(), EntryPoint: c.EntryPoint(), Index: index}
	a, err := account.New(Context(t), client, cfg, owner, signer)
	if err != nil {
		t.Fatalf("opening the account: %v", err)
	}
	return a
}

// Deploy creates owner's card account with index through the chain's
// factory, the faucet paying: anyone may, a dapp for one.
func Deploy(t testing.TB, c *devchain.Chain, owner account.Owner, index *big.Int) {
	t.Helper()
	data, err := owner.FactoryData(index)
	if err != nil {
		t.Fatalf("encoding createAccount: %v", err)
	}
	f := c.AccountFactory()
	if _, err := c.Send(Context(t), devchain.FaucetKey, &f, nil, data); err != nil {
		t.Fatalf("deploying the account: %v", err)
	}
}
