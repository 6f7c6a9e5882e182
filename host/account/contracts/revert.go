package contracts

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// DecodeRevert turns revert data into text: a custom error of any embedded contract with its arguments
// (EntryPoint's FailedOp(0, "AA24 signature error"), CardAccount's AccountUnauthorized(0x…)), Error(string),
// or Panic(uint256); unknown data comes back as hex.
func DecodeRevert(data []byte) string {
	if reason, err := abi.UnpackRevert(data); err == nil {
		return reason
	}
	if len(data) >= 4 {
		for _, a := range All() {
			for _, e := range a.ABI().Errors {
				if !bytes.Equal(e.ID[:4], data[:4]) {
					continue
				}
				args, err := e.Inputs.Unpack(data[4:])
				if err != nil {
					continue
				}
				parts := make([]string, len(args))
				for i, v := range args {
					switch v := v.(type) {
					case string:
						parts[i] = fmt.Sprintf("%q", v)
					case []byte:
						// Nested revert data (FailedOpWithRevert, ERC1271Revert): decode it too.
						parts[i] = DecodeRevert(v)
					default:
						parts[i] = fmt.Sprint(v)
					}
				}
				return e.Name + "(" + strings.Join(parts, ", ") + ")"
			}
		}
	}
	return hexutil.Encode(data)
}
