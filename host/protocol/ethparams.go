package protocol

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// Limits of the Ethereum methods' parameters (docs/host-protocol.md).
const (
	MaxMessageLen   = 16 << 10        // ethSignMessage's message, in bytes
	MaxTypedDataLen = eip712.MaxBytes // ethSignTypedData's JSON text, in bytes
	MaxRPCParamsLen = 16 << 10        // ethRpc's params array, as sent
	MaxCalls        = 16              // calls of one ethSendCalls
	maxRPCMethodLen = 64
	maxCallDataLen  = 24 << 10 // one call's data; the message limit bounds the sum
)

// EthAccountParams are ethAccount's parameters.
type EthAccountParams struct {
	ChainID uint64
	// Reader is optional, as in ReaderParams.
	Reader string
}

// DecodeEthAccount decodes ethAccount's params.
func DecodeEthAccount(params []byte) (p EthAccountParams, err *Error) {
	if params == nil {
		return p, badField("params", "required field missing")
	}
	err = decodeObject(params, "params",
		fieldSpec{"chainId", true, uintInto(&p.ChainID)},
		readerSpec(&p.Reader),
	)
	return p, err
}

// EthRPCParams are ethRpc's parameters.
type EthRPCParams struct {
	ChainID uint64
	// Method is the JSON-RPC method; the wallet checks it against its
	// read-only list.
	Method string
	// Params is the JSON array of the call's parameters as sent (a copy),
	// nil when absent.
	Params []byte
}

// DecodeEthRPC decodes ethRpc's params.
func DecodeEthRPC(params []byte) (p EthRPCParams, err *Error) {
	if params == nil {
		return p, badField("params", "required field missing")
	}
	err = decodeObject(params, "params",
		fieldSpec{"chainId", true, uintInto(&p.ChainID)},
		fieldSpec{"method", true, stringInto(&p.Method, maxRPCMethodLen)},
		fieldSpec{"params", false, func(field string, raw []byte) *Error {
			if raw[0] != '[' {
				return badField(field, "want an array, got %s", kindOf(raw))
			}
			if len(raw) > MaxRPCParamsLen {
				return badField(field, "longer than %d bytes", MaxRPCParamsLen)
			}
			// A copy: the message is cleared once the request is decoded,
			// and this is forwarded later.
			p.Params = bytes.Clone(raw)
			return nil
		}},
	)
	return p, err
}

// Address is an Ethereum address.
type Address [20]byte

// EthSignParams are the parameters of ethSignMessage and ethSignTypedData.
type EthSignParams struct {
	ChainID uint64
	// Account is the account the consent sheet showed.
	Account Address
	// CertificateSHA256 is the SHA-256 of the certificate the sheet showed.
	CertificateSHA256 []byte
	// Message is ethSignMessage's message bytes (possibly empty).
	Message []byte
	// TypedData is ethSignTypedData's JSON text, as sent.
	TypedData []byte
	// PIN is the auth PIN; its owner clears it after use.
	PIN PIN
	// Reader is optional, as in ReaderParams.
	Reader string
}

// DecodeEthSignMessage decodes ethSignMessage's params. On error no PIN is
// returned and any PIN copy already made is cleared.
func DecodeEthSignMessage(params []byte) (EthSignParams, *Error) {
	var p EthSignParams
	err := p.decode(params, fieldSpec{"message", true, hexInto(&p.Message, MaxMessageLen)})
	return p, err
}

// DecodeEthSignTypedData decodes ethSignTypedData's params; the typed data
// is checked by the wallet. On error no PIN is returned and any PIN copy
// already made is cleared.
func DecodeEthSignTypedData(params []byte) (EthSignParams, *Error) {
	var p EthSignParams
	err := p.decode(params, fieldSpec{"typedData", true, func(field string, raw []byte) *Error {
		var s string
		if err := stringInto(&s, MaxTypedDataLen)(field, raw); err != nil {
			return err
		}
		p.TypedData = []byte(s)
		return nil
	}})
	return p, err
}

func (p *EthSignParams) decode(params []byte, payload fieldSpec) *Error {
	if params == nil {
		return badField("params", "required field missing")
	}
	err := decodeObject(params, "params", append(signerSpecs(&p.ChainID, &p.Account, &p.CertificateSHA256, &p.PIN, &p.Reader), payload)...)
	if err != nil {
		p.PIN.Clear()
		p.PIN = nil
	}
	return err
}

// signerSpecs are the members every signing method has.
func signerSpecs(chainID *uint64, account *Address, certSHA *[]byte, pin *PIN, reader *string) []fieldSpec {
	return []fieldSpec{
		{"chainId", true, uintInto(chainID)},
		{"account", true, addressInto(account)},
		{"certificateSha256", true, sha256Into(certSHA)},
		{"pin", true, func(field string, raw []byte) *Error {
			var e *Error
			*pin, e = decodePIN(field, raw)
			return e
		}},
		readerSpec(reader),
	}
}

// EthCall is one call of ethSendCalls.
type EthCall struct {
	To Address
	// Value is the wei sent with the call; never nil.
	Value *big.Int
	// Data is the calldata, possibly empty.
	Data []byte
}

// EthFee is a UserOperation's gas limits and fees as the consent sheet
// showed them: ethPrepareCalls answers it, the sheet shows its MaxCost, and
// ethSendCalls sends the operation with exactly these limits and fees, so
// the account never pays more than was shown. In JSON every member is a
// JSON-RPC quantity, as in a UserOperation.
type EthFee struct {
	CallGasLimit         uint64
	VerificationGasLimit uint64
	PreVerificationGas   uint64
	MaxFeePerGas         *big.Int
	MaxPriorityFeePerGas *big.Int
}

// Gas is the operation's gas limits together: what the account prefunds
// against at MaxFeePerGas.
func (f EthFee) Gas() uint64 { return f.CallGasLimit + f.VerificationGasLimit + f.PreVerificationGas }

// MaxCost is the most the account can pay, in wei: Gas × MaxFeePerGas
// (no paymaster pays any of it).
func (f EthFee) MaxCost() *big.Int {
	return new(big.Int).Mul(new(big.Int).SetUint64(f.Gas()), f.MaxFeePerGas)
}

// maxGasLimit bounds each gas member as decoded (the wallet's own caps are
// far lower): their sum cannot overflow.
const maxGasLimit = 1 << 40

func feeSpec(dst *EthFee) fieldSpec {
	return fieldSpec{"fee", true, func(field string, raw []byte) *Error {
		var call, verification, preVerification big.Int
		dst.MaxFeePerGas, dst.MaxPriorityFeePerGas = new(big.Int), new(big.Int)
		err := decodeObject(raw, field,
			fieldSpec{"callGasLimit", true, quantityInto(&call)},
			fieldSpec{"verificationGasLimit", true, quantityInto(&verification)},
			fieldSpec{"preVerificationGas", true, quantityInto(&preVerification)},
			fieldSpec{"maxFeePerGas", true, quantityInto(dst.MaxFeePerGas)},
			fieldSpec{"maxPriorityFeePerGas", true, quantityInto(dst.MaxPriorityFeePerGas)},
		)
		if err != nil {
			return err
		}
		for _, g := range []struct {
			name string
			v    *big.Int
		}{{"callGasLimit", &call}, {"verificationGasLimit", &verification}, {"preVerificationGas", &preVerification}} {
			if g.v.Cmp(big.NewInt(maxGasLimit)) >= 0 {
				return badField(field+"."+g.name, "above 2^40")
			}
		}
		dst.CallGasLimit, dst.VerificationGasLimit, dst.PreVerificationGas = call.Uint64(), verification.Uint64(), preVerification.Uint64()
		return nil
	}}
}

// UnmarshalJSON reads f as ethSendCalls' fee member (for Go clients of the
// host, such as its tests).
func (f *EthFee) UnmarshalJSON(b []byte) error {
	if err := feeSpec(f).decode("fee", b); err != nil {
		return err
	}
	return nil
}

// MarshalJSON writes f with quantities, as feeSpec reads it.
func (f EthFee) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{
		"callGasLimit":         hexutil.EncodeUint64(f.CallGasLimit),
		"verificationGasLimit": hexutil.EncodeUint64(f.VerificationGasLimit),
		"preVerificationGas":   hexutil.EncodeUint64(f.PreVerificationGas),
		"maxFeePerGas":         hexutil.EncodeBig(f.MaxFeePerGas),
		"maxPriorityFeePerGas": hexutil.EncodeBig(f.MaxPriorityFeePerGas),
	})
}

// EthPrepareCallsParams are ethPrepareCalls' parameters: the signing
// methods' shared ones without the PIN, and the calls.
type EthPrepareCallsParams struct {
	ChainID           uint64
	Account           Address
	CertificateSHA256 []byte
	Reader            string
	Calls             []EthCall
}

// DecodeEthPrepareCalls decodes ethPrepareCalls' params.
func DecodeEthPrepareCalls(params []byte) (p EthPrepareCallsParams, err *Error) {
	if params == nil {
		return p, badField("params", "required field missing")
	}
	err = decodeObject(params, "params",
		fieldSpec{"chainId", true, uintInto(&p.ChainID)},
		fieldSpec{"account", true, addressInto(&p.Account)},
		fieldSpec{"certificateSha256", true, sha256Into(&p.CertificateSHA256)},
		readerSpec(&p.Reader),
		callsSpec(&p.Calls),
	)
	return p, err
}

// EthSendCallsParams are ethSendCalls' parameters.
type EthSendCallsParams struct {
	ChainID           uint64
	Account           Address
	CertificateSHA256 []byte
	PIN               PIN
	Reader            string
	// Calls run as one batch: all or nothing. 1 … MaxCalls.
	Calls []EthCall
	// Fee is what the sheet showed, from ethPrepareCalls.
	Fee EthFee
}

// DecodeEthSendCalls decodes ethSendCalls' params. On error no PIN is
// returned and any PIN copy already made is cleared.
func DecodeEthSendCalls(params []byte) (p EthSendCallsParams, err *Error) {
	if params == nil {
		return p, badField("params", "required field missing")
	}
	specs := append(signerSpecs(&p.ChainID, &p.Account, &p.CertificateSHA256, &p.PIN, &p.Reader), callsSpec(&p.Calls), feeSpec(&p.Fee))
	err = decodeObject(params, "params", specs...)
	if err != nil {
		p.PIN.Clear()
		p.PIN = nil
		p.Calls = nil
	}
	return p, err
}

// callsSpec decodes 1 to MaxCalls calls into *dst.
func callsSpec(dst *[]EthCall) fieldSpec {
	return fieldSpec{"calls", true, func(field string, raw []byte) *Error {
		els, err := elements(raw, field)
		if err != nil {
			return err
		}
		if len(els) == 0 || len(els) > MaxCalls {
			return badField(field, "want 1 to %d calls, got %d", MaxCalls, len(els))
		}
		calls := make([]EthCall, len(els))
		for i, el := range els {
			c := &calls[i]
			c.Value = new(big.Int)
			err := decodeObject(el, fmt.Sprintf("%s[%d]", field, i),
				fieldSpec{"to", true, addressInto(&c.To)},
				fieldSpec{"value", false, quantityInto(c.Value)},
				fieldSpec{"data", false, hexInto(&c.Data, maxCallDataLen)},
			)
			if err != nil {
				return err
			}
		}
		*dst = calls
		return nil
	}}
}

// sha256Into decodes 64 hex digits (either case) into *dst.
func sha256Into(dst *[]byte) func(string, []byte) *Error {
	return func(field string, raw []byte) *Error {
		var s string
		if err := stringInto(&s, 64)(field, raw); err != nil {
			return err
		}
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != 32 {
			return badField(field, "want 64 hex digits (a SHA-256)")
		}
		*dst = b
		return nil
	}
}

// addressInto decodes "0x" and 40 hex digits into *dst. Mixed case must be
// the EIP-55 checksum: a mistyped address is refused, not used.
func addressInto(dst *Address) func(string, []byte) *Error {
	return func(field string, raw []byte) *Error {
		var s string
		if err := stringInto(&s, 42)(field, raw); err != nil {
			return err
		}
		digits, ok := strings.CutPrefix(s, "0x")
		if !ok || len(digits) != 40 || !isHex(digits) {
			return badField(field, "want an address: 0x and 40 hex digits")
		}
		addr := common.HexToAddress(digits)
		if digits != strings.ToLower(digits) && digits != strings.ToUpper(digits) && s != addr.Hex() {
			return badField(field, "mixed-case address with a wrong EIP-55 checksum")
		}
		*dst = Address(addr)
		return nil
	}
}

// hexInto decodes "0x" and an even number of hex digits, at most maxLen
// bytes, into *dst ("0x" is empty data).
func hexInto(dst *[]byte, maxLen int) func(string, []byte) *Error {
	return func(field string, raw []byte) *Error {
		var s string
		if err := stringInto(&s, 2+2*maxLen)(field, raw); err != nil {
			return err
		}
		digits, ok := strings.CutPrefix(s, "0x")
		if !ok || len(digits)%2 != 0 || !isHex(digits) {
			return badField(field, "want 0x and an even number of hex digits")
		}
		b, _ := hex.DecodeString(digits)
		*dst = b
		return nil
	}
}

// quantityInto decodes an Ethereum JSON-RPC quantity ("0x0", "0x1bc", no
// leading zeros) of at most 256 bits into dst.
func quantityInto(dst *big.Int) func(string, []byte) *Error {
	return func(field string, raw []byte) *Error {
		var s string
		if err := stringInto(&s, 66)(field, raw); err != nil {
			return err
		}
		digits, ok := strings.CutPrefix(s, "0x")
		switch {
		case !ok || digits == "" || !isHex(digits):
			return badField(field, "want a quantity: 0x and hex digits")
		case len(digits) > 1 && digits[0] == '0':
			return badField(field, "want a quantity without leading zeros")
		}
		dst.SetString(digits, 16)
		return nil
	}
}

func isHex(s string) bool {
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
