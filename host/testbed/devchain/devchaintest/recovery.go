package devchaintest

import (
	gocrypto "crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
)

// StartRecovery starts handing acct to a new card: guardian (acct's one address guardian, quorum one)
// approves, the new card (newOwner, whose key newCard signs with) proves it holds its key, and the faucet
// sends startRecovery. What a guardian and the recovering person do together, for the tests that watch
// what follows (the owner's sheets, a cancel, the renewed card taking over).
func StartRecovery(t testing.TB, c *devchain.Chain, acct common.Address, newOwner account.Owner, newCard gocrypto.Signer, guardian *ecdsa.PrivateKey) {
	t.Helper()
	rec := c.Recovery()
	hash := common.Hash(CallAs[[32]byte](t, c, rec, contracts.CardRecovery, "recoveryHash", acct, newOwner.E, newOwner.N))
	digest := sha256.Sum256(hash[:])
	newOwnerSig, err := newCard.Sign(rand.Reader, digest[:], gocrypto.SHA256)
	if err != nil {
		t.Fatalf("the new card's signature: %v", err)
	}
	approval, err := crypto.Sign(hash[:], guardian)
	if err != nil {
		t.Fatal(err)
	}
	approval[64] += 27
	data, err := contracts.CardRecovery.Pack("startRecovery", acct, newOwner.E, newOwner.N, newOwnerSig,
		[][]byte{crypto.PubkeyToAddress(guardian.PublicKey).Bytes()}, [][]byte{approval})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(Context(t), devchain.FaucetKey, &rec, nil, data); err != nil {
		t.Fatalf("startRecovery: %v", err)
	}
}
