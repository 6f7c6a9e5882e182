package account

import (
	"encoding/json"

	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// UserOperation is an ERC-4337 v0.8 user operation in its unpacked form (the bundler RPC form). Factory is
// the zero address once the account is deployed; Paymaster is zero when the account pays its own gas.
type UserOperation struct {
	Sender               common.Address
	Nonce                *big.Int
	Factory              common.Address // zero: no initCode
	FactoryData          []byte
	CallData             []byte
	CallGasLimit         uint64
	VerificationGasLimit uint64
	PreVerificationGas   uint64
	MaxFeePerGas         *big.Int
	MaxPriorityFeePerGas *big.Int
	// Paymaster pays the gas (and takes its fee its own way); zero: none.
	Paymaster                     common.Address
	PaymasterVerificationGasLimit uint64
	PaymasterPostOpGasLimit       uint64
	PaymasterData                 []byte
	Signature                     []byte
}

// PackedUserOperation is the EntryPoint's on-chain form; field names match the ABI tuple for go-ethereum's
// encoder (EntryPoint.handleOps, getUserOpHash).
type PackedUserOperation struct {
	Sender             common.Address
	Nonce              *big.Int
	InitCode           []byte
	CallData           []byte
	AccountGasLimits   [32]byte
	PreVerificationGas *big.Int
	GasFees            [32]byte
	PaymasterAndData   []byte
	Signature          []byte
}

// PaymasterAndData is paymaster || uint128 verificationGasLimit || uint128 postOpGasLimit || paymasterData,
// empty when Paymaster is zero.
func (op *UserOperation) PaymasterAndData() []byte {
	if op.Paymaster == (common.Address{}) {
		return []byte{}
	}
	limits := pack128(new(big.Int).SetUint64(op.PaymasterVerificationGasLimit), new(big.Int).SetUint64(op.PaymasterPostOpGasLimit))
	return append(append(op.Paymaster.Bytes(), limits[:]...), op.PaymasterData...)
}

// InitCode is factory || factoryData, empty when Factory is zero.
func (op *UserOperation) InitCode() []byte {
	if op.Factory == (common.Address{}) {
		return nil
	}
	return append(op.Factory.Bytes(), op.FactoryData...)
}

func pack128(hi, lo *big.Int) (w [32]byte) {
	hi.FillBytes(w[0:16])
	lo.FillBytes(w[16:32])
	return w
}

// Pack returns the packed form.
func (op *UserOperation) Pack() PackedUserOperation {
	return PackedUserOperation{
		Sender:             op.Sender,
		Nonce:              op.Nonce,
		InitCode:           op.InitCode(),
		CallData:           op.CallData,
		AccountGasLimits:   pack128(new(big.Int).SetUint64(op.VerificationGasLimit), new(big.Int).SetUint64(op.CallGasLimit)),
		PreVerificationGas: new(big.Int).SetUint64(op.PreVerificationGas),
		GasFees:            pack128(op.MaxPriorityFeePerGas, op.MaxFeePerGas),
		PaymasterAndData:   op.PaymasterAndData(),
		Signature:          op.Signature,
	}
}

var packedUserOpTypehash = crypto.Keccak256Hash([]byte("PackedUserOperation(address sender,uint256 nonce,bytes initCode,bytes callData,bytes32 accountGasLimits,uint256 preVerificationGas,bytes32 gasFees,bytes paymasterAndData)"))

// Hash is the v0.8 userOpHash: EIP-712 over the packed operation (signature excluded) in the EntryPoint's
// domain ("ERC4337", "1", chainID, entryPoint). It equals EntryPoint.getUserOpHash.
func (op *UserOperation) Hash(chainID *big.Int, entryPoint common.Address) common.Hash {
	p := op.Pack()
	structHash := crypto.Keccak256Hash(packedUserOpTypehash[:], common.LeftPadBytes(p.Sender.Bytes(), 32), common.BigToHash(p.Nonce).Bytes(),
		crypto.Keccak256(p.InitCode), crypto.Keccak256(p.CallData), p.AccountGasLimits[:], common.BigToHash(p.PreVerificationGas).Bytes(),
		p.GasFees[:], crypto.Keccak256(p.PaymasterAndData))
	return eip712Hash(Domain{Name: "ERC4337", Version: "1", ChainID: chainID, Account: entryPoint}.Separator(), structHash)
}

// rpcUserOperation is the JSON form of ERC-4337's bundler API for EntryPoint v0.7/v0.8.
type rpcUserOperation struct {
	Sender               common.Address  `json:"sender"`
	Nonce                *hexutil.Big    `json:"nonce"`
	Factory              *common.Address `json:"factory,omitempty"`
	FactoryData          hexutil.Bytes   `json:"factoryData,omitempty"`
	CallData             hexutil.Bytes   `json:"callData"`
	CallGasLimit         hexutil.Uint64  `json:"callGasLimit"`
	VerificationGasLimit hexutil.Uint64  `json:"verificationGasLimit"`
	PreVerificationGas   hexutil.Uint64  `json:"preVerificationGas"`
	MaxFeePerGas         *hexutil.Big    `json:"maxFeePerGas"`
	MaxPriorityFeePerGas *hexutil.Big    `json:"maxPriorityFeePerGas"`
	// The paymaster fields, all absent without a paymaster.
	Paymaster                     *common.Address `json:"paymaster,omitempty"`
	PaymasterVerificationGasLimit *hexutil.Uint64 `json:"paymasterVerificationGasLimit,omitempty"`
	PaymasterPostOpGasLimit       *hexutil.Uint64 `json:"paymasterPostOpGasLimit,omitempty"`
	PaymasterData                 *hexutil.Bytes  `json:"paymasterData,omitempty"`
	Signature                     hexutil.Bytes   `json:"signature"`
}

// MarshalJSON writes the bundler RPC form (eth_sendUserOperation's first parameter).
func (op *UserOperation) MarshalJSON() ([]byte, error) {
	r := rpcUserOperation{
		Sender: op.Sender, Nonce: (*hexutil.Big)(op.Nonce), CallData: op.CallData,
		CallGasLimit: hexutil.Uint64(op.CallGasLimit), VerificationGasLimit: hexutil.Uint64(op.VerificationGasLimit),
		PreVerificationGas: hexutil.Uint64(op.PreVerificationGas), MaxFeePerGas: (*hexutil.Big)(op.MaxFeePerGas),
		MaxPriorityFeePerGas: (*hexutil.Big)(op.MaxPriorityFeePerGas), Signature: op.Signature,
	}
	if r.CallData == nil {
		r.CallData = hexutil.Bytes{}
	}
	if op.Factory != (common.Address{}) {
		f := op.Factory
		r.Factory, r.FactoryData = &f, op.FactoryData
	}
	if op.Paymaster != (common.Address{}) {
		pm, verification, postOp, data := op.Paymaster, hexutil.Uint64(op.PaymasterVerificationGasLimit), hexutil.Uint64(op.PaymasterPostOpGasLimit), hexutil.Bytes(op.PaymasterData)
		if data == nil {
			data = hexutil.Bytes{}
		}
		r.Paymaster, r.PaymasterVerificationGasLimit, r.PaymasterPostOpGasLimit, r.PaymasterData = &pm, &verification, &postOp, &data
	}
	return json.Marshal(r)
}

// UnmarshalJSON reads the bundler RPC form.
func (op *UserOperation) UnmarshalJSON(data []byte) error {
	var r rpcUserOperation
	if err := json.Unmarshal(data, &r); err != nil {
		return err
	}
	*op = UserOperation{
		Sender: r.Sender, Nonce: (*big.Int)(r.Nonce), FactoryData: r.FactoryData, CallData: r.CallData,
		CallGasLimit: uint64(r.CallGasLimit), VerificationGasLimit: uint64(r.VerificationGasLimit), PreVerificationGas: uint64(r.PreVerificationGas),
		MaxFeePerGas: (*big.Int)(r.MaxFeePerGas), MaxPriorityFeePerGas: (*big.Int)(r.MaxPriorityFeePerGas), Signature: r.Signature,
	}
	if r.Factory != nil {
		op.Factory = *r.Factory
	}
	if r.Paymaster != nil {
		op.Paymaster = *r.Paymaster
		if r.PaymasterVerificationGasLimit != nil {
			op.PaymasterVerificationGasLimit = uint64(*r.PaymasterVerificationGasLimit)
		}
		if r.PaymasterPostOpGasLimit != nil {
			op.PaymasterPostOpGasLimit = uint64(*r.PaymasterPostOpGasLimit)
		}
		if r.PaymasterData != nil {
			op.PaymasterData = *r.PaymasterData
		}
	}
	for _, v := range []**big.Int{&op.Nonce, &op.MaxFeePerGas, &op.MaxPriorityFeePerGas} {
		if *v == nil {
			*v = new(big.Int)
		}
	}
	return nil
}
