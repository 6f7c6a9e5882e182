package chaintest

import (
	gocrypto "crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// Chains are shared by the tests of this package (devchaintest.Shared: starting one takes ~0.1 s, deploying
// into it a little more). Tests keep out of each other's way by using accounts of their own.
func TestMain(m *testing.M) { os.Exit(devchaintest.Run(m)) }

func chain(t testing.TB, fork devchain.Fork, chainID uint64) *devchain.Chain {
	t.Helper()
	return devchaintest.Shared(t, devchain.Options{Fork: fork, ChainID: chainID})
}

// defaultChain is the chain most tests use: mainnet's current rules.
func defaultChain(t testing.TB) *devchain.Chain {
	return chain(t, devchain.DefaultFork, devchain.DefaultChainID)
}

// card stands in for a My Number card: an RSA-2048 key that signs PKCS#1 v1.5 over a SHA-256 DigestInfo,
// given the digest. Like the host, sign hashes the 32-byte target (userOpHash or ERC-7739 hash) with SHA-256
// first: the card signs DigestInfo(SHA-256(target)).
type card struct {
	key  *rsa.PrivateKey
	e, n []byte
}

func (c card) sign(target common.Hash) []byte {
	digest := sha256.Sum256(target[:])
	sig, err := rsa.SignPKCS1v15(nil, c.key, gocrypto.SHA256, digest[:])
	if err != nil {
		panic(err)
	}
	return sig
}

func newCard(key *rsa.PrivateKey) card {
	e, n := contracts.RSAKey(&key.PublicKey)
	return card{key: key, e: e, n: n}
}

// testCard is the committed test PKI's authentication key, the key the virtual card uses.
func testCard(t testing.TB) card {
	t.Helper()
	pemBytes, err := fs.ReadFile(mynaconnect.TestPKI(), "auth-key.pem")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(pemBytes)
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return newCard(key.(*rsa.PrivateKey))
}

var (
	renewedOnce sync.Once
	renewedKey  *rsa.PrivateKey
)

// renewedCard is a second card key, as a renewed card would have.
func renewedCard(t testing.TB) card {
	renewedOnce.Do(func() {
		var err error
		if renewedKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return newCard(renewedKey)
}

// nextIndex gives every account made by a test an index of its own, so the shared chains hold no surprises.
var accountIndex atomic.Int64

// account is a smart account under test: a CardAccount owned by a card, or the ECDSA reference.
type account struct {
	chain *devchain.Chain
	addr  common.Address
	// initCode is factory || createAccount(...): what a first UserOperation and an ERC-6492 wrapper carry.
	factory     common.Address
	factoryData []byte
	// sign makes the account-level signature of a 32-byte target (userOpHash or ERC-7739 hash).
	sign func(common.Hash) []byte
	// domainName is the account's EIP-712 name, part of its ERC-7739 domain.
	domainName string
}

func newCardAccount(t testing.TB, c *devchain.Chain, owner card) *account {
	t.Helper()
	return newCardAccountAt(t, c, owner, big.NewInt(accountIndex.Add(1)))
}

// newCardAccountAt is the account of owner with a given index: measurements fix it, so the signature bytes
// (whose zero bytes cost less calldata gas) and thus the figures do not depend on which tests ran first.
func newCardAccountAt(t testing.TB, c *devchain.Chain, owner card, index *big.Int) *account {
	t.Helper()
	addr := devchaintest.CallAs[common.Address](t, c, c.AccountFactory(), contracts.CardAccountFactory, "getAddress", owner.e, owner.n, index)
	offline, err := contracts.CardAccountAddress(c.AccountFactory(), owner.e, owner.n, index)
	if err != nil || offline != addr {
		t.Fatalf("offline address %s (%v), factory says %s", offline, err, addr)
	}
	data, err := contracts.CardAccountFactory.Pack("createAccount", owner.e, owner.n, index)
	if err != nil {
		t.Fatal(err)
	}
	return &account{chain: c, addr: addr, factory: c.AccountFactory(), factoryData: data, sign: owner.sign, domainName: "CardAccount"}
}

func newECDSAAccount(t testing.TB, c *devchain.Chain, owner *ecdsa.PrivateKey) *account {
	t.Helper()
	return newECDSAAccountAt(t, c, owner, big.NewInt(accountIndex.Add(1)))
}

func newECDSAAccountAt(t testing.TB, c *devchain.Chain, owner *ecdsa.PrivateKey, index *big.Int) *account {
	t.Helper()
	ownerAddr := crypto.PubkeyToAddress(owner.PublicKey)
	f := c.ReferenceAccountFactory()
	addr := devchaintest.CallAs[common.Address](t, c, f, contracts.ECDSAAccountFactory, "getAddress", ownerAddr, index)
	data, err := contracts.ECDSAAccountFactory.Pack("createAccount", ownerAddr, index)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(h common.Hash) []byte {
		sig, err := crypto.Sign(h[:], owner)
		if err != nil {
			panic(err)
		}
		sig[64] += 27
		return sig
	}
	return &account{chain: c, addr: addr, factory: f, factoryData: data, sign: sign, domainName: "ECDSAAccount"}
}

func (a *account) initCode() []byte { return append(a.factory.Bytes(), a.factoryData...) }

// deploy creates the account directly through its factory (the relayer pays), as a dapp's ERC-6492
// verification or a first UserOperation would.
func (a *account) deploy(t testing.TB) {
	t.Helper()
	f := a.factory
	if _, err := a.chain.Send(devchaintest.Context(t), devchain.RelayerKey, &f, nil, a.factoryData); err != nil {
		t.Fatal(err)
	}
}

func (a *account) deployed(t testing.TB) bool {
	code, err := a.chain.Client().CodeAt(devchaintest.Context(t), a.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	return len(code) > 0
}

// --- ERC-7739 (the account's replay-safe ERC-1271 hashes) -------------------------------------------------

var (
	eip712DomainTypehash = crypto.Keccak256Hash([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"))
	personalSignTypehash = crypto.Keccak256Hash([]byte("PersonalSign(bytes prefixed)"))
)

func domainSeparator(name, version string, chainID *big.Int, verifyingContract common.Address) common.Hash {
	return crypto.Keccak256Hash(eip712DomainTypehash[:], crypto.Keccak256([]byte(name)), crypto.Keccak256([]byte(version)),
		common.BigToHash(chainID).Bytes(), common.LeftPadBytes(verifyingContract.Bytes(), 32))
}

func typedDataHash(domain, structHash common.Hash) common.Hash {
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, domain[:], structHash[:])
}

// personalTarget is what the card signs for personal_sign(message) on account a of chain chainID: the
// ERC-7739 PersonalSign hash, bound to the account's EIP-712 domain (its address and the chain id).
func (a *account) personalTarget(chainID *big.Int, message []byte) common.Hash {
	structHash := crypto.Keccak256Hash(personalSignTypehash[:], accounts.TextHash(message))
	return typedDataHash(domainSeparator(a.domainName, "1", chainID, a.addr), structHash)
}

// personalSign returns the hash a dapp passes to isValidSignature (EIP-191 of the message) and the signature.
func (a *account) personalSign(chainID *big.Int, message []byte) (common.Hash, []byte) {
	return common.BytesToHash(accounts.TextHash(message)), a.sign(a.personalTarget(chainID, message))
}

// mail is the typed data the tests sign with eth_signTypedData_v4: Mail(address to,string contents) in a
// dapp's domain.
type mail struct {
	to       common.Address
	contents string
}

const mailType = "Mail(address to,string contents)"

func (m mail) structHash() common.Hash {
	return crypto.Keccak256Hash(crypto.Keccak256([]byte(mailType)), common.LeftPadBytes(m.to.Bytes(), 32), crypto.Keccak256([]byte(m.contents)))
}

// typedSign returns the hash a dapp passes to isValidSignature for m in appDomain and the ERC-7739
// TypedDataSign signature (typedSignContents).
func (a *account) typedSign(chainID *big.Int, appDomain common.Hash, m mail) (common.Hash, []byte) {
	return a.typedSignContents(chainID, appDomain, m.structHash(), mailType)
}

// typedSignContents returns the hash a verifier passes to isValidSignature for typed data whose struct hash
// is contents, of type contentsType ("Name(...)"), in appDomain, and the ERC-7739 TypedDataSign signature:
// sig || appDomain || contentsHash || contentsDescr || uint16(len(contentsDescr)).
func (a *account) typedSignContents(chainID *big.Int, appDomain, contents common.Hash, contentsType string) (common.Hash, []byte) {
	name, _, _ := strings.Cut(contentsType, "(")
	typedDataSign := crypto.Keccak256Hash([]byte("TypedDataSign(" + name + " contents,string name,string version,uint256 chainId,address verifyingContract,bytes32 salt)" + contentsType))
	// The account's own domain fields, abi.encode(keccak(name), keccak(version), chainId, account, salt 0).
	structHash := crypto.Keccak256Hash(typedDataSign[:], contents[:], crypto.Keccak256([]byte(a.domainName)), crypto.Keccak256([]byte("1")),
		common.BigToHash(chainID).Bytes(), common.LeftPadBytes(a.addr.Bytes(), 32), make([]byte, 32))
	sig := a.sign(typedDataHash(appDomain, structHash))
	sig = append(sig, appDomain[:]...)
	sig = append(sig, contents[:]...)
	sig = append(sig, contentsType...)
	sig = append(sig, byte(len(contentsType)>>8), byte(len(contentsType)))
	return typedDataHash(appDomain, contents), sig
}

// --- ERC-1271 and ERC-6492 verification, as a dapp's server does it ---------------------------------------

// isValid1271 asks the deployed account directly.
func (a *account) isValid1271(t testing.TB, hash common.Hash, sig []byte) bool {
	t.Helper()
	return devchaintest.Valid1271(t, a.chain, a.addr, hash, sig)
}

var erc6492Suffix = common.FromHex("0x6492649264926492649264926492649264926492649264926492649264926492")

// wrap6492 wraps sig for an account that may not exist yet: abi.encode(factory, factoryCalldata, sig) || magic.
func (a *account) wrap6492(sig []byte) []byte {
	enc, err := abiArgs("address", "bytes", "bytes").Pack(a.factory, a.factoryData, sig)
	if err != nil {
		panic(err)
	}
	return append(enc, erc6492Suffix...)
}

func abiArgs(types ...string) abi.Arguments {
	var args abi.Arguments
	for _, name := range types {
		typ, err := abi.NewType(name, "", nil)
		if err != nil {
			panic(err)
		}
		args = append(args, abi.Argument{Type: typ})
	}
	return args
}

// --- UserOperations (EntryPoint v0.8) ----------------------------------------------------------------------

// userOp is PackedUserOperation; field names match the ABI tuple for go-ethereum's encoder.
type userOp struct {
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

var packedUserOpTypehash = crypto.Keccak256Hash([]byte("PackedUserOperation(address sender,uint256 nonce,bytes initCode,bytes callData,bytes32 accountGasLimits,uint256 preVerificationGas,bytes32 gasFees,bytes paymasterAndData)"))

// hash is the v0.8 userOpHash: EIP-712 over the operation in the EntryPoint's domain ("ERC4337", "1").
func (op *userOp) hash(chainID *big.Int, entryPoint common.Address) common.Hash {
	structHash := crypto.Keccak256Hash(packedUserOpTypehash[:], common.LeftPadBytes(op.Sender.Bytes(), 32), common.BigToHash(op.Nonce).Bytes(),
		crypto.Keccak256(op.InitCode), crypto.Keccak256(op.CallData), op.AccountGasLimits[:], common.BigToHash(op.PreVerificationGas).Bytes(),
		op.GasFees[:], crypto.Keccak256(op.PaymasterAndData))
	return typedDataHash(domainSeparator("ERC4337", "1", chainID, entryPoint), structHash)
}

func pack128(hi, lo uint64) (w [32]byte) {
	new(big.Int).SetUint64(hi).FillBytes(w[8:16])
	new(big.Int).SetUint64(lo).FillBytes(w[24:32])
	return w
}

// newOp builds a signed UserOperation of a running calls; initCode is set while the account is undeployed.
func (a *account) newOp(t testing.TB, calls []contracts.Call) *userOp {
	t.Helper()
	c := a.chain
	callData, err := contracts.ExecuteBatch(calls)
	if err != nil {
		t.Fatal(err)
	}
	nonce := devchaintest.CallAs[*big.Int](t, c, c.EntryPoint(), contracts.EntryPoint, "getNonce", a.addr, big.NewInt(0))
	op := &userOp{
		Sender:             a.addr,
		Nonce:              nonce,
		CallData:           callData,
		AccountGasLimits:   pack128(600_000, 300_000), // verificationGasLimit, callGasLimit
		PreVerificationGas: big.NewInt(60_000),
		GasFees:            pack128(1_000_000, 5_000_000_000), // maxPriorityFeePerGas, maxFeePerGas
	}
	if !a.deployed(t) {
		op.InitCode = a.initCode()
	}
	op.Signature = a.sign(op.hash(c.ChainID(), c.EntryPoint()))
	return op
}

// handleOps submits ops from the relayer (also the beneficiary) and returns the receipt; an operation that
// fails inside a successful transaction shows as UserOperationEvent.success == false, which this reports.
func handleOps(t testing.TB, c *devchain.Chain, ops ...*userOp) (*types.Receipt, error) {
	t.Helper()
	relayer := crypto.PubkeyToAddress(devchain.RelayerKey.PublicKey)
	packed := make([]userOp, len(ops))
	for i, op := range ops {
		packed[i] = *op
	}
	data, err := contracts.EntryPoint.Pack("handleOps", packed, relayer)
	if err != nil {
		t.Fatal(err)
	}
	ep := c.EntryPoint()
	r, err := c.Send(devchaintest.Context(t), devchain.RelayerKey, &ep, nil, data)
	if err != nil {
		return r, err
	}
	event := contracts.EntryPoint.ABI().Events["UserOperationEvent"]
	for _, l := range r.Logs {
		if len(l.Topics) > 0 && l.Topics[0] == event.ID {
			vals, err := event.Inputs.NonIndexed().Unpack(l.Data)
			if err != nil {
				t.Fatal(err)
			}
			if ok := vals[1].(bool); !ok {
				return r, fmt.Errorf("UserOperation %s executed with success=false", l.Topics[1])
			}
		}
	}
	return r, nil
}
