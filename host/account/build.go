package account

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/failure"
)

// Gas policy of BuildUserOperation. The limits are caps the account prepays (and is refunded) against, so
// margins cost the user nothing but a larger prefund; too low a limit fails the operation.
const (
	// ValidationGas is the budget for validateUserOp itself (RSA-2048 modexp through CardRSA, key read from
	// code, nonce and prefund): measured 60k (Prague) to 90k (Osaka) cold, host/testbed/devchain/GAS.md. The EntryPoint
	// cannot simulate it before the card has signed, so it is a fixed budget with ~40% margin.
	ValidationGas = 130_000
	// GasMarginPercent is added to every simulated amount (eth_estimateGas of the factory call and of the
	// account's execute), plus GasMarginFixed, for state changing between simulation and inclusion.
	GasMarginPercent = 20
	GasMarginFixed   = 10_000
	// bundleOverhead is the EntryPoint's own per-operation work outside the account's limits (event, refund,
	// bookkeeping), added to preVerificationGas together with the transaction's intrinsic and calldata gas.
	bundleOverhead = 20_000
)

// Caps a page cannot raise: a UserOperation whose simulated calls need more is refused with ErrGasLimit
// before anything is shown or signed. A transfer takes under 100k and a swap a few hundred thousand; a call
// that burns millions is a page spending the person's fee.
const (
	// MaxCallGas is the most callGasLimit may be per call of the batch.
	MaxCallGas = 1_500_000
	// MaxOperationGas is the most all of an operation's limits together may be.
	MaxOperationGas = 8_000_000
)

// ErrGasLimit: the calls need more gas than MaxCallGas per call or MaxOperationGas in all.
var ErrGasLimit = failure.New(failure.GasLimitExceeded, "account: the calls need more gas than a card account lets them use")

// CheckGasCaps refuses gas limits above MaxCallGas per call (calls of them) or MaxOperationGas in all.
func CheckGasCaps(callGas, verificationGas, preVerificationGas uint64, calls int) error {
	if callGas > MaxCallGas*uint64(calls) {
		return fmt.Errorf("%w: callGasLimit %d for %d calls, at most %d each", ErrGasLimit, callGas, calls, MaxCallGas)
	}
	if total := callGas + verificationGas + preVerificationGas; total > MaxOperationGas {
		return fmt.Errorf("%w: %d gas in all, at most %d", ErrGasLimit, total, MaxOperationGas)
	}
	return nil
}

func withMargin(g uint64) uint64 { return g + g*GasMarginPercent/100 + GasMarginFixed }

// Covers reports whether a gas limit built earlier (and shown on a consent sheet) still covers a limit built
// now: the simulated amount inside the fresh limit, its margin taken off, must fit. A small rise between the
// sheet and the PIN (a storage slot written meanwhile) then eats into the shown limit's margin instead of
// sending the person back to a new sheet; a rise beyond it does not.
func Covers(shown, fresh uint64) bool {
	simulated := fresh
	if fresh > GasMarginFixed {
		simulated = (fresh - GasMarginFixed) * 100 / (100 + GasMarginPercent)
	}
	return simulated <= shown
}

// BuildUserOperation returns the unsigned UserOperation running calls (an ERC-7821 batch execute; one call or
// many, all or nothing), with:
//
//   - nonce from EntryPoint.getNonce(sender, 0);
//   - factory and factoryData (createAccount) while the account has no code;
//   - callGasLimit from eth_estimateGas of execute called by the EntryPoint — while undeployed, with the
//     implementation's code put at the account address by a state override — plus margin;
//   - verificationGasLimit = ValidationGas, plus the simulated factory call (from the EntryPoint's
//     senderCreator) with margin while undeployed;
//   - preVerificationGas = 21000 + calldata gas of handleOps carrying the operation with a full-size
//     signature + bundleOverhead;
//   - fees from Fees.
//
// With opts.Quoter (the chain's bundler; nil for the built-in relayer) the bundler is asked too, before
// anything is signed: each limit is the larger of the account's figure and the bundler's
// eth_estimateUserOperationGas (run with a stand-in signature just below the card's modulus, so the RSA check
// costs what it will), and the fees are the bundler's price where it has one (QuotedFees). The bundler then
// accepts what the card signs, and a bundler that refuses the operation says so before the PIN. With
// opts.Sponsor, the operation's paymaster fields are set before anything is estimated.
//
// Limits above the caps (CheckGasCaps) are ErrGasLimit.
func (a *Account) BuildUserOperation(ctx context.Context, calls []contracts.Call, opts BuildOptions) (*UserOperation, error) {
	callData, err := contracts.ExecuteBatch(calls)
	if err != nil {
		return nil, err
	}
	op := &UserOperation{Sender: a.addr, CallData: callData}
	if op.Nonce, err = a.nonce(ctx); err != nil {
		return nil, err
	}
	deployed, override, err := a.simulationState(ctx)
	if err != nil {
		return nil, err
	}
	op.VerificationGasLimit = ValidationGas
	if !deployed {
		op.Factory, op.FactoryData = a.factory, a.factoryData
		creator, err := a.callOne(ctx, a.entryPoint, contracts.EntryPoint, "senderCreator")
		if err != nil {
			return nil, err
		}
		deployGas, err := a.estimate(ctx, creator.(common.Address), a.factory, a.factoryData, nil)
		if err != nil {
			return nil, fmt.Errorf("account: simulating the account's deployment: %w", err)
		}
		op.VerificationGasLimit += withMargin(deployGas)
	}
	callGas, err := a.estimate(ctx, a.entryPoint, a.addr, callData, override)
	if err != nil {
		return nil, fmt.Errorf("account: simulating the calls: %w", err)
	}
	op.CallGasLimit = withMargin(callGas)
	if op.MaxFeePerGas, op.MaxPriorityFeePerGas, err = QuotedFees(ctx, a.eth, opts.Quoter); err != nil {
		return nil, err
	}
	if opts.Sponsor != nil {
		opts.Sponsor(op)
	}
	op.PreVerificationGas, err = preVerificationGas(op)
	if err != nil {
		return nil, err
	}
	if opts.Quoter != nil {
		if err := a.quoteGas(ctx, op, opts.Quoter); err != nil {
			return nil, err
		}
	}
	if err := CheckGasCaps(op.CallGasLimit, op.VerificationGasLimit, op.PreVerificationGas, len(calls)); err != nil {
		return nil, err
	}
	return op, nil
}

// BuildOptions are BuildUserOperation's choices beyond the calls.
type BuildOptions struct {
	// Quoter is the chain's bundler, asked to size and price the operation; nil for the built-in relayer.
	Quoter Quoter
	// Sponsor, when set, fills in the operation's paymaster fields.
	Sponsor func(*UserOperation)
}

// A Quoter is a bundler that sizes and prices operations itself (Bundler).
type Quoter interface {
	Estimate(ctx context.Context, op *UserOperation, entryPoint common.Address) (GasEstimate, error)
	GasPrice(ctx context.Context) (maxFee, tip *big.Int, ok bool, err error)
}

// ErrBundlerRefused: the bundler's estimation refused the operation (its simulation failed or broke a rule).
var ErrBundlerRefused = errors.New("account: the bundler refuses the operation")

// refused marks a bundler's error answer (not a transport failure) as ErrBundlerRefused, with its reason.
func refused(err error) error {
	if reason, ok := Refusal(err); ok {
		return fmt.Errorf("%w: %s", ErrBundlerRefused, reason)
	}
	if _, ok := answered(err); ok {
		return fmt.Errorf("%w: %v", ErrBundlerRefused, err)
	}
	return err
}

// quoteGas raises op's limits to the bundler's estimate where it is higher.
func (a *Account) quoteGas(ctx context.Context, op *UserOperation, q Quoter) error {
	probe := *op
	probe.Signature = a.standInSignature()
	est, err := q.Estimate(ctx, &probe, a.entryPoint)
	if err != nil {
		return refused(err)
	}
	op.PreVerificationGas = max(op.PreVerificationGas, uint64(est.PreVerificationGas))
	op.VerificationGasLimit = max(op.VerificationGasLimit, uint64(est.VerificationGasLimit))
	op.CallGasLimit = max(op.CallGasLimit, uint64(est.CallGasLimit))
	if op.Paymaster != (common.Address{}) {
		op.PaymasterVerificationGasLimit = max(op.PaymasterVerificationGasLimit, uint64(est.PaymasterVerificationGasLimit))
		op.PaymasterPostOpGasLimit = max(op.PaymasterPostOpGasLimit, uint64(est.PaymasterPostOpGasLimit))
	}
	return nil
}

// standInSignature is modulus − 1 of the account's key (the card's): the size of a real signature and below the modulus,
// so CardRSA runs the modexp as for a real one (an all-0xff stand-in is above the modulus, and an estimate
// made with it leaves out ~33,000 gas under Osaka). It does not verify; estimation expects that.
func (a *Account) standInSignature() []byte {
	n := a.owner.Pub.N
	return new(big.Int).Sub(n, big.NewInt(1)).FillBytes(make([]byte, (n.BitLen()+7)/8))
}

// QuotedFees is Fees, or, when q has a price (GasPrice), the bundler's: its maxFeePerGas and tip, with the
// same room as Fees leaves for the base part to double (maxFee = 2 × (price − tip) + tip), so that FeesCover
// reads either the same way.
func QuotedFees(ctx context.Context, client interface {
	HeaderByNumber(context.Context, *big.Int) (*types.Header, error)
	SuggestGasTipCap(context.Context) (*big.Int, error)
}, q Quoter) (maxFee, tip *big.Int, err error) {
	if q != nil {
		price, tip, ok, err := q.GasPrice(ctx)
		if err != nil {
			return nil, nil, refused(err)
		}
		if ok {
			base := new(big.Int).Sub(price, tip)
			if base.Sign() < 0 {
				return nil, nil, fmt.Errorf("account: the bundler's price %s is below its own tip %s", price, tip)
			}
			return new(big.Int).Add(new(big.Int).Lsh(base, 1), tip), tip, nil
		}
	}
	return Fees(ctx, client)
}

// Fees returns maxFeePerGas = 2 × the latest base fee + tip and maxPriorityFeePerGas = tip, the tip from
// eth_maxPriorityFeePerGas: room for the base fee to double before inclusion; only what is used is paid.
func Fees(ctx context.Context, client interface {
	HeaderByNumber(context.Context, *big.Int) (*types.Header, error)
	SuggestGasTipCap(context.Context) (*big.Int, error)
}) (maxFee, tip *big.Int, err error) {
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("account: latest block: %w", err)
	}
	if tip, err = client.SuggestGasTipCap(ctx); err != nil {
		return nil, nil, fmt.Errorf("account: eth_maxPriorityFeePerGas: %w", err)
	}
	base := head.BaseFee
	if base == nil {
		base = new(big.Int)
	}
	return new(big.Int).Add(new(big.Int).Lsh(base, 1), tip), tip, nil
}

// FeesCover reports whether fees shown earlier (maxFee, with tip) still let an operation just built be
// included: the fresh operation's fees came from Fees, 2 × the base fee + its tip, so the base fee is known
// without asking the node again, and it plus the shown tip must fit under the shown maxFee.
func FeesCover(maxFee, tip *big.Int, fresh *UserOperation) bool {
	baseFee := new(big.Int).Rsh(new(big.Int).Sub(fresh.MaxFeePerGas, fresh.MaxPriorityFeePerGas), 1)
	return tip.Cmp(maxFee) <= 0 && new(big.Int).Add(baseFee, tip).Cmp(maxFee) <= 0
}

func preVerificationGas(op *UserOperation) (uint64, error) {
	probe := *op
	probe.Signature = make([]byte, 256)
	for i := range probe.Signature {
		probe.Signature[i] = 0xff
	}
	data, err := contracts.EntryPoint.Pack("handleOps", []PackedUserOperation{probe.Pack()}, common.Address{})
	if err != nil {
		return 0, err
	}
	g := uint64(21_000 + bundleOverhead)
	for _, b := range data {
		if b == 0 {
			g += 4
		} else {
			g += 16
		}
	}
	return g, nil
}

// simulationState says whether the account is deployed and, while it is not, gives the state override that
// puts the implementation's code at its address, so that its execute can be simulated.
func (a *Account) simulationState(ctx context.Context) (deployed bool, override map[common.Address]overrideAccount, err error) {
	if deployed, err = a.Deployed(ctx); err != nil || deployed {
		return deployed, nil, err
	}
	impl, err := a.callOne(ctx, a.factory, contracts.CardAccountFactory, "implementation")
	if err != nil {
		return false, nil, err
	}
	code, err := a.eth.CodeAt(ctx, impl.(common.Address), nil)
	if err != nil {
		return false, nil, fmt.Errorf("account: implementation code: %w", err)
	}
	return false, map[common.Address]overrideAccount{a.addr: {Code: code}}, nil
}

// Simulate runs calls as the account's batch (execute, called by the EntryPoint) in eth_estimateGas, as
// BuildUserOperation does; a call that reverts is an error carrying the revert reason.
func (a *Account) Simulate(ctx context.Context, calls []contracts.Call) error {
	callData, err := contracts.ExecuteBatch(calls)
	if err != nil {
		return err
	}
	_, override, err := a.simulationState(ctx)
	if err != nil {
		return err
	}
	if _, err := a.estimate(ctx, a.entryPoint, a.addr, callData, override); err != nil {
		return fmt.Errorf("account: simulating the calls: %w", err)
	}
	return nil
}

func (a *Account) nonce(ctx context.Context) (*big.Int, error) {
	v, err := a.callOne(ctx, a.entryPoint, contracts.EntryPoint, "getNonce", a.addr, new(big.Int))
	if err != nil {
		return nil, err
	}
	return v.(*big.Int), nil
}

func (a *Account) callOne(ctx context.Context, to common.Address, art *contracts.Artifact, method string, args ...any) (any, error) {
	return CallOne(ctx, a.eth, to, art, method, args...)
}

// CallOne is one eth_call of art's method on to, returning its single result.
func CallOne(ctx context.Context, eth ethereum.ContractCaller, to common.Address, art *contracts.Artifact, method string, args ...any) (any, error) {
	data, err := art.Pack(method, args...)
	if err != nil {
		return nil, err
	}
	out, err := eth.CallContract(ctx, ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		return nil, fmt.Errorf("account: %s.%s: %w", art.Name, method, err)
	}
	vals, err := art.Unpack(method, out)
	if err != nil {
		return nil, err
	}
	if len(vals) != 1 {
		return nil, fmt.Errorf("account: %s.%s returned %d values, want 1", art.Name, method, len(vals))
	}
	return vals[0], nil
}

type overrideAccount struct {
	Code hexutil.Bytes `json:"code"`
}

// estimate is eth_estimateGas with an optional state override (go-ethereum, Erigon, Nethermind, Reth and
// the bundlers' nodes accept the third parameter).
func (a *Account) estimate(ctx context.Context, from, to common.Address, data []byte, override map[common.Address]overrideAccount) (uint64, error) {
	msg := map[string]any{"from": from, "to": to, "data": hexutil.Bytes(data)}
	var gas hexutil.Uint64
	var err error
	if override == nil {
		err = a.rpc.CallContext(ctx, &gas, "eth_estimateGas", msg, "latest")
	} else {
		err = a.rpc.CallContext(ctx, &gas, "eth_estimateGas", msg, "latest", override)
	}
	if err != nil {
		return 0, withRevert(err)
	}
	return uint64(gas), nil
}

// withRevert appends the decoded revert reason to an RPC error carrying revert data.
func withRevert(err error) error {
	if de, ok := err.(interface{ ErrorData() any }); ok {
		if s, ok := de.ErrorData().(string); ok {
			if b, e := hexutil.Decode(s); e == nil && len(b) > 0 {
				return fmt.Errorf("%w: %s", err, contracts.DecodeRevert(b))
			}
		}
	}
	return err
}
