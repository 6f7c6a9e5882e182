package protocol

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"

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

// EthSendCallsParams are ethSendCalls' parameters.
type EthSendCallsParams struct {
	ChainID           uint64
	Account           Address
	CertificateSHA256 []byte
	PIN               PIN
	Reader            string
	// Calls run as one batch: all or nothing. 1 … MaxCalls.
	Calls []EthCall
}

// DecodeEthSendCalls decodes ethSendCalls' params. On error no PIN is
// returned and any PIN copy already made is cleared.
func DecodeEthSendCalls(params []byte) (p EthSendCallsParams, err *Error) {
	if params == nil {
		return p, badField("params", "required field missing")
	}
	specs := append(signerSpecs(&p.ChainID, &p.Account, &p.CertificateSHA256, &p.PIN, &p.Reader),
		fieldSpec{"calls", true, func(field string, raw []byte) *Error {
			els, err := elements(raw, field)
			if err != nil {
				return err
			}
			if len(els) == 0 || len(els) > MaxCalls {
				return badField(field, "want 1 to %d calls, got %d", MaxCalls, len(els))
			}
			p.Calls = make([]EthCall, len(els))
			for i, el := range els {
				c := &p.Calls[i]
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
			return nil
		}})
	err = decodeObject(params, "params", specs...)
	if err != nil {
		p.PIN.Clear()
		p.PIN = nil
		p.Calls = nil
	}
	return p, err
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
