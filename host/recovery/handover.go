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

// HandoverOf reads, from the chain, what owner must sign to take over acct: whether it can (a card account
// owner does not own yet), then the hash and the nonce in one round. The hash comes from the contract itself,
// never from whoever asks.
func HandoverOf(ctx context.Context, eth *ethclient.Client, factory, rec common.Address, owner account.Owner, acct common.Address) (Handover, error) {
	key, card, err := cardKeyHash(ctx, eth, factory, acct)
	switch {
	case err != nil:
		return Handover{}, err
	case !card:
		return Handover{}, fmt.Errorf("%w: %s", ErrNotCardAccount, acct)
	case key == owner.KeyHash():
		return Handover{}, fmt.Errorf("%w: %s", ErrAlreadyOwner, acct)
	}
	var r round
	hash := r.call(rec, contracts.CardRecovery, "recoveryHash", acct, owner.E, owner.N)
	nonce := r.call(rec, contracts.CardRecovery, "nonce", acct)
	if err := r.send(ctx, eth); err != nil {
		return Handover{}, err
	}
	h, err := hash.unpack()
	if err != nil {
		return Handover{}, err
	}
	n, err := nonce.unpack()
	if err != nil {
		return Handover{}, err
	}
	if !n[0].(*big.Int).IsUint64() {
		return Handover{}, fmt.Errorf("recovery: nonce %s of %s", n[0], acct)
	}
	return Handover{Recovery: rec, Hash: h[0].([32]byte), Nonce: n[0].(*big.Int).Uint64()}, nil
}
