package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
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

// GasEstimate is a bundler's eth_estimateUserOperationGas answer: the limits it would accept the operation with.
type GasEstimate struct {
	PreVerificationGas   hexutil.Uint64 `json:"preVerificationGas"`
	VerificationGasLimit hexutil.Uint64 `json:"verificationGasLimit"`
	CallGasLimit         hexutil.Uint64 `json:"callGasLimit"`
	// The paymaster's, when the operation names one.
	PaymasterVerificationGasLimit hexutil.Uint64 `json:"paymasterVerificationGasLimit"`
	PaymasterPostOpGasLimit       hexutil.Uint64 `json:"paymasterPostOpGasLimit"`
}

// Estimate asks the bundler for op's gas limits (eth_estimateUserOperationGas). op must carry a stand-in
// signature that makes validation do a real signature's work (BuildUserOperation's, just below the
// modulus), or the estimate leaves out the RSA check.
func (b *Bundler) Estimate(ctx context.Context, op *UserOperation, entryPoint common.Address) (GasEstimate, error) {
	var est GasEstimate
	if err := b.RPC.CallContext(ctx, &est, "eth_estimateUserOperationGas", op, entryPoint); err != nil {
		return GasEstimate{}, fmt.Errorf("account: eth_estimateUserOperationGas: %w", withRevert(err))
	}
	return est, nil
}

// methodNotFound is JSON-RPC's code for a method the server does not have.
const methodNotFound = -32601

// GasPrice asks the bundler what it charges now (pimlico_getUserOperationGasPrice, its "standard" tier): a
// bundler may insist on more than the node's price. ok is false when the bundler has no such method; the
// chain's own price (Fees) applies then.
func (b *Bundler) GasPrice(ctx context.Context) (maxFee, tip *big.Int, ok bool, err error) {
	var prices struct {
		Standard *struct {
			MaxFeePerGas         *hexutil.Big `json:"maxFeePerGas"`
			MaxPriorityFeePerGas *hexutil.Big `json:"maxPriorityFeePerGas"`
		} `json:"standard"`
	}
	err = b.RPC.CallContext(ctx, &prices, "pimlico_getUserOperationGasPrice")
	switch code, ok := answered(err); {
	case ok && code == methodNotFound:
		return nil, nil, false, nil
	case err != nil:
		return nil, nil, false, fmt.Errorf("account: pimlico_getUserOperationGasPrice: %w", err)
	case prices.Standard == nil || prices.Standard.MaxFeePerGas == nil || prices.Standard.MaxPriorityFeePerGas == nil:
		return nil, nil, false, errors.New("account: pimlico_getUserOperationGasPrice: no standard price in the answer")
	}
	return prices.Standard.MaxFeePerGas.ToInt(), prices.Standard.MaxPriorityFeePerGas.ToInt(), true, nil
}

// Refusal finds a bundler's JSON-RPC error answer inside an HTTP error status: bundlers (Alto among them)
// answer a refused operation with HTTP 500 and the reason in the body. That is the bundler saying no, not an
// endpoint out of reach.
func Refusal(err error) (string, bool) {
	code, message, ok := httpAnswer(err)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%s (code %d)", message, code), true
}

// answered reports whether err is the server's JSON-RPC error answer, plain or inside an HTTP error status,
// and its code.
func answered(err error) (code int, ok bool) {
	var re rpc.Error
	if errors.As(err, &re) {
		return re.ErrorCode(), true
	}
	code, _, ok = httpAnswer(err)
	return code, ok
}

func httpAnswer(err error) (code int, message string, ok bool) {
	var he rpc.HTTPError
	if !errors.As(err, &he) {
		return 0, "", false
	}
	var body struct {
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(he.Body, &body) != nil || body.Error == nil {
		return 0, "", false
	}
	return body.Error.Code, body.Error.Message, true
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
