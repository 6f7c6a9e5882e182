package devchain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
)

// ErrReverted is returned (wrapped) by Send and WaitMined for a transaction that was mined but failed.
var ErrReverted = errors.New("devchain: transaction reverted")

// Send signs a transaction from key to to (nil creates a contract) with value and data, with estimated gas
// and current fees, sends it and waits for its receipt. A reverted transaction returns its receipt and an
// error wrapping ErrReverted.
func (c *Chain) Send(ctx context.Context, key *ecdsa.PrivateKey, to *common.Address, value *big.Int, data []byte) (*types.Receipt, error) {
	heads, unsubscribe := c.subscribeHeads()
	defer unsubscribe()
	tx, err := c.sendTx(ctx, key, to, value, data)
	if err != nil {
		return nil, err
	}
	return c.waitMined(ctx, tx.Hash(), heads)
}

// SendTransaction sends an already signed transaction and waits for its receipt, like Send.
func (c *Chain) SendTransaction(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	heads, unsubscribe := c.subscribeHeads()
	defer unsubscribe()
	if err := c.client.SendTransaction(ctx, tx); err != nil {
		return nil, fmt.Errorf("devchain: sending %s: %w", tx.Hash(), err)
	}
	return c.waitMined(ctx, tx.Hash(), heads)
}

// WaitMined waits for the receipt of the transaction hash, woken by each new block rather than a timer.
func (c *Chain) WaitMined(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	heads, unsubscribe := c.subscribeHeads()
	defer unsubscribe()
	return c.waitMined(ctx, hash, heads)
}

// Fund sends wei of ether and mints jpyc (in 18-decimal units) of TestJPYC to to, from the faucet; nil or
// zero amounts are skipped.
func (c *Chain) Fund(ctx context.Context, to common.Address, wei, jpyc *big.Int) error {
	if wei != nil && wei.Sign() > 0 {
		if _, err := c.Send(ctx, FaucetKey, &to, wei, nil); err != nil {
			return fmt.Errorf("devchain: funding %s with ether: %w", to, err)
		}
	}
	if jpyc != nil && jpyc.Sign() > 0 {
		data, err := contracts.TestJPYC.Pack("mint", to, jpyc)
		if err != nil {
			return err
		}
		token := c.token
		if _, err := c.Send(ctx, FaucetKey, &token, nil, data); err != nil {
			return fmt.Errorf("devchain: minting JPYC for %s: %w", to, err)
		}
	}
	return nil
}

func (c *Chain) sendTx(ctx context.Context, key *ecdsa.PrivateKey, to *common.Address, value *big.Int, data []byte) (*types.Transaction, error) {
	if value == nil {
		value = new(big.Int)
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	gas, err := c.client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: to, Value: value, Data: data})
	if err != nil {
		return nil, fmt.Errorf("devchain: estimating gas from %s: %w%s", from, err, revertSuffix(err))
	}
	head, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("devchain: %w", err)
	}
	tip := big.NewInt(1_000_000) // 0.001 gwei: above the miner's minimum, cheap
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)

	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	nonce, err := c.client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("devchain: %w", err)
	}
	// The pool's pending nonce can lag a transaction just sent while a block is being sealed; the nonce
	// this chain handed out last is authoritative for keys it sends from.
	if next, ok := c.nonces[from]; ok && next > nonce {
		nonce = next
	}
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(c.ChainID()), &types.DynamicFeeTx{
		ChainID:   c.ChainID(),
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: feeCap,
		// EntryPoint.handleOps checks gasleft() against the UserOperations' limits, so estimation's exact
		// figure can fail by the 1/64 rule; a margin costs nothing (only gas used is paid).
		Gas:   gas + gas/5,
		To:    to,
		Value: value,
		Data:  data,
	})
	if err != nil {
		return nil, err
	}
	if err := c.client.SendTransaction(ctx, tx); err != nil {
		delete(c.nonces, from)
		return nil, fmt.Errorf("devchain: sending from %s: %w", from, err)
	}
	c.nonces[from] = nonce + 1
	return tx, nil
}

// revertSuffix renders the revert data an RPC error carries (", reverted with FailedOp(0, \"AA24 …\")").
func revertSuffix(err error) string {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return ""
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return ""
	}
	data, decodeErr := hexutil.Decode(s)
	if decodeErr != nil || len(data) == 0 {
		return ""
	}
	return ": " + contracts.DecodeRevert(data)
}

// subscribeHeads subscribes to new canonical blocks before a transaction is sent, so that the block that
// includes it cannot be missed.
func (c *Chain) subscribeHeads() (<-chan core.ChainHeadEvent, func()) {
	ch := make(chan core.ChainHeadEvent, 16)
	sub := c.backend.BlockChain().SubscribeChainHeadEvent(ch)
	return ch, sub.Unsubscribe
}

func (c *Chain) waitMined(ctx context.Context, hash common.Hash, heads <-chan core.ChainHeadEvent) (*types.Receipt, error) {
	for {
		receipt, err := c.client.TransactionReceipt(ctx, hash)
		var retry <-chan time.Time
		switch {
		case err == nil && c.backend.BlockChain().CurrentBlock().Number.Cmp(receipt.BlockNumber) < 0:
			// The receipt is indexed a moment before its block becomes the head: until then "latest"
			// state (balances, the next nonce) does not show the transaction yet.
		case err == nil && receipt.Status == types.ReceiptStatusSuccessful:
			return receipt, nil
		case err == nil:
			return receipt, fmt.Errorf("%w: %s (gas used %d)", ErrReverted, hash, receipt.GasUsed)
		case strings.Contains(err.Error(), "indexing is in progress"):
			// Right after start the transaction indexer may lag the block that holds the transaction:
			// no further block may come, so ask again shortly instead of waiting for one.
			retry = time.After(5 * time.Millisecond)
		case !errors.Is(err, ethereum.NotFound):
			return nil, fmt.Errorf("devchain: receipt of %s: %w", hash, err)
		}
		select {
		case <-heads:
		case <-retry:
		case <-ctx.Done():
			return nil, fmt.Errorf("devchain: waiting for %s: %w", hash, ctx.Err())
		}
	}
}
