package account

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// Config names the chain contracts an account lives with; it comes from the chain configuration file
// (host/chainconfig Network: AccountFactory, EntryPoint), never from code.
type Config struct {
	Factory    common.Address
	EntryPoint common.Address
	// Index selects one of the card's accounts; nil means 0.
	Index *big.Int
}

// Account is one card account on one chain, with the card that signs for it.
type Account struct {
	owner       Owner
	index       *big.Int
	addr        common.Address
	factory     common.Address
	factoryData []byte
	entryPoint  common.Address
	chainID     *big.Int
	card        crypto.Signer
	rpc         *rpc.Client
	eth         *ethclient.Client
}

// New returns the account of owner (the card's auth key) on the chain behind client. card signs for it: a
// crypto.Signer over SHA-256 digests, jpki.(*Card).AuthKey(owner.Pub) in production. New asks the chain for
// its id only; the address is computed offline.
func New(ctx context.Context, client *rpc.Client, cfg Config, owner Owner, card crypto.Signer) (*Account, error) {
	index := cfg.Index
	if index == nil {
		index = new(big.Int)
	}
	addr, err := owner.Address(cfg.Factory, index)
	if err != nil {
		return nil, err
	}
	data, err := owner.FactoryData(index)
	if err != nil {
		return nil, err
	}
	eth := ethclient.NewClient(client)
	chainID, err := eth.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("account: eth_chainId: %w", err)
	}
	return &Account{owner: owner, index: new(big.Int).Set(index), addr: addr, factory: cfg.Factory, factoryData: data,
		entryPoint: cfg.EntryPoint, chainID: chainID, card: card, rpc: client, eth: eth}, nil
}

// At returns the deployed account at addr whose owner is now owner: an account created for another key and
// handed to this card (a renewal or a recovery through CardRecovery), whose address no longer follows from the
// card's key. It checks on chain that the account's current key is owner's.
func At(ctx context.Context, client *rpc.Client, cfg Config, addr common.Address, owner Owner, card crypto.Signer) (*Account, error) {
	a, err := New(ctx, client, cfg, owner, card)
	if err != nil {
		return nil, err
	}
	if addr == a.addr {
		return a, nil
	}
	a.addr, a.factoryData = addr, nil
	got, err := a.callOne(ctx, addr, contracts.CardAccount, "keyHash")
	if err != nil {
		return nil, fmt.Errorf("account: %s is not a deployed card account: %w", addr, err)
	}
	if common.Hash(got.([32]byte)) != owner.KeyHash() {
		return nil, fmt.Errorf("account: %s is owned by another key than this card's", addr)
	}
	return a, nil
}

// Address is the account address (counterfactual until deployed).
func (a *Account) Address() common.Address { return a.addr }

// ChainID is the chain the account signs for.
func (a *Account) ChainID() *big.Int { return new(big.Int).Set(a.chainID) }

// Owner is the card key that owns the account.
func (a *Account) Owner() Owner { return a.owner }

// Domain is the account's EIP-712 domain.
func (a *Account) Domain() Domain { return CardAccountDomain(a.chainID, a.addr) }

// Deployed reports whether the account has code on the chain.
func (a *Account) Deployed(ctx context.Context) (bool, error) {
	code, err := a.eth.CodeAt(ctx, a.addr, nil)
	if err != nil {
		return false, fmt.Errorf("account: eth_getCode: %w", err)
	}
	return len(code) > 0, nil
}

// sign is the signing pipeline: SHA-256 of target, signed by the card as DigestInfo(SHA-256), checked against
// the owner key. It is unexported on purpose: see the package documentation.
func (a *Account) sign(target common.Hash) ([]byte, error) {
	digest := sha256.Sum256(target[:])
	sig, err := a.card.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("account: card signature: %w", err)
	}
	if err := rsa.VerifyPKCS1v15(a.owner.Pub, crypto.SHA256, digest[:], sig); err != nil {
		return nil, fmt.Errorf("account: the card's signature does not verify with the account owner key (another card?): %w", err)
	}
	return sig, nil
}

// Signature is a message signature for a dapp to verify with ERC-1271 / ERC-6492.
type Signature struct {
	// Hash is what the dapp passes to isValidSignature (EIP-191 or EIP-712 hash of the message).
	Hash common.Hash
	// Bytes is the signature: ERC-6492 wrapped when Wrapped, plain ERC-1271 otherwise.
	Bytes   []byte
	Wrapped bool
}

// finish wraps sig in ERC-6492 while the account has no code.
func (a *Account) finish(ctx context.Context, hash common.Hash, sig []byte) (*Signature, error) {
	deployed, err := a.Deployed(ctx)
	if err != nil {
		return nil, err
	}
	if deployed {
		return &Signature{Hash: hash, Bytes: sig}, nil
	}
	return &Signature{Hash: hash, Bytes: Wrap6492(a.factory, a.factoryData, sig), Wrapped: true}, nil
}

// SignPersonal answers personal_sign(message): the card signs the ERC-7739 PersonalSign hash bound to this
// account and chain.
func (a *Account) SignPersonal(ctx context.Context, message []byte) (*Signature, error) {
	hash, target := PersonalSignHash(a.Domain(), message)
	sig, err := a.sign(target)
	if err != nil {
		return nil, err
	}
	return a.finish(ctx, hash, sig)
}

// SignTypedData answers eth_signTypedData_v4 with the page's typed data as eip712.Decode read it (the consent
// sheet's reading, decoded once by the caller): the card signs the ERC-7739 TypedDataSign hash bound to this
// account and chain. A typed-data domain naming another chain is refused.
func (a *Account) SignTypedData(ctx context.Context, td *eip712.TypedData) (*Signature, error) {
	if err := td.CheckChain(a.chainID.Uint64()); err != nil {
		return nil, fmt.Errorf("account: %w", err)
	}
	hash, target, suffix, err := TypedDataSignHash(a.Domain(), td)
	if err != nil {
		return nil, err
	}
	sig, err := a.sign(target)
	if err != nil {
		return nil, err
	}
	return a.finish(ctx, hash, append(sig, suffix...))
}
