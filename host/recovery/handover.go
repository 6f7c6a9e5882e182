package recovery

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
)

// Reasons a card cannot apply to take over an account, found before its PIN is asked for.
var (
	// ErrNotCardAccount: the address is not a deployed card account of the factory (a mistyped address,
	// or an account that never sent anything: nothing to take over, it is still its first card's).
	ErrNotCardAccount = errors.New("recovery: not a deployed card account of this chain's factory")
	// ErrAlreadyOwner: the card already owns the account.
	ErrAlreadyOwner = errors.New("recovery: the card already owns the account")
)

// Handover is what a new card signs to take over an account: CardRecovery's recoveryHash(account, e, n) at
// the account's current nonce. The same signature serves a guardian's startRecovery and the previous card's
// rotateByOwner, until the nonce moves.
type Handover struct {
	Recovery common.Address
	Hash     common.Hash
	Nonce    uint64
}

// HandoverOf reads, from the chain, what owner must sign to take over acct. The hash comes from the
// contract itself, never from whoever asks.
func HandoverOf(ctx context.Context, eth *ethclient.Client, factory, rec common.Address, owner account.Owner, acct common.Address) (Handover, error) {
	card, err := account.CallOne(ctx, eth, factory, contracts.CardAccountFactory, "isCardAccount", acct)
	if err != nil {
		return Handover{}, fmt.Errorf("recovery: isCardAccount: %w", err)
	}
	if !card.(bool) {
		return Handover{}, fmt.Errorf("%w: %s", ErrNotCardAccount, acct)
	}
	key, err := account.CallOne(ctx, eth, acct, contracts.CardAccount, "keyHash")
	if err != nil {
		return Handover{}, fmt.Errorf("recovery: keyHash: %w", err)
	}
	if common.Hash(key.([32]byte)) == owner.KeyHash() {
		return Handover{}, fmt.Errorf("%w: %s", ErrAlreadyOwner, acct)
	}
	hash, err := account.CallOne(ctx, eth, rec, contracts.CardRecovery, "recoveryHash", acct, owner.E, owner.N)
	if err != nil {
		return Handover{}, fmt.Errorf("recovery: recoveryHash: %w", err)
	}
	nonce, err := account.CallOne(ctx, eth, rec, contracts.CardRecovery, "nonce", acct)
	if err != nil {
		return Handover{}, fmt.Errorf("recovery: nonce: %w", err)
	}
	n := nonce.(*big.Int)
	if !n.IsUint64() {
		return Handover{}, fmt.Errorf("recovery: nonce %s of %s", n, acct)
	}
	return Handover{Recovery: rec, Hash: hash.([32]byte), Nonce: n.Uint64()}, nil
}
