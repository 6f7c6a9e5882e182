package account

import (
	"bytes"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// ERC6492Suffix ends every ERC-6492 wrapped signature.
var ERC6492Suffix = common.FromHex("0x6492649264926492649264926492649264926492649264926492649264926492")

var wrapArgs = func() abi.Arguments {
	var args abi.Arguments
	for _, name := range []string{"address", "bytes", "bytes"} {
		typ, err := abi.NewType(name, "", nil)
		if err != nil {
			panic(err)
		}
		args = append(args, abi.Argument{Type: typ})
	}
	return args
}()

// Wrap6492 wraps an account signature for an account that has no code yet:
// abi.encode(factory, factoryCalldata, signature) || ERC6492Suffix. Verifiers deploy the account in a
// simulated call (or for real) with factory and factoryCalldata, then check the signature with ERC-1271.
func Wrap6492(factory common.Address, factoryCalldata, signature []byte) []byte {
	enc, err := wrapArgs.Pack(factory, factoryCalldata, signature)
	if err != nil {
		panic("account: " + err.Error()) // static types: cannot fail
	}
	return append(enc, ERC6492Suffix...)
}

// IsWrapped6492 reports whether sig carries the ERC-6492 suffix.
func IsWrapped6492(sig []byte) bool { return bytes.HasSuffix(sig, ERC6492Suffix) }
