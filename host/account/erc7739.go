package account

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/account/typedhash"
	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// Domain is an account's own EIP-712 domain, to which ERC-7739 binds every signature: CardAccount's name
// and version, the chain id and the account address.
type Domain struct {
	Name, Version string
	ChainID       *big.Int
	Account       common.Address
}

// CardAccountDomain is the EIP-712 domain of the CardAccount at addr on chain chainID.
func CardAccountDomain(chainID *big.Int, addr common.Address) Domain {
	return Domain{Name: "CardAccount", Version: "1", ChainID: chainID, Account: addr}
}

var (
	eip712DomainTypehash = crypto.Keccak256Hash([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"))
	personalSignTypehash = crypto.Keccak256Hash([]byte("PersonalSign(bytes prefixed)"))
)

// Separator is the EIP-712 domain separator of d.
func (d Domain) Separator() common.Hash {
	return crypto.Keccak256Hash(eip712DomainTypehash[:], crypto.Keccak256([]byte(d.Name)), crypto.Keccak256([]byte(d.Version)),
		common.BigToHash(d.ChainID).Bytes(), common.LeftPadBytes(d.Account.Bytes(), 32))
}

func eip712Hash(domain, structHash common.Hash) common.Hash {
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, domain[:], structHash[:])
}

// PersonalSignHash returns, for personal_sign(message) by the account of d, the hash a dapp passes to
// isValidSignature (EIP-191 of message) and the ERC-7739 PersonalSign target the card signs.
func PersonalSignHash(d Domain, message []byte) (dappHash, target common.Hash) {
	dappHash = common.BytesToHash(accounts.TextHash(message))
	structHash := crypto.Keccak256Hash(personalSignTypehash[:], dappHash[:])
	return dappHash, eip712Hash(d.Separator(), structHash)
}

// TypedDataSignHash returns, for eth_signTypedData_v4(td) by the account of d, the hash a dapp passes to
// isValidSignature (the EIP-712 hash of td), the ERC-7739 TypedDataSign target the card signs, and the
// suffix appended to the card's signature: appDomainSeparator || contentsHash || contentsType ||
// uint16(len(contentsType)) (implicit mode).
func TypedDataSignHash(d Domain, td *eip712.TypedData) (dappHash, target common.Hash, suffix []byte, err error) {
	name := td.PrimaryType
	if err := checkContentsName(name); err != nil {
		return common.Hash{}, common.Hash{}, nil, err
	}
	app, contents := typedhash.DomainSeparator(td), typedhash.Struct(td, td.Message)
	contentsType := typedhash.EncodeType(td, name)
	if len(contentsType) > 0xffff {
		return common.Hash{}, common.Hash{}, nil, fmt.Errorf("account: typed data types too long")
	}
	typehash := crypto.Keccak256Hash([]byte("TypedDataSign(" + name + " contents,string name,string version,uint256 chainId,address verifyingContract,bytes32 salt)" + contentsType))
	structHash := crypto.Keccak256Hash(typehash[:], contents[:], crypto.Keccak256([]byte(d.Name)), crypto.Keccak256([]byte(d.Version)),
		common.BigToHash(d.ChainID).Bytes(), common.LeftPadBytes(d.Account.Bytes(), 32), make([]byte, 32))
	suffix = append(append(append([]byte{}, app[:]...), contents[:]...), contentsType...)
	suffix = binary.BigEndian.AppendUint16(suffix, uint16(len(contentsType)))
	return eip712Hash(app, contents), eip712Hash(app, structHash), suffix, nil
}

// checkContentsName applies ERC-7739's rule for the contents type name: not empty, not starting with a
// lowercase letter, none of ", )(" or NUL (OpenZeppelin's ERC7739Utils rejects such names on-chain).
func checkContentsName(name string) error {
	if name == "" || (name[0] >= 'a' && name[0] <= 'z') {
		return fmt.Errorf("account: typed data primaryType %q cannot be signed through ERC-7739", name)
	}
	for _, c := range []byte(name) {
		switch c {
		case ',', ' ', ')', '(', 0:
			return fmt.Errorf("account: typed data primaryType %q cannot be signed through ERC-7739", name)
		}
	}
	return nil
}
