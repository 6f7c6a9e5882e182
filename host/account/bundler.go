package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// Bundler submits to an ERC-4337 bundler endpoint (the chain configuration's bundler URL):
// eth_sendUserOperation, then eth_getUserOperationReceipt until the operation is included.
type Bundler struct {
	RPC *rpc.Client
	// PollInterval is the longest wait between receipt checks (they start at 10 ms); zero means 1 s.
	PollInterval time.Duration
}

// ErrBundlerMismatch: the bundler serves another chain, or not the EntryPoint the chain's accounts use.
var ErrBundlerMismatch = errors.New("account: the bundler does not serve this chain's EntryPoint")

// Check asks the bundler, once before anything is signed, whether it serves chainID (eth_chainId) and
// entryPoint (eth_supportedEntryPoints): a bundler for another network, or one without EntryPoint v0.8,
// would refuse every operation only after the card had signed it. ErrBundlerMismatch says which; other
// errors are the endpoint's.
func (b *Bundler) Check(ctx context.Context, chainID uint64, entryPoint common.Address) error {
	var id hexutil.Uint64
	if err := b.RPC.CallContext(ctx, &id, "eth_chainId"); err != nil {
		return fmt.Errorf("account: the bundler's eth_chainId: %w", err)
	}
	if uint64(id) != chainID {
		return fmt.Errorf("%w: it serves chain %d, not %d", ErrBundlerMismatch, id, chainID)
	}
	var supported []common.Address
	if err := b.RPC.CallContext(ctx, &supported, "eth_supportedEntryPoints"); err != nil {
		return fmt.Errorf("account: the bundler's eth_supportedEntryPoints: %w", err)
	}
	if !slices.Contains(supported, entryPoint) {
		return fmt.Errorf("%w: it supports %v, not %s", ErrBundlerMismatch, supported, entryPoint)
	}
	return nil
}

type userOpReceipt struct {
	Success bool   `json:"success"`
	Reason  string `json:"reason"`
	Receipt struct {
		TransactionHash common.Hash `json:"transactionHash"`
	} `json:"receipt"`
}

// Submit sends op and waits for its inclusion; it returns the transaction hash from the bundler's receipt.
func (b *Bundler) Submit(ctx context.Context, op *UserOperation, entryPoint common.Address) (common.Hash, error) {
	var userOpHash common.Hash
	if err := b.RPC.CallContext(ctx, &userOpHash, "eth_sendUserOperation", op, entryPoint); err != nil {
		return common.Hash{}, fmt.Errorf("account: eth_sendUserOperation: %w", withRevert(err))
	}
	every := b.PollInterval
	if every <= 0 {
		every = time.Second
	}
	poll := newPoller(every)
	for {
		var r *userOpReceipt
		if err := b.RPC.CallContext(ctx, &r, "eth_getUserOperationReceipt", userOpHash); err != nil {
			return common.Hash{}, fmt.Errorf("account: eth_getUserOperationReceipt %s: %w", userOpHash, err)
		}
		if r != nil {
			if !r.Success {
				return r.Receipt.TransactionHash, fmt.Errorf("account: user operation %s failed in %s: %s", userOpHash, r.Receipt.TransactionHash, r.Reason)
			}
			return r.Receipt.TransactionHash, nil
		}
		if err := poll.wait(ctx); err != nil {
			return common.Hash{}, fmt.Errorf("account: waiting for user operation %s: %w", userOpHash, err)
		}
	}
}
