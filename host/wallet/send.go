package wallet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/protocol"
)

// SendCalls answers ethSendCalls (eth_sendTransaction, wallet_sendCalls).
// It takes over p.PIN and clears it.
//
// The UserOperation is built and simulated before the card is asked for
// anything but its certificate: calls that would revert fail with
// ErrReverted and cost no PIN try. Then the card signs the userOpHash, the
// chain's submitter puts the operation on chain, and the answer waits for
// the receipt.
func (s *Service) SendCalls(ctx context.Context, p protocol.EthSendCallsParams) (protocol.EthSendCallsResult, error) {
	defer p.PIN.Clear()
	n, err := s.network(p.ChainID)
	if err != nil {
		return protocol.EthSendCallsResult{}, err
	}
	sub, err := s.submitter(ctx, n)
	if err != nil {
		return protocol.EthSendCallsResult{}, err
	}
	a, signer, err := s.open(ctx, p.ChainID, common.Address(p.Account), p.CertificateSHA256, p.PIN, p.Reader)
	if err != nil {
		return protocol.EthSendCallsResult{}, err
	}
	calls := make([]contracts.Call, len(p.Calls))
	for i, c := range p.Calls {
		calls[i] = contracts.Call{Target: common.Address(c.To), Value: c.Value, Data: c.Data}
	}
	op, err := a.BuildUserOperation(ctx, calls)
	if err != nil {
		if isRevert(err) {
			return protocol.EthSendCallsResult{}, fmt.Errorf("%w (nothing was signed): %v", ErrReverted, err)
		}
		return protocol.EthSendCallsResult{}, nodeError("building the user operation", err)
	}
	if err := a.SignUserOperation(op); err != nil {
		return protocol.EthSendCallsResult{}, signError(err)
	}
	userOpHash := op.Hash(a.ChainID(), n.cfg.EntryPoint)
	tx, err := sub.Submit(ctx, op, n.cfg.EntryPoint)
	if err != nil {
		return protocol.EthSendCallsResult{}, submitError(userOpHash, tx, err)
	}
	client, err := s.rpc(ctx, n)
	if err != nil {
		return protocol.EthSendCallsResult{}, err
	}
	receipt, err := ethclient.NewClient(client).TransactionReceipt(ctx, tx)
	if err != nil {
		return protocol.EthSendCallsResult{}, nodeError("eth_getTransactionReceipt", err)
	}
	s.log.Printf("chain %d: user operation %s included in %s (block %s)", p.ChainID, userOpHash, tx, receipt.BlockNumber)
	return protocol.EthSendCallsResult{
		Reader:            signer.reader,
		TransactionHash:   tx.Hex(),
		UserOperationHash: userOpHash.Hex(),
		BlockNumber:       receipt.BlockNumber.Uint64(),
		Success:           true,
	}, nil
}

// submitError sorts a submitter's error. Before a transaction exists the
// bundler or relayer refused (its simulation failed, or it answered an
// error); once one exists, a failure is the operation reverting on chain,
// unless the wait itself failed.
func submitError(userOpHash, tx common.Hash, err error) error {
	var re rpc.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return fmt.Errorf("wallet: user operation %s: %w", userOpHash, err)
	case unreachable(err):
		return fmt.Errorf("%w: user operation %s: %v", ErrChainUnavailable, userOpHash, err)
	case tx == (common.Hash{}):
		return fmt.Errorf("%w: user operation %s: %v", ErrSubmitFailed, userOpHash, err)
	case errors.As(err, &re):
		return nodeError("waiting for the receipt", err)
	}
	return fmt.Errorf("%w: user operation %s in transaction %s: %v", ErrReverted, userOpHash, tx, err)
}

// unreachable reports a transport failure: no answer, or an HTTP error
// status instead of a JSON-RPC answer.
func unreachable(err error) bool {
	var ne net.Error
	var he rpc.HTTPError
	return errors.As(err, &ne) || errors.As(err, &he) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
