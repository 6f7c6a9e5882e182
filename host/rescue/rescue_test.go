package rescue

import (
	gocrypto "crypto"
	"crypto/ecdsa"
	"math/big"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/recovery"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

func TestMain(m *testing.M) { os.Exit(devchaintest.Run(m)) }

// cardKey is a virtual card opened as the rescue opens one: its key's owner and the signer behind the PIN.
type cardKey struct {
	owner  account.Owner
	signer gocrypto.Signer
}

func openCard(t testing.TB, vc *vcard.Card) cardKey {
	t.Helper()
	jc, owner := devchaintest.CardOwner(t, vc)
	if err := jc.VerifyAuthPIN([]byte(vcard.DefaultAuthPIN)); err != nil {
		t.Fatal(err)
	}
	return cardKey{owner: owner, signer: jc.AuthKey(owner.Pub)}
}

// renewedCard is the default virtual card after its renewal: the same holder, a new key.
func renewedCard(t testing.TB) cardKey {
	t.Helper()
	old, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := vcardtest.Renewed(t, old)
	return cardKey{owner: devchaintest.OwnerOf(t, p), signer: p.AuthKey}
}

// fundedKey is a secp256k1 key of the person's own with 1 ETH, to pay for the rescue's transactions.
func fundedKey(t testing.TB, c *devchain.Chain) *ecdsa.PrivateKey {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Fund(devchaintest.Context(t), crypto.PubkeyToAddress(key.PublicKey), devchaintest.Ether(1), nil); err != nil {
		t.Fatal(err)
	}
	return key
}

func rescueChain(t testing.TB) (*devchain.Chain, Chain) {
	t.Helper()
	c := devchaintest.Start(t, devchain.Options{})
	client, err := rpc.DialContext(devchaintest.Context(t), c.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	return c, Chain{RPC: client, Factory: c.AccountFactory()}
}

// deployFunded deploys owner's account 0 and gives it 3 ETH and 500 test JPYC.
func deployFunded(t testing.TB, c *devchain.Chain, owner account.Owner) common.Address {
	t.Helper()
	devchaintest.Deploy(t, c, owner, new(big.Int))
	addr, err := owner.Address(c.AccountFactory(), new(big.Int))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Fund(devchaintest.Context(t), addr, devchaintest.Ether(3), devchaintest.Ether(500)); err != nil {
		t.Fatal(err)
	}
	return addr
}

func freshAddress(t testing.TB) common.Address {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return crypto.PubkeyToAddress(key.PublicKey)
}

// TestSweepMovesEverythingWithOnlyTheChain: from the factory's address, the card and a funded key of the
// person's own, every wei and every token leaves for a fresh address.
func TestSweepMovesEverythingWithOnlyTheChain(t *testing.T) {
	c, ch := rescueChain(t)
	card := openCard(t, vcardtest.NewCard(t, nil))
	acct := deployFunded(t, c, card.owner)
	ctx := devchaintest.Context(t)

	found, err := recovery.Accounts(ctx, ethclient.NewClient(ch.RPC), ch.Factory, card.owner, new(big.Int))
	if err != nil || !slices.Equal(found, []common.Address{acct}) {
		t.Fatalf("Accounts: %s, %v; want %s", found, err, acct)
	}
	h, err := Inspect(ctx, ch, acct, []common.Address{c.Token()})
	if err != nil {
		t.Fatal(err)
	}
	if !h.Deployed || h.ETH.Cmp(devchaintest.Ether(3)) != 0 || len(h.Tokens) != 1 || h.Tokens[0].Amount.Cmp(devchaintest.Ether(500)) != 0 ||
		h.Tokens[0].Symbol != "JPYC" || h.Tokens[0].Decimals != 18 {
		t.Fatalf("holdings %+v, tokens %+v", h, h.Tokens)
	}

	payer, to := fundedKey(t, c), freshAddress(t)
	if _, err := Sweep(ctx, ch, card.owner, card.signer, h, acct, payer); err == nil {
		t.Error("a sweep to the account itself went ahead")
	}
	if _, err := Sweep(ctx, ch, card.owner, card.signer, h, to, payer); err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	devchaintest.CheckEmptied(t, c, acct, to, devchaintest.Ether(3), devchaintest.Ether(500))

	empty, err := Inspect(ctx, ch, acct, []common.Address{c.Token()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Sweep(ctx, ch, card.owner, card.signer, empty, to, payer); err == nil || !strings.Contains(err.Error(), "nothing to move") {
		t.Errorf("a sweep of an empty account: %v", err)
	}
}

// TestSweepDeploysAnAccountThatOnlyReceived: money sent to a card account that never sent anything sits at
// an address with no code; the sweep deploys the account in the same operation and moves all of it.
func TestSweepDeploysAnAccountThatOnlyReceived(t *testing.T) {
	c, ch := rescueChain(t)
	card := openCard(t, vcardtest.NewCard(t, nil))
	ctx := devchaintest.Context(t)
	acct, err := card.owner.Address(c.AccountFactory(), new(big.Int))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Fund(ctx, acct, devchaintest.Ether(2), devchaintest.Ether(70)); err != nil {
		t.Fatal(err)
	}
	h, err := Inspect(ctx, ch, acct, []common.Address{c.Token()})
	if err != nil {
		t.Fatal(err)
	}
	if h.Deployed {
		t.Fatal("the account has code before its first operation")
	}
	to := freshAddress(t)
	if _, err := Sweep(ctx, ch, card.owner, card.signer, h, to, fundedKey(t, c)); err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	devchaintest.CheckEmptied(t, c, acct, to, devchaintest.Ether(2), devchaintest.Ether(70))
	if h, err := Inspect(ctx, ch, acct, nil); err != nil || !h.Deployed {
		t.Errorf("after the sweep: deployed %v, %v", h != nil && h.Deployed, err)
	}
}

// TestRescueAfterARenewalAndARecovery: the card was renewed, the old key is gone; a guardian approved the
// recovery, and with nothing but the chain the person finishes it after the delay, finds the account with the
// renewed card (its address follows from the old key) and moves everything out. The old card can no longer
// move anything; a recovery can also be cancelled by the current card.
func TestRescueAfterARenewalAndARecovery(t *testing.T) {
	c, ch := rescueChain(t)
	ctx := devchaintest.Context(t)
	oldCard := openCard(t, vcardtest.NewCard(t, nil))
	acct := deployFunded(t, c, oldCard.owner)
	payer := fundedKey(t, c)
	guardian, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Recovery(ctx, ch)
	if err != nil || rec != c.Recovery() {
		t.Fatalf("Recovery: %s, %v; want %s", rec, err, c.Recovery())
	}
	setGuardians, err := contracts.CardRecovery.Pack("setGuardians", [][]byte{crypto.PubkeyToAddress(guardian.PublicKey).Bytes()}, uint8(1), uint32(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := operate(ctx, ch, acct, oldCard.owner, oldCard.signer, payer, []contracts.Call{{Target: rec, Data: setGuardians}}); err != nil {
		t.Fatalf("setting the guardian: %v", err)
	}

	renewed := renewedCard(t)
	start := func() { devchaintest.StartRecovery(t, c, acct, renewed.owner, renewed.signer, guardian) }

	// A recovery the current card cancels.
	start()
	if _, err := CancelRecovery(ctx, ch, acct, oldCard.owner, oldCard.signer, payer); err != nil {
		t.Fatalf("CancelRecovery: %v", err)
	}
	if err := c.AdvanceTime(72*time.Hour + time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := FinishRecovery(ctx, ch, acct, renewed.owner, payer); err == nil {
		t.Fatal("a cancelled recovery was finished")
	}

	// The real one: the old key is lost, the recovery runs its course.
	start()
	if pending, err := PendingFor(ctx, ch, renewed.owner); err != nil || !slices.Equal(pending, []common.Address{acct}) {
		t.Fatalf("PendingFor the renewed card: %s, %v; want %s", pending, err, acct)
	}
	if _, err := FinishRecovery(ctx, ch, acct, renewed.owner, payer); err == nil {
		t.Fatal("a recovery was finished before its delay")
	}
	if err := c.AdvanceTime(72*time.Hour + time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := FinishRecovery(ctx, ch, acct, renewed.owner, payer); err != nil {
		t.Fatalf("FinishRecovery: %v", err)
	}
	if pending, err := PendingFor(ctx, ch, renewed.owner); err != nil || len(pending) != 0 {
		t.Errorf("PendingFor after the recovery: %s, %v; want none", pending, err)
	}

	// The recovered account first, then the renewed card's own (empty, undeployed) one.
	found, err := recovery.Accounts(ctx, ethclient.NewClient(ch.RPC), ch.Factory, renewed.owner, new(big.Int))
	if err != nil || len(found) != 2 || found[0] != acct {
		t.Fatalf("Find with the renewed card: %s, %v; want %s first", found, err, acct)
	}
	if _, err := recovery.Accounts(ctx, ethclient.NewClient(ch.RPC), ch.Factory, oldCard.owner, new(big.Int)); err != recovery.ErrNoAccount {
		t.Errorf("Accounts with the old card: %v, want ErrNoAccount", err)
	}
	h, err := Inspect(ctx, ch, acct, []common.Address{c.Token()})
	if err != nil {
		t.Fatal(err)
	}
	to := freshAddress(t)
	if _, err := Sweep(ctx, ch, oldCard.owner, oldCard.signer, h, to, payer); err == nil {
		t.Error("the old card swept the account after the recovery")
	}
	if _, err := Sweep(ctx, ch, renewed.owner, renewed.signer, h, to, payer); err != nil {
		t.Fatalf("Sweep with the renewed card: %v", err)
	}
	devchaintest.CheckEmptied(t, c, acct, to, devchaintest.Ether(3), devchaintest.Ether(500))
}
