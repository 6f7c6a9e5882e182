package contracts

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// Call is one call of an ERC-7821 batch.
type Call struct {
	Target common.Address
	Value  *big.Int // nil means zero
	Data   []byte
}

// BatchMode is the ERC-7821 mode OpenZeppelin's ERC7821 supports: call type 0x01 (batch), exec type 0x00
// (revert the whole batch when one call fails), no opData.
var BatchMode = [32]byte{0x01}

var executionsArgs = func() abi.Arguments {
	t, err := abi.NewType("tuple[]", "", []abi.ArgumentMarshaling{
		{Name: "target", Type: "address"},
		{Name: "value", Type: "uint256"},
		{Name: "callData", Type: "bytes"},
	})
	if err != nil {
		panic("contracts: " + err.Error())
	}
	return abi.Arguments{{Type: t}}
}()

// ExecuteBatch returns the calldata of execute(BatchMode, abi.encode(calls)) on a CardAccount (or the
// ECDSAAccount reference): what a UserOperation's callData is for one call or many.
func ExecuteBatch(calls []Call) ([]byte, error) {
	type execution struct {
		Target   common.Address
		Value    *big.Int
		CallData []byte
	}
	execs := make([]execution, len(calls))
	for i, c := range calls {
		v := c.Value
		if v == nil {
			v = new(big.Int)
		}
		execs[i] = execution{Target: c.Target, Value: v, CallData: c.Data}
	}
	data, err := executionsArgs.Pack(execs)
	if err != nil {
		return nil, fmt.Errorf("contracts: encoding %d calls: %w", len(calls), err)
	}
	return CardAccount.Pack("execute", BatchMode, data)
}
