package account

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
)

// Relayer is the host's built-in bundler: it sends EntryPoint.handleOps from its own secp256k1 key, pays the
// transaction's gas and is paid back by the account (it is the beneficiary).
type Relayer struct {
	Client *ethclient.Client
	Key    *ecdsa.PrivateKey
	// PollInterval is the longest wait between receipt checks (they start at 10 ms); zero means 500 ms.
	PollInterval time.Duration

	mu sync.Mutex // one handleOps at a time keeps the relayer's nonces in order
}

// Submit sends handleOps([op], relayer), waits for the receipt and checks the operation's
// UserOperationEvent.
func (r *Relayer) Submit(ctx context.Context, op *UserOperation, entryPoint common.Address) (common.Hash, error) {
	from := crypto.PubkeyToAddress(r.Key.PublicKey)
	data, err := contracts.EntryPoint.Pack("handleOps", []PackedUserOperation{op.Pack()}, from)
	if err != nil {
		return common.Hash{}, err
	}
	receipt, chainID, err := r.transact(ctx, "handleOps", entryPoint, nil, data)
	if err != nil {
		return receiptHash(receipt), err
	}
	return receipt.TxHash, checkUserOpEvent(receipt, op.Hash(chainID, entryPoint))
}

// Transact sends a plain transaction of value wei (nil: none) and data to to from the relayer's key (what a
// call needs that no UserOperation carries: finishing a recovery, deploying a contract through the
// deterministic proxy, an operator's deposit), waits for it and fails if it reverted.
func (r *Relayer) Transact(ctx context.Context, to common.Address, value *big.Int, data []byte) (common.Hash, error) {
	receipt, _, err := r.transact(ctx, "transaction", to, value, data)
	return receiptHash(receipt), err
}

func (r *Relayer) transact(ctx context.Context, what string, to common.Address, value *big.Int, data []byte) (*types.Receipt, *big.Int, error) {
	tx, chainID, err := r.send(ctx, what, crypto.PubkeyToAddress(r.Key.PublicKey), to, value, data)
	if err != nil {
		return nil, nil, err
	}
	receipt, err := waitReceipt(ctx, r.Client, tx, r.PollInterval)
	if err != nil {
		return &types.Receipt{TxHash: tx}, nil, err
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		return receipt, nil, fmt.Errorf("account: %s %s reverted", what, tx)
	}
	return receipt, chainID, nil
}

func receiptHash(r *types.Receipt) common.Hash {
	if r == nil {
		return common.Hash{}
	}
	return r.TxHash
}

func (r *Relayer) send(ctx context.Context, what string, from, to common.Address, value *big.Int, data []byte) (common.Hash, *big.Int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if value == nil {
		value = new(big.Int)
	}
	gas, err := r.Client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &to, Value: value, Data: data})
	if err != nil {
		return common.Hash{}, nil, fmt.Errorf("account: %s simulation: %w", what, withRevert(err))
	}
	maxFee, tip, err := Fees(ctx, r.Client)
	if err != nil {
		return common.Hash{}, nil, err
	}
	chainID, err := r.Client.ChainID(ctx)
	if err != nil {
		return common.Hash{}, nil, err
	}
	nonce, err := r.Client.PendingNonceAt(ctx, from)
	if err != nil {
		return common.Hash{}, nil, err
	}
	tx, err := types.SignNewTx(r.Key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: maxFee, Gas: withMargin(gas), To: &to, Value: value, Data: data,
	})
	if err != nil {
		return common.Hash{}, nil, err
	}
	if err := r.Client.SendTransaction(ctx, tx); err != nil {
		return common.Hash{}, nil, fmt.Errorf("account: sending %s: %w", what, err)
	}
	return tx.Hash(), chainID, nil
}

func waitReceipt(ctx context.Context, c *ethclient.Client, tx common.Hash, every time.Duration) (*types.Receipt, error) {
	if every <= 0 {
		every = 500 * time.Millisecond
	}
	poll := newPoller(every)
	for {
		r, err := c.TransactionReceipt(ctx, tx)
		if err == nil {
			// A node can index the receipt a moment before its block becomes "latest"; the caller reads
			// balances and the next nonce there, so wait for the head too.
			head, herr := c.BlockNumber(ctx)
			if herr != nil {
				return nil, fmt.Errorf("account: head block: %w", herr)
			}
			if r.BlockNumber == nil || r.BlockNumber.Uint64() <= head {
				return r, nil
			}
		} else if !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress") {
			// (geth answers "transaction indexing is in progress" for a fresh transaction on a young chain.)
			return nil, fmt.Errorf("account: receipt of %s: %w", tx, err)
		}
		if err := poll.wait(ctx); err != nil {
			return nil, fmt.Errorf("account: waiting for %s: %w", tx, err)
		}
	}
}

// checkUserOpEvent finds the UserOperationEvent of userOpHash in receipt and reports a failed execution.
func checkUserOpEvent(receipt *types.Receipt, userOpHash common.Hash) error {
	event := contracts.EntryPoint.ABI().Events["UserOperationEvent"]
	for _, l := range receipt.Logs {
		if len(l.Topics) < 2 || l.Topics[0] != event.ID || l.Topics[1] != userOpHash {
			continue
		}
		vals, err := event.Inputs.NonIndexed().Unpack(l.Data)
		if err != nil {
			return err
		}
		if ok, _ := vals[1].(bool); !ok {
			return fmt.Errorf("account: user operation %s executed with success=false in %s", userOpHash, receipt.TxHash)
		}
		return nil
	}
	return fmt.Errorf("account: no UserOperationEvent for %s in %s", userOpHash, receipt.TxHash)
}
