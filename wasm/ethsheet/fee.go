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
	// A fee paid in a yen token through a paymaster: all of these, or none. The host begins the batch by
	// approving Paymaster for exactly MaxTokenCost of FeeToken, which the sheet shows.
	Paymaster, FeeToken                                    string
	PaymasterVerificationGasLimit, PaymasterPostOpGasLimit string
	TokenPerNative, MaxTokenCost                           string
}

// Fee is what the calls sheet shows of FeeInput.
type Fee struct {
	Gas     uint64          // all gas limits together, the paymaster's included
	MaxCost ethtext.Uint256 // Gas × maxFeePerGas, in wei: the most the gas can cost
	High    bool            // callGasLimit far above what the calls' kinds need
	// With a paymaster: who takes the fee, in which of the chain's yen tokens, and the most it takes
	// (whole tokens, decimal, rounded up to the sen).
	Paymaster    string
	Token        *Token
	MaxTokenCost string
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
func readFee(in FeeInput, calls []Call, chain *Chain) (Fee, error) {
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
	if err := readPaymaster(&f, in, chain); err != nil {
		return f, err
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

// yenDecimals are the places a most in yen is shown with: sen.
const yenDecimals = 2

// readPaymaster reads a paymaster's members: all or none; the token one of the chain's yen tokens.
func readPaymaster(f *Fee, in FeeInput, chain *Chain) error {
	members := []string{in.Paymaster, in.FeeToken, in.PaymasterVerificationGasLimit, in.PaymasterPostOpGasLimit, in.TokenPerNative, in.MaxTokenCost}
	given := 0
	for _, m := range members {
		if m != "" {
			given++
		}
	}
	switch {
	case given == 0:
		return nil
	case given < len(members):
		return fail(ReasonBadArguments, "fee: a paymaster's members go together")
	case !ethtext.IsAddress(in.Paymaster):
		return fail(ReasonBadArguments, "fee: paymaster is not an address")
	}
	for i := range chain.Tokens {
		if t := &chain.Tokens[i]; sameFold(t.Address, in.FeeToken) && t.Fiat == "JPY" {
			f.Token = t
		}
	}
	if f.Token == nil {
		return fail(ReasonBadArguments, "fee: feeToken is not one of the chain's yen tokens")
	}
	for _, q := range []string{in.PaymasterVerificationGasLimit, in.PaymasterPostOpGasLimit} {
		x, ok := ethtext.ParseQuantity(q)
		if !ok || x.BitLen() > 40 {
			return fail(ReasonBadArguments, "fee: gas limits must be quantities below 2^40")
		}
		f.Gas += x[3]
	}
	most, ok1 := ethtext.ParseQuantity(in.MaxTokenCost)
	_, ok2 := ethtext.ParseQuantity(in.TokenPerNative)
	if !ok1 || !ok2 {
		return fail(ReasonBadArguments, "fee: tokenPerNative and maxTokenCost must be quantities")
	}
	// In yen to the sen, rounded up: the exact most (the approval) has up to 18 decimals no one can read.
	f.Paymaster, f.MaxTokenCost = in.Paymaster, scale(ceilDigits(most.String(), f.Token.Decimals-yenDecimals), min(f.Token.Decimals, yenDecimals))
	return nil
}

// feeItem is the line of the sheet that says what the transaction can cost: in the native currency, or,
// through a paymaster, in a yen token, with the approval the batch begins with.
func feeItem(t *texts, chain *Chain, f Fee) Item {
	if f.Token != nil {
		most := group(f.MaxTokenCost)
		return Item{
			Item: sheet.Item{Key: "fee", Label: t.feeInToken(f.Token.Symbol), Note: t.feeInTokenNote, Fields: []sheet.Field{
				{Key: "maxFee", Label: t.maxFee, Value: most + " " + f.Token.Symbol + t.fiat(most, f.Token.Fiat)},
				{Key: "paymaster", Label: t.paymaster, Value: f.Paymaster, Format: sheet.FormatAddress},
				{Key: "gasLimit", Label: t.gasLimit, Value: group(ethtext.Uint256{0, 0, 0, f.Gas}.String())},
			}},
			Attrs: []sheet.Attr{{Name: "data-max-cost-wei", Value: f.MaxCost.String()}, {Name: "data-max-token-cost", Value: f.MaxTokenCost}},
		}
	}
	return Item{
		Item: sheet.Item{Key: "fee", Label: t.fee, Note: t.feeNote, Fields: []sheet.Field{
			{Key: "maxFee", Label: t.maxFee, Value: group(scale(f.MaxCost.String(), chain.Native.Decimals)) + " " + chain.Native.Symbol},
			{Key: "gasLimit", Label: t.gasLimit, Value: group(ethtext.Uint256{0, 0, 0, f.Gas}.String())},
		}},
		Attrs: []sheet.Attr{{Name: "data-max-cost-wei", Value: f.MaxCost.String()}},
	}
}
