package protocol

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"reflect"
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
	ChainID uint64 `wire:"chainId,required"`
	// Reader is optional, as in ReaderParams.
	Reader string `wire:"reader,nonempty,max=maxReaderNameLen"`
	// History asks for the protection's history as well (the settings
	// page); the sheets do without the block reads it costs.
	History bool `wire:"history"`
}

// DecodeEthAccount decodes ethAccount's params.
func DecodeEthAccount(params []byte) (p EthAccountParams, err *Error) {
	err = decodeParams(params, &p)
	return p, err
}

// EthRPCParams are ethRpc's parameters.
type EthRPCParams struct {
	ChainID uint64 `wire:"chainId,required"`
	// Method is the JSON-RPC method; the wallet checks it against its
	// read-only list.
	Method string `wire:"method,required,max=maxRPCMethodLen"`
	// Params is the JSON array of the call's parameters as sent (a copy),
	// nil when absent.
	Params []byte `wire:"params,array,max=MaxRPCParamsLen"`
}

// DecodeEthRPC decodes ethRpc's params.
func DecodeEthRPC(params []byte) (p EthRPCParams, err *Error) {
	err = decodeParams(params, &p)
	return p, err
}

// Address is an Ethereum address.
type Address [20]byte

// decodeMember reads "0x" and 40 hex digits. Mixed case must be the EIP-55
// checksum: a mistyped address is refused, not used.
func (a *Address) decodeMember(field string, raw []byte, _ wireOptions) *Error {
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
	*a = Address(addr)
	return nil
}

// EthSignParams are the parameters of ethSignMessage and ethSignTypedData:
// the members every signing method has, and the one payload of the method.
type EthSignParams struct {
	ChainID uint64 `wire:"chainId,required"`
	// Account is the account the consent sheet showed.
	Account Address `wire:"account,required"`
	// CertificateSHA256 is the SHA-256 of the certificate the sheet showed.
	CertificateSHA256 []byte `wire:"certificateSha256,required,sha256"`
	// PIN is the auth PIN; its owner clears it after use.
	PIN PIN `wire:"pin,required"`
	// Reader is optional, as in ReaderParams.
	Reader string `wire:"reader,nonempty,max=maxReaderNameLen"`
	// Message is ethSignMessage's message bytes (possibly empty).
	Message []byte `wire:"message,hex,max=MaxMessageLen"`
	// TypedData is ethSignTypedData's JSON text, as sent.
	TypedData []byte `wire:"typedData,max=MaxTypedDataLen"`
}

// DecodeEthSignMessage decodes ethSignMessage's params. On error no PIN is
// returned and any PIN copy already made is cleared.
func DecodeEthSignMessage(params []byte) (EthSignParams, *Error) {
	return decodeSign(params, "message", "typedData")
}

// DecodeEthSignTypedData decodes ethSignTypedData's params; the typed data
// is checked by the wallet. On error no PIN is returned and any PIN copy
// already made is cleared.
func DecodeEthSignTypedData(params []byte) (EthSignParams, *Error) {
	return decodeSign(params, "typedData", "message")
}

// decodeSign decodes a signing method's params: payload is its required
// member, other the other method's, unknown here.
func decodeSign(params []byte, payload, other string) (p EthSignParams, err *Error) {
	seen, err := decodeParamsSeen(params, &p)
	switch {
	case err != nil:
	case seen[other]:
		err = badField("params."+other, "unknown field")
	case !seen[payload]:
		err = badField("params."+payload, "required field missing")
	}
	if err != nil {
		p.PIN.Clear()
		p.PIN = nil
	}
	return p, err
}

// EthCall is one call of ethSendCalls.
type EthCall struct {
	To Address `wire:"to,required"`
	// Value is the wei sent with the call; never nil.
	Value *big.Int `wire:"value"`
	// Data is the calldata, possibly empty.
	Data []byte `wire:"data,hex,max=maxCallDataLen"`
}

// setDefaults makes an absent value zero.
func (c *EthCall) setDefaults() {
	if c.Value == nil {
		c.Value = new(big.Int)
	}
}

// EthFee is a UserOperation's gas limits and fees as the consent sheet
// showed them: ethPrepareCalls answers it, the sheet shows its MaxCost (or,
// with a paymaster, its MaxTokenCost), and ethSendCalls sends the operation
// with exactly these limits, fees and paymaster, so the account never pays
// more than was shown. In JSON every member is a JSON-RPC quantity, as in a
// UserOperation, or an address.
type EthFee struct {
	CallGasLimit         uint64
	VerificationGasLimit uint64
	PreVerificationGas   uint64
	MaxFeePerGas         *big.Int
	MaxPriorityFeePerGas *big.Int
	// Paymaster, when set, pays the gas and takes the fee from the account in a yen token.
	Paymaster *EthFeePaymaster
}

// EthFeePaymaster is how a JPYC fee paymaster takes an operation's fee: at
// most TokenPerNative token units per ETH (the rate the sheet showed, which
// the operation carries), never more than MaxTokenCost token units, which
// the operation's batch approves it for first.
type EthFeePaymaster struct {
	Address              Address
	VerificationGasLimit uint64
	PostOpGasLimit       uint64
	Token                Address
	TokenPerNative       *big.Int
	MaxTokenCost         *big.Int
}

// Gas is the operation's gas limits together, the paymaster's included:
// what is prefunded against at MaxFeePerGas.
func (f EthFee) Gas() uint64 {
	g := f.CallGasLimit + f.VerificationGasLimit + f.PreVerificationGas
	if f.Paymaster != nil {
		g += f.Paymaster.VerificationGasLimit + f.Paymaster.PostOpGasLimit
	}
	return g
}

// MaxCost is the most the operation's gas can cost, in wei: Gas ×
// MaxFeePerGas, paid by the account, or by the paymaster (which takes at
// most MaxTokenCost in its token instead).
func (f EthFee) MaxCost() *big.Int {
	return new(big.Int).Mul(new(big.Int).SetUint64(f.Gas()), f.MaxFeePerGas)
}

// maxGasLimit bounds each gas member as decoded (the wallet's own caps are
// far lower): their sum cannot overflow.
const maxGasLimit = 1 << 40

// decodeMember reads the fee object: every member a quantity or an address,
// the gas limits below 2^40, the paymaster's members all there or none.
func (f *EthFee) decodeMember(field string, raw []byte, _ wireOptions) *Error {
	var w struct {
		CallGasLimit                  *big.Int `wire:"callGasLimit,required"`
		VerificationGasLimit          *big.Int `wire:"verificationGasLimit,required"`
		PreVerificationGas            *big.Int `wire:"preVerificationGas,required"`
		MaxFeePerGas                  *big.Int `wire:"maxFeePerGas,required"`
		MaxPriorityFeePerGas          *big.Int `wire:"maxPriorityFeePerGas,required"`
		Paymaster                     Address  `wire:"paymaster"`
		PaymasterVerificationGasLimit *big.Int `wire:"paymasterVerificationGasLimit"`
		PaymasterPostOpGasLimit       *big.Int `wire:"paymasterPostOpGasLimit"`
		FeeToken                      Address  `wire:"feeToken"`
		TokenPerNative                *big.Int `wire:"tokenPerNative"`
		MaxTokenCost                  *big.Int `wire:"maxTokenCost"`
	}
	if err := decodeStruct(raw, field, reflect.ValueOf(&w).Elem()); err != nil {
		return err
	}
	for _, g := range []struct {
		name string
		v    *big.Int
	}{{"callGasLimit", w.CallGasLimit}, {"verificationGasLimit", w.VerificationGasLimit}, {"preVerificationGas", w.PreVerificationGas},
		{"paymasterVerificationGasLimit", w.PaymasterVerificationGasLimit}, {"paymasterPostOpGasLimit", w.PaymasterPostOpGasLimit}} {
		if g.v != nil && g.v.Cmp(big.NewInt(maxGasLimit)) >= 0 {
			return badField(field+"."+g.name, "above 2^40")
		}
	}
	*f = EthFee{
		CallGasLimit: w.CallGasLimit.Uint64(), VerificationGasLimit: w.VerificationGasLimit.Uint64(), PreVerificationGas: w.PreVerificationGas.Uint64(),
		MaxFeePerGas: w.MaxFeePerGas, MaxPriorityFeePerGas: w.MaxPriorityFeePerGas,
	}
	given := 0
	for _, present := range []bool{w.Paymaster != Address{}, w.PaymasterVerificationGasLimit != nil, w.PaymasterPostOpGasLimit != nil,
		w.FeeToken != Address{}, w.TokenPerNative != nil, w.MaxTokenCost != nil} {
		if present {
			given++
		}
	}
	switch given {
	case 0:
		return nil
	case 6:
		f.Paymaster = &EthFeePaymaster{Address: w.Paymaster, VerificationGasLimit: w.PaymasterVerificationGasLimit.Uint64(),
			PostOpGasLimit: w.PaymasterPostOpGasLimit.Uint64(), Token: w.FeeToken, TokenPerNative: w.TokenPerNative, MaxTokenCost: w.MaxTokenCost}
		return nil
	}
	return badField(field+".paymaster", "paymaster, paymasterVerificationGasLimit, paymasterPostOpGasLimit, feeToken, tokenPerNative and maxTokenCost go together")
}

// UnmarshalJSON reads f as ethSendCalls' fee member (for Go clients of the
// host, such as its tests).
func (f *EthFee) UnmarshalJSON(b []byte) error {
	if err := f.decodeMember("fee", b, wireOptions{}); err != nil {
		return err
	}
	return nil
}

// MarshalJSON writes f with quantities and addresses, as decodeMember reads it,
// the paymaster's members only with one.
func (f EthFee) MarshalJSON() ([]byte, error) {
	m := map[string]string{
		"callGasLimit":         hexutil.EncodeUint64(f.CallGasLimit),
		"verificationGasLimit": hexutil.EncodeUint64(f.VerificationGasLimit),
		"preVerificationGas":   hexutil.EncodeUint64(f.PreVerificationGas),
		"maxFeePerGas":         hexutil.EncodeBig(f.MaxFeePerGas),
		"maxPriorityFeePerGas": hexutil.EncodeBig(f.MaxPriorityFeePerGas),
	}
	if pm := f.Paymaster; pm != nil {
		m["paymaster"], m["feeToken"] = common.Address(pm.Address).Hex(), common.Address(pm.Token).Hex()
		m["paymasterVerificationGasLimit"], m["paymasterPostOpGasLimit"] = hexutil.EncodeUint64(pm.VerificationGasLimit), hexutil.EncodeUint64(pm.PostOpGasLimit)
		m["tokenPerNative"], m["maxTokenCost"] = hexutil.EncodeBig(pm.TokenPerNative), hexutil.EncodeBig(pm.MaxTokenCost)
	}
	return json.Marshal(m)
}

// EthPrepareCallsParams are ethPrepareCalls' parameters: the signing
// methods' shared ones without the PIN, and the calls.
type EthPrepareCallsParams struct {
	ChainID           uint64    `wire:"chainId,required"`
	Account           Address   `wire:"account,required"`
	CertificateSHA256 []byte    `wire:"certificateSha256,required,sha256"`
	Reader            string    `wire:"reader,nonempty,max=maxReaderNameLen"`
	Calls             []EthCall `wire:"calls,required,min=1,max=MaxCalls"`
}

// DecodeEthPrepareCalls decodes ethPrepareCalls' params.
func DecodeEthPrepareCalls(params []byte) (p EthPrepareCallsParams, err *Error) {
	err = decodeParams(params, &p)
	return p, err
}

// EthSendCallsParams are ethSendCalls' parameters.
type EthSendCallsParams struct {
	ChainID           uint64  `wire:"chainId,required"`
	Account           Address `wire:"account,required"`
	CertificateSHA256 []byte  `wire:"certificateSha256,required,sha256"`
	PIN               PIN     `wire:"pin,required"`
	Reader            string  `wire:"reader,nonempty,max=maxReaderNameLen"`
	// Calls run as one batch: all or nothing. 1 … MaxCalls.
	Calls []EthCall `wire:"calls,required,min=1,max=MaxCalls"`
	// Fee is what the sheet showed, from ethPrepareCalls.
	Fee EthFee `wire:"fee,required"`
}

// DecodeEthSendCalls decodes ethSendCalls' params. On error no PIN is
// returned and any PIN copy already made is cleared.
func DecodeEthSendCalls(params []byte) (p EthSendCallsParams, err *Error) {
	if err = decodeParams(params, &p); err != nil {
		p.PIN.Clear()
		p.PIN = nil
		p.Calls = nil
	}
	return p, err
}

// EthSignHandoverParams are ethSignHandover's parameters: the card on the
// reader applies to take over Account (its previous card's account).
type EthSignHandoverParams struct {
	ChainID uint64 `wire:"chainId,required"`
	// Account is the account to take over, as the sheet showed it.
	Account Address `wire:"account,required"`
	// CertificateSHA256 is the SHA-256 of the certificate the sheet showed:
	// the new card's.
	CertificateSHA256 []byte `wire:"certificateSha256,required,sha256"`
	PIN               PIN    `wire:"pin,required"`
	Reader            string `wire:"reader,nonempty,max=maxReaderNameLen"`
}

// DecodeEthSignHandover decodes ethSignHandover's params. On error no PIN
// is returned and any PIN copy already made is cleared.
func DecodeEthSignHandover(params []byte) (p EthSignHandoverParams, err *Error) {
	if err = decodeParams(params, &p); err != nil {
		p.PIN.Clear()
		p.PIN = nil
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

// decodeQuantity decodes an Ethereum JSON-RPC quantity ("0x0", "0x1bc", no
// leading zeros) of at most 256 bits into dst.
func decodeQuantity(field string, raw []byte, dst *big.Int) *Error {
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

// arrayInto keeps a JSON array of at most maxLen bytes, as sent: a copy,
// for the message is cleared once the request is decoded and the array is
// forwarded later.
func arrayInto(dst *[]byte, maxLen int) func(string, []byte) *Error {
	return func(field string, raw []byte) *Error {
		if raw[0] != '[' {
			return badField(field, "want an array, got %s", kindOf(raw))
		}
		if len(raw) > maxLen {
			return badField(field, "longer than %d bytes", maxLen)
		}
		*dst = bytes.Clone(raw)
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
