package wallet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/mynaconnect/mynaconnect/host/failure"
)

// Errors of the service, each carrying its protocol code. Card errors come
// from the card service as they are.
var (
	// ErrChainUnconfigured: no chain configuration, the chain id is not in
	// it, or the chain has no way to submit.
	ErrChainUnconfigured = failure.New(failure.ChainUnconfigured, "wallet: chain not configured")
	// ErrChainUnavailable: the chain's (or bundler's) endpoint cannot be
	// reached.
	ErrChainUnavailable = failure.New(failure.ChainUnavailable, "wallet: chain endpoint unreachable")
	// ErrMethodNotAllowed: ethRpc asked for a method off the read-only
	// list; nothing was sent.
	ErrMethodNotAllowed = failure.New(failure.RPCMethodNotAllowed, "wallet: RPC method not allowed")
	// ErrResultTooLarge: the node's answer does not fit in a message.
	ErrResultTooLarge = failure.New(failure.ResultTooLarge, "wallet: RPC result too large")
	// ErrAccountMismatch: the card is not the owner of the account the
	// request names; nothing was signed and no PIN sent.
	ErrAccountMismatch = failure.New(failure.AccountMismatch, "wallet: the card does not own the account")
	// ErrReverted: the calls revert, in simulation or on chain.
	ErrReverted = failure.New(failure.TransactionReverted, "wallet: the calls revert")
	// ErrSubmitFailed: the bundler or relayer refused the operation.
	ErrSubmitFailed = failure.New(failure.SubmitFailed, "wallet: submission refused")
	// ErrFeeChanged: the operation now needs more gas, or the chain a
	// higher fee, than the sheet showed; nothing was signed.
	ErrFeeChanged = failure.New(failure.FeeChanged, "wallet: the fee is no longer what the sheet showed")
)

// RPCError is an error answer from a node.
type RPCError struct {
	Method   string
	NodeCode int // the JSON-RPC error code the node answered
	Message  string
	// Data is the error's data as text (revert data is a hex string
	// already; anything else is its JSON), empty when there was none.
	Data string
}

func (e *RPCError) Error() string {
	return fmt.Sprintf("wallet: %s: the node answered error %d: %s", e.Method, e.NodeCode, e.Message)
}

// Code is RPC_ERROR: the page gets the node's own error.
func (e *RPCError) Code() failure.Code { return failure.RPCError }

// nodeError sorts an error from a JSON-RPC call: the node's own error
// answer becomes an *RPCError, a deadline stays itself (TIMEOUT), and
// anything else means the endpoint could not be reached or did not speak
// JSON-RPC.
func nodeError(method string, err error) error {
	var re rpc.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return fmt.Errorf("wallet: %s: %w", method, err)
	case errors.As(err, &re):
		e := &RPCError{Method: method, NodeCode: re.ErrorCode(), Message: re.Error()}
		var de rpc.DataError
		if errors.As(err, &de) && de.ErrorData() != nil {
			if s, ok := de.ErrorData().(string); ok {
				e.Data = s
			} else if b, jerr := json.Marshal(de.ErrorData()); jerr == nil {
				e.Data = string(b)
			}
		}
		return e
	}
	return fmt.Errorf("%w: %s: %v", ErrChainUnavailable, method, err)
}

// isRevert reports whether an error from a simulation is the EVM reverting
// (code 3 with revert data, or go-ethereum's "execution reverted" without).
func isRevert(err error) bool {
	var re rpc.Error
	return errors.As(err, &re) && (re.ErrorCode() == 3 || strings.Contains(re.Error(), "execution reverted"))
}
