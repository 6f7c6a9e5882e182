package wallet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/account/feepaymaster"
	"github.com/mynaconnect/mynaconnect/host/protocol"
)

// PrepareCalls answers ethPrepareCalls: the UserOperation that would run
// the calls is built and simulated, without the PIN, and its gas limits and
// fees come back for the consent sheet to show. Calls that would revert are
// ErrReverted, calls over the gas caps account.ErrGasLimit, calls to a
// configured token whose contract says other decimals or another symbol
// ErrChainUnconfigured: the person sees why before being asked anything.
func (s *Service) PrepareCalls(ctx context.Context, p protocol.EthPrepareCallsParams) (protocol.EthPrepareCallsResult, error) {
	n, err := s.network(p.ChainID)
	if err != nil {
		return protocol.EthPrepareCallsResult{}, err
	}
	// A chain that cannot submit says so now, not after the PIN.
	sub, err := s.submitter(ctx, n)
	if err != nil {
		return protocol.EthPrepareCallsResult{}, err
	}
	if err := s.checkTokens(ctx, n, p.Calls); err != nil {
		return protocol.EthPrepareCallsResult{}, err
	}
	want := common.Address(p.Account)
	o, err := s.readOwner(ctx, n, p.Reader, p.CertificateSHA256, &want)
	if err != nil {
		return protocol.EthPrepareCallsResult{}, err
	}
	a, err := s.accountOf(ctx, n, o, nil)
	if err != nil {
		return protocol.EthPrepareCallsResult{}, err
	}
	op, sponsor, err := s.prepare(ctx, n, a, p.Calls, sub)
	if err != nil {
		return protocol.EthPrepareCallsResult{}, err
	}
	fee := protocol.EthFee{CallGasLimit: op.CallGasLimit, VerificationGasLimit: op.VerificationGasLimit,
		PreVerificationGas: op.PreVerificationGas, MaxFeePerGas: op.MaxFeePerGas, MaxPriorityFeePerGas: op.MaxPriorityFeePerGas, Paymaster: sponsor}
	return protocol.EthPrepareCallsResult{Reader: o.reader, Fee: fee, MaxCost: hexutil.EncodeBig(fee.MaxCost())}, nil
}

// contractCalls is calls as host/account takes them.
func contractCalls(calls []protocol.EthCall) []contracts.Call {
	batch := make([]contracts.Call, len(calls))
	for i, c := range calls {
		batch[i] = contracts.Call{Target: common.Address(c.To), Value: c.Value, Data: c.Data}
	}
	return batch
}

// build builds and simulates the UserOperation running calls, its fee paid
// by the account; a bundler (sub) sizes and prices it too.
func build(ctx context.Context, a *account.Account, calls []protocol.EthCall, sub account.Submitter) (*account.UserOperation, error) {
	q, _ := sub.(account.Quoter)
	return buildWith(ctx, a, calls, account.BuildOptions{Quoter: q})
}

// buildWith is build with all of BuildUserOperation's options, its errors
// sorted for the page.
func buildWith(ctx context.Context, a *account.Account, calls []protocol.EthCall, opts account.BuildOptions) (*account.UserOperation, error) {
	op, err := a.BuildUserOperation(ctx, contractCalls(calls), opts)
	switch {
	case err == nil:
		return op, nil
	case errors.Is(err, account.ErrGasLimit):
		return nil, err
	case errors.Is(err, account.ErrBundlerRefused):
		return nil, fmt.Errorf("%w (nothing was signed): %v", ErrSubmitFailed, err)
	case isRevert(err):
		return nil, fmt.Errorf("%w (nothing was signed): %v", ErrReverted, err)
	}
	return nil, nodeError("building the user operation", err)
}

// useShownFee puts the fee the sheet showed on op, which was just built
// afresh: the account then pays at most what was shown. The fresh
// simulation must fit the shown limits (account.Covers) and the chain's base
// fee the shown maxFeePerGas (account.FeesCover); otherwise ErrFeeChanged,
// before the card is asked. With a paymaster, its limits must fit too, and
// the most it can take at the shown limits and rate must be the most shown,
// which the operation's batch approves.
func useShownFee(op *account.UserOperation, shown protocol.EthFee, calls int) error {
	if err := account.CheckGasCaps(shown.CallGasLimit, shown.VerificationGasLimit, shown.PreVerificationGas, calls); err != nil {
		return err
	}
	pm := shown.Paymaster
	switch {
	case !account.Covers(shown.CallGasLimit, op.CallGasLimit), !account.Covers(shown.VerificationGasLimit, op.VerificationGasLimit),
		op.PreVerificationGas > shown.PreVerificationGas:
		return fmt.Errorf("%w: the calls now need gas %d/%d/%d, the sheet showed %d/%d/%d", ErrFeeChanged,
			op.CallGasLimit, op.VerificationGasLimit, op.PreVerificationGas, shown.CallGasLimit, shown.VerificationGasLimit, shown.PreVerificationGas)
	case !account.FeesCover(shown.MaxFeePerGas, shown.MaxPriorityFeePerGas, op):
		return fmt.Errorf("%w: the chain now asks maxFeePerGas %s (tip %s), the sheet showed %s (tip %s)", ErrFeeChanged,
			op.MaxFeePerGas, op.MaxPriorityFeePerGas, shown.MaxFeePerGas, shown.MaxPriorityFeePerGas)
	case pm != nil && (op.PaymasterVerificationGasLimit > pm.VerificationGasLimit || op.PaymasterPostOpGasLimit > pm.PostOpGasLimit):
		return fmt.Errorf("%w: the paymaster now needs gas %d/%d, the sheet showed %d/%d", ErrFeeChanged,
			op.PaymasterVerificationGasLimit, op.PaymasterPostOpGasLimit, pm.VerificationGasLimit, pm.PostOpGasLimit)
	}
	op.CallGasLimit, op.VerificationGasLimit, op.PreVerificationGas = shown.CallGasLimit, shown.VerificationGasLimit, shown.PreVerificationGas
	op.MaxFeePerGas, op.MaxPriorityFeePerGas = new(big.Int).Set(shown.MaxFeePerGas), new(big.Int).Set(shown.MaxPriorityFeePerGas)
	if pm != nil {
		op.PaymasterVerificationGasLimit, op.PaymasterPostOpGasLimit = pm.VerificationGasLimit, pm.PostOpGasLimit
		if most := feepaymaster.MaxTokenCost(op, pm.TokenPerNative); most.Cmp(pm.MaxTokenCost) != 0 {
			return fmt.Errorf("%w: the paymaster can take at most %s token units at the shown limits, the sheet showed %s", ErrFeeChanged, most, pm.MaxTokenCost)
		}
	}
	return nil
}

// SendCalls answers ethSendCalls (eth_sendTransaction, wallet_sendCalls).
// It takes over p.PIN and clears it.
//
// The UserOperation is built and simulated again before the card is asked
// for anything but its certificate: calls that would revert fail with
// ErrReverted and cost no PIN try, and the operation gets exactly the gas
// limits and fees of p.Fee, the ones the sheet showed (useShownFee). Then
// the card signs the userOpHash, the chain's submitter puts the operation
// on chain, and the answer waits for the receipt.
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
	if err := s.checkTokens(ctx, n, p.Calls); err != nil {
		return protocol.EthSendCallsResult{}, err
	}
	a, signer, err := s.open(ctx, p.ChainID, common.Address(p.Account), p.CertificateSHA256, p.PIN, p.Reader)
	if err != nil {
		return protocol.EthSendCallsResult{}, err
	}
	var op *account.UserOperation
	if p.Fee.Paymaster != nil {
		if err := checkShownPaymaster(n, p.Fee.Paymaster); err != nil {
			return protocol.EthSendCallsResult{}, err
		}
		op, _, err = s.buildPaid(ctx, n, a, p.Calls, sub, p.Fee.Paymaster)
	} else {
		op, err = build(ctx, a, p.Calls, sub)
	}
	if err != nil {
		return protocol.EthSendCallsResult{}, err
	}
	calls := len(p.Calls)
	if p.Fee.Paymaster != nil {
		calls++ // the approval of the paymaster
	}
	if err := useShownFee(op, p.Fee, calls); err != nil {
		return protocol.EthSendCallsResult{}, err
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
	refusal, refused := account.Refusal(err)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return fmt.Errorf("wallet: user operation %s: %w", userOpHash, err)
	case refused:
		return fmt.Errorf("%w: user operation %s: the bundler answered: %s", ErrSubmitFailed, userOpHash, refusal)
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
