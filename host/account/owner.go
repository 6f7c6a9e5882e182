package account

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
)

// Owner is the card key that owns an account, in the encoding CardAccount takes: exponent and modulus
// big-endian without leading zeros (e = 01 00 01). Any other encoding names another account.
type Owner struct {
	Pub  *rsa.PublicKey
	E, N []byte
}

// OwnerFromPublicKey returns the owner for an RSA-2048 public key.
func OwnerFromPublicKey(pub *rsa.PublicKey) (Owner, error) {
	if pub == nil || pub.N == nil || pub.N.BitLen() != 2048 {
		return Owner{}, fmt.Errorf("account: owner key must be RSA-2048")
	}
	e, n := contracts.RSAKey(pub)
	return Owner{Pub: pub, E: e, N: n}, nil
}

// OwnerFromCertificate returns the owner for the card's authentication certificate (DER), as
// jpki.(*Card).ReadAuthCertificate returns it. Only the public key is used: the certificate and its serial
// number never go on-chain.
func OwnerFromCertificate(der []byte) (Owner, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return Owner{}, fmt.Errorf("account: auth certificate: %w", err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return Owner{}, fmt.Errorf("account: auth certificate key is %T, want RSA", cert.PublicKey)
	}
	return OwnerFromPublicKey(pub)
}

// KeyHash is keccak256(abi.encode(e, n)), by which OwnerRotated and AccountCreated events index the key.
func (o Owner) KeyHash() common.Hash { return contracts.KeyHash(o.E, o.N) }

// Address is the counterfactual account address of o at factory with index, computed offline; it equals
// CardAccountFactory.getAddress(e, n, index).
func (o Owner) Address(factory common.Address, index *big.Int) (common.Address, error) {
	return contracts.CardAccountAddress(factory, o.E, o.N, index)
}

// FactoryData is the createAccount(e, n, index) calldata: what a first UserOperation (factoryData) and an
// ERC-6492 wrapper carry.
func (o Owner) FactoryData(index *big.Int) ([]byte, error) {
	return contracts.CardAccountFactory.Pack("createAccount", o.E, o.N, index)
}
