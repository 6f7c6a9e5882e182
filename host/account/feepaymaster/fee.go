package feepaymaster

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/tokens"
)

// The paymaster's gas budgets in an operation's paymasterAndData. Validation reads the account's batch,
// balance and allowance (or takes the fee under a standing approval); postOp takes an owed fee, whose first
// ever credit to the paymaster's balance writes a fresh slot (~22,000 gas), or refunds.
const (
	VerificationGasLimit = 150_000
	PostOpGasLimit       = 80_000
)

// postOpCost and the unused-postOp-gas penalty are what JPYCFeePaymaster charges on top of the gas the
// EntryPoint reports (its _postOpCost and PaymasterERC20's _postOpGasPenalty).
const postOpCost = 40_000

func postOpPenalty(postOpGasLimit uint64) uint64 {
	if postOpGasLimit > 40_000 {
		return postOpGasLimit / 10
	}
	return 0
}

// Sponsor returns op's paymaster fields for the paymaster at rate, the highest rate (token units per ETH)
// the account accepts: it goes into paymasterData, under the card's signature.
func Sponsor(op *account.UserOperation, paymaster common.Address, rate *big.Int) {
	op.Paymaster, op.PaymasterVerificationGasLimit, op.PaymasterPostOpGasLimit = paymaster, VerificationGasLimit, PostOpGasLimit
	op.PaymasterData = common.BigToHash(rate).Bytes()
}

// MaxTokenCost is the most the paymaster can take for op at rate, in token units, as JPYCFeePaymaster
// computes it (PaymasterERC20._erc20Cost): (maxCost + (postOpCost + penalty) × maxFeePerGas) × rate / 1e18,
// rounded up, maxCost being all five gas limits × maxFeePerGas.
func MaxTokenCost(op *account.UserOperation, rate *big.Int) *big.Int {
	gas := op.CallGasLimit + op.VerificationGasLimit + op.PreVerificationGas + op.PaymasterVerificationGasLimit + op.PaymasterPostOpGasLimit +
		postOpCost + postOpPenalty(op.PaymasterPostOpGasLimit)
	native := new(big.Int).Mul(new(big.Int).SetUint64(gas), op.MaxFeePerGas)
	num := new(big.Int).Mul(native, rate)
	q, r := new(big.Int).QuoRem(num, big.NewInt(1e18), new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// Approval is token.approve(paymaster, amount): the call a batch that owes its fee begins with.
func Approval(token, paymaster common.Address, amount *big.Int) (contracts.Call, error) {
	data, err := tokens.ApproveData(paymaster, amount)
	if err != nil {
		return contracts.Call{}, err
	}
	return contracts.Call{Target: token, Value: new(big.Int), Data: data}, nil
}
