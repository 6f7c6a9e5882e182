package contracts

import (
	"crypto/rsa"
	"encoding/binary"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// The deterministic deployment proxy (github.com/Arachnid/deterministic-deployment-proxy), present on mainnet
// and most public chains at the same address: calldata salt(32) || initCode deploys initCode with CREATE2
// and returns the 20-byte address. Deploying through it makes addresses depend only on code and salt.
var (
	DeterministicDeployer     = common.HexToAddress("0x4e59b44847b379578588920cA78fbF26c0B4956C")
	DeterministicDeployerCode = common.FromHex("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3")
)

// DeterministicDeployerInput is the calldata that makes the deterministic deployment proxy deploy initCode.
func DeterministicDeployerInput(salt common.Hash, initCode []byte) []byte {
	return append(salt.Bytes(), initCode...)
}

// DeterministicAddress is where the deterministic deployment proxy deploys initCode with salt.
func DeterministicAddress(salt common.Hash, initCode []byte) common.Address {
	return crypto.CreateAddress2(DeterministicDeployer, salt, crypto.Keccak256(initCode))
}

// RSAKey returns the public key as CardAccount takes it: exponent and modulus big-endian without leading zero
// bytes (65537 is the three bytes 01 00 01). Any other encoding names a different, undeployable account.
func RSAKey(pub *rsa.PublicKey) (e, n []byte) {
	return big.NewInt(int64(pub.E)).Bytes(), pub.N.Bytes()
}

// KeyHash is keccak256(abi.encode(e, n)), the topic CardAccount.OwnerRotated and
// CardAccountFactory.AccountCreated index keys by.
func KeyHash(e, n []byte) common.Hash {
	return crypto.Keccak256Hash(encodeKey(e, n, nil))
}

// CardAccountAddress computes, without a chain, the address CardAccountFactory.getAddress(e, n, index) returns for
// the factory at factory: a CREATE2 clone of the implementation the factory created first (nonce 1), with
// immutable arguments index || uint16(len(n)) || n || e and salt keccak256(abi.encode(e, n, index)).
func CardAccountAddress(factory common.Address, e, n []byte, index *big.Int) (common.Address, error) {
	if len(n) > 0xffff || index.Sign() < 0 || index.BitLen() > 256 {
		return common.Address{}, fmt.Errorf("contracts: key or index out of range")
	}
	implementation := crypto.CreateAddress(factory, 1)
	args := make([]byte, 0, 34+len(n)+len(e))
	args = append(args, common.BigToHash(index).Bytes()...)
	args = binary.BigEndian.AppendUint16(args, uint16(len(n)))
	args = append(args, n...)
	args = append(args, e...)
	salt := crypto.Keccak256Hash(encodeKey(e, n, index))
	return crypto.CreateAddress2(factory, salt, crypto.Keccak256(cloneInitCode(implementation, args))), nil
}

// cloneInitCode is OpenZeppelin Clones' creation code of an ERC-1167 proxy with immutable arguments.
func cloneInitCode(implementation common.Address, args []byte) []byte {
	code := []byte{0x61}
	code = binary.BigEndian.AppendUint16(code, uint16(len(args)+0x2d))
	code = append(code, common.FromHex("3d81600a3d39f3363d3d373d3d3d363d73")...)
	code = append(code, implementation.Bytes()...)
	code = append(code, common.FromHex("5af43d82803e903d91602b57fd5bf3")...)
	return append(code, args...)
}

var (
	bytesType, _   = abi.NewType("bytes", "", nil)
	uint256Type, _ = abi.NewType("uint256", "", nil)
)

// encodeKey is abi.encode(e, n), or abi.encode(e, n, index) when index is given.
func encodeKey(e, n []byte, index *big.Int) []byte {
	args := abi.Arguments{{Type: bytesType}, {Type: bytesType}}
	values := []any{e, n}
	if index != nil {
		args = append(args, abi.Argument{Type: uint256Type})
		values = append(values, index)
	}
	out, err := args.Pack(values...)
	if err != nil {
		// Only a negative or oversized index fails, and callers check for it first.
		panic("contracts: " + err.Error())
	}
	return out
}

// Published are the addresses of the contracts every MynaConnect account relies on. Each is deployed through
// the deterministic deployment proxy with salt zero, so its address follows from its code and constructor
// arguments alone and is the same on every chain (docs/contracts.md): a person can find and rescue an
// account from these addresses years after MynaConnect is gone.
type Published struct {
	Recovery        common.Address // CardRecovery
	PasskeyVerifier common.Address // PasskeyVerifier (ERC-7913 WebAuthn)
	AccountFactory  common.Address // CardAccountFactory(EntryPoint v0.8, Recovery)
}

// Addresses is Published for the callers that need only the addresses (every ethAccount, a guardian's kind,
// the doctor): computed once per process, since it hashes the contracts' creation code (about 100 µs and
// 32 KB each time).
var Addresses = sync.OnceValues(func() (Published, error) {
	p, _, err := PublishedAddresses()
	return p, err
})

// PublishedAddresses computes Published from the embedded artifacts, with each contract's creation code (init)
// as it is deployed.
func PublishedAddresses() (p Published, init map[string][]byte, err error) {
	init = map[string][]byte{CardRecovery.Name: CardRecovery.Bytecode(), PasskeyVerifier.Name: PasskeyVerifier.Bytecode()}
	p.Recovery = DeterministicAddress(common.Hash{}, init[CardRecovery.Name])
	p.PasskeyVerifier = DeterministicAddress(common.Hash{}, init[PasskeyVerifier.Name])
	if init[CardAccountFactory.Name], err = CardAccountFactory.DeployData(EntryPointV08Address, p.Recovery); err != nil {
		return Published{}, nil, err
	}
	p.AccountFactory = DeterministicAddress(common.Hash{}, init[CardAccountFactory.Name])
	return p, init, nil
}
