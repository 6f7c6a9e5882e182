package ethsheet

import (
	"github.com/mynaconnect/mynaconnect/wasm/ethtext"
	"github.com/mynaconnect/mynaconnect/wasm/sheet"
)

// FeeInput is the gas and fee of the operation the host prepared for the
// calls (ethPrepareCalls), as the extension passes it on, unchanged, to the
// sheet and back to the host (ethSendCalls): JSON-RPC quantities.
type FeeInput struct {
	CallGasLimit, VerificationGasLimit, PreVerificationGas string
	MaxFeePerGas, MaxPriorityFeePerGas                     string
}

// Fee is what the calls sheet shows of FeeInput.
type Fee struct {
	Gas     uint64          // all gas limits together
	MaxCost ethtext.Uint256 // Gas × maxFeePerGas, in wei: the most the account can pay
	High    bool            // callGasLimit far above what the calls' kinds need
}

// maxGas bounds each gas limit, as the host's protocol does (2^40); the
// host's own caps are far lower.
const maxGas = 1 << 40

// typicalCallGas is, by call kind (callKinds), the callGasLimit such a
// call needs in ordinary use with the host's margin: sending ETH or a
// token takes 21k–65k gas before it. A page whose calls are given far more
// is spending the person's fee (a contract that burns gas on receipt), and
// the sheet says so. Choosing up to 16 guardians stores a hash and a flag
// for each (about 45k gas apiece).
// Handing an account to a new card checks an RSA signature and, for the switch and the finish, writes the new
// key into a contract of its own (docs/benchmarks.md: 155k to 280k gas with the operation around it).
var typicalCallGas = [12]uint64{100_000, 150_000, 150_000, 150_000, 300_000, 1_000_000, 1_000_000, 150_000, 150_000, 400_000, 300_000, 300_000}

// readFee checks the fee and computes its maximum; kinds are the calls'.
func readFee(in FeeInput, calls []Call) (Fee, error) {
	var f Fee
	var limits [3]uint64
	for i, q := range []string{in.CallGasLimit, in.VerificationGasLimit, in.PreVerificationGas} {
		x, ok := ethtext.ParseQuantity(q)
		if !ok || x.BitLen() > 40 {
			return f, fail(ReasonBadArguments, "fee: gas limits must be quantities below 2^40")
		}
		limits[i] = x[3]
		f.Gas += x[3]
	}
	maxFee, ok1 := ethtext.ParseQuantity(in.MaxFeePerGas)
	tip, ok2 := ethtext.ParseQuantity(in.MaxPriorityFeePerGas)
	if !ok1 || !ok2 || tip.Cmp(maxFee) > 0 {
		return f, fail(ReasonBadArguments, "fee: maxFeePerGas and maxPriorityFeePerGas must be quantities, the tip at most the fee")
	}
	if f.MaxCost, ok1 = maxFee.MulUint64(f.Gas); !ok1 {
		return f, fail(ReasonBadArguments, "fee: the maximum cost is over 2^256")
	}
	var typical uint64
	for _, c := range calls {
		typical += typicalCallGas[index(callKinds, c.Kind)]
	}
	f.High = limits[0] > typical
	return f, nil
}

// feeItem is the line of the sheet that says what the transaction can cost.
func feeItem(t *texts, chain *Chain, f Fee) Item {
	return Item{
		Item: sheet.Item{Key: "fee", Label: t.fee, Note: t.feeNote, Fields: []sheet.Field{
			{Key: "maxFee", Label: t.maxFee, Value: group(scale(f.MaxCost.String(), chain.Native.Decimals)) + " " + chain.Native.Symbol},
			{Key: "gasLimit", Label: t.gasLimit, Value: group(ethtext.Uint256{0, 0, 0, f.Gas}.String())},
		}},
		Attrs: []sheet.Attr{{Name: "data-max-cost-wei", Value: f.MaxCost.String()}},
	}
}
