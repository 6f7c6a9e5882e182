package account

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
)

// Submitter puts a signed UserOperation on chain and returns the hash of the transaction that included it,
// once mined. A mined operation that failed (UserOperationEvent.success false) returns the hash and an error.
type Submitter interface {
	Submit(ctx context.Context, op *UserOperation, entryPoint common.Address) (common.Hash, error)
}

// SignUserOperation has the card sign op, which must be this account's, over its v0.8 userOpHash for this
// chain and EntryPoint; op.Signature is replaced.
func (a *Account) SignUserOperation(op *UserOperation) error {
	if op.Sender != a.addr {
		return fmt.Errorf("account: user operation for %s, not this account %s", op.Sender, a.addr)
	}
	op.Signature = nil
	sig, err := a.sign(op.Hash(a.chainID, a.entryPoint))
	if err != nil {
		return err
	}
	op.Signature = sig
	return nil
}

// Send builds a UserOperation running calls (BuildUserOperation, quoted by sub when sub is a Quoter), has the
// card sign it and submits it through sub; it returns the real transaction hash, for eth_sendTransaction and
// wallet_sendCalls.
func (a *Account) Send(ctx context.Context, sub Submitter, calls []contracts.Call) (common.Hash, error) {
	q, _ := sub.(Quoter)
	op, err := a.BuildUserOperation(ctx, calls, BuildOptions{Quoter: q})
	if err != nil {
		return common.Hash{}, err
	}
	if err := a.SignUserOperation(op); err != nil {
		return common.Hash{}, err
	}
	return sub.Submit(ctx, op, a.entryPoint)
}
