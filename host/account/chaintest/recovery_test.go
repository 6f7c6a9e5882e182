package chaintest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// The recovery tests move the chain's clock by days: they run on chains of their own, so that no other test
// sees time jump.
const recoveryChainID = 4_242

func recoveryChain(t testing.TB) *devchain.Chain {
	return chain(t, devchain.DefaultFork, recoveryChainID)
}

var (
	familyOnce sync.Once
	familyKey  *rsa.PrivateKey
)

// familyCard is a family member's card: the owner of the card account that guards the test accounts.
func familyCard(t testing.TB) card {
	familyOnce.Do(func() {
		var err error
		if familyKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return newCard(familyKey)
}

// guardian is one of an account's guardians with its way of approving a recovery hash.
type guardian struct {
	signer  []byte // ERC-7913: a 20-byte address
	approve func(hash common.Hash) []byte
}

// eoaGuardian is a plain address guardian (an ECDSA key).
func eoaGuardian(t testing.TB) (guardian, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return guardian{signer: crypto.PubkeyToAddress(key.PublicKey).Bytes(), approve: func(h common.Hash) []byte {
		sig, err := crypto.Sign(h[:], key)
		if err != nil {
			panic(err)
		}
		sig[64] += 27
		return sig
	}}, key
}

// passkeyGuardian is a passkey guardian (WebAuthn, P-256): the ERC-7913 signer verifier || qx || qy. It
// approves with an assertion whose challenge is the recovery hash, as a phone or a security key signs for
// a site; userVerified says whether the authenticator checked the person (a PIN or a fingerprint).
func passkeyGuardian(t testing.TB, verifier common.Address, userVerified bool) guardian {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	point, err := key.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	flags := byte(0x01) // user present
	if userVerified {
		flags |= 0x04
	}
	return guardian{signer: append(verifier.Bytes(), point[1:]...), approve: func(h common.Hash) []byte {
		clientData := `{"type":"webauthn.get","challenge":"` + base64.RawURLEncoding.EncodeToString(h[:]) + `","origin":"https://mynaconnect.example","crossOrigin":false}`
		rpIDHash := sha256.Sum256([]byte("mynaconnect.example"))
		authData := append(rpIDHash[:], flags, 0, 0, 0, 1)
		clientDataHash := sha256.Sum256([]byte(clientData))
		digest := sha256.Sum256(append(bytes.Clone(authData), clientDataHash[:]...))
		r, sv, err := ecdsa.Sign(rand.Reader, key, digest[:])
		if err != nil {
			panic(err)
		}
		// Low s, as the verifier requires (no malleable twin).
		if n := elliptic.P256().Params().N; sv.Cmp(new(big.Int).Rsh(n, 1)) > 0 {
			sv.Sub(n, sv)
		}
		var rb, sb [32]byte
		r.FillBytes(rb[:])
		sv.FillBytes(sb[:])
		// WebAuthn.WebAuthnAuth's fields, encoded as abi.encode(r, s, challengeIndex, typeIndex,
		// authenticatorData, clientDataJSON): the verifier reads the struct from the first byte.
		enc, err := abiArgs("bytes32", "bytes32", "uint256", "uint256", "bytes", "string").Pack(rb, sb,
			big.NewInt(int64(strings.Index(clientData, `"challenge":"`))), big.NewInt(int64(strings.Index(clientData, `"type":"webauthn.get"`))),
			authData, clientData)
		if err != nil {
			panic(err)
		}
		return enc
	}}
}

// recoveryType is the EIP-712 type every approval signs.
const recoveryType = "Recovery(address account,bytes32 newKeyHash,uint256 nonce)"

// recoveryFixture is an account under recovery, its guardians, and the chain's CardRecovery.
type recoveryFixture struct {
	c         *devchain.Chain
	acct      *account
	owner     card
	guardians []guardian
	family    *account       // the card-account guardian, when there is one
	last      *types.Receipt // of the last transaction sent, for gas figures
}

// newRecoveryFixture deploys an account of owner, funds it, and sets guardians (threshold of them) through
// a UserOperation of the owner's card.
func newRecoveryFixture(t testing.TB, c *devchain.Chain, owner card, guardians []guardian, threshold uint8, delay time.Duration) *recoveryFixture {
	t.Helper()
	return newRecoveryFixtureAt(t, c, owner, big.NewInt(accountIndex.Add(1)), guardians, threshold, delay)
}

// newRecoveryFixtureAt is newRecoveryFixture for the account of a given index.
func newRecoveryFixtureAt(t testing.TB, c *devchain.Chain, owner card, index *big.Int, guardians []guardian, threshold uint8, delay time.Duration) *recoveryFixture {
	t.Helper()
	a := newCardAccountAt(t, c, owner, index)
	if err := c.Fund(devchaintest.Context(t), a.addr, devchaintest.Ether(5), devchaintest.Ether(100)); err != nil {
		t.Fatal(err)
	}
	a.deploy(t)
	f := &recoveryFixture{c: c, acct: a, owner: owner, guardians: guardians}
	if err := f.ownerCalls(t, "setGuardians", f.signers(), threshold, uint32(delay/time.Second)); err != nil {
		t.Fatalf("setGuardians: %v", err)
	}
	return f
}

func (f *recoveryFixture) signers() [][]byte {
	out := make([][]byte, len(f.guardians))
	for i, g := range f.guardians {
		out[i] = g.signer
	}
	return out
}

// ownerCalls has the account call CardRecovery's method through a UserOperation its current card signs.
func (f *recoveryFixture) ownerCalls(t testing.TB, method string, args ...any) error {
	t.Helper()
	data, err := contracts.CardRecovery.Pack(method, args...)
	if err != nil {
		t.Fatal(err)
	}
	f.last, err = handleOps(t, f.c, f.acct.newOp(t, []contracts.Call{{Target: f.c.Recovery(), Data: data}}))
	return err
}

// recoveryHash is what every approval of a rotation of the account to newOwner signs, now.
func (f *recoveryFixture) recoveryHash(t testing.TB, newOwner card) common.Hash {
	t.Helper()
	return common.Hash(devchaintest.CallAs[[32]byte](t, f.c, f.c.Recovery(), contracts.CardRecovery, "recoveryHash", f.acct.addr, newOwner.e, newOwner.n))
}

// recoveryContents is the Recovery struct hash of the current nonce, for ERC-7739 signatures.
func (f *recoveryFixture) recoveryContents(t testing.TB, newOwner card) common.Hash {
	t.Helper()
	nonce := devchaintest.CallAs[*big.Int](t, f.c, f.c.Recovery(), contracts.CardRecovery, "nonce", f.acct.addr)
	return crypto.Keccak256Hash(crypto.Keccak256([]byte(recoveryType)), common.LeftPadBytes(f.acct.addr.Bytes(), 32),
		contracts.KeyHash(newOwner.e, newOwner.n).Bytes(), common.BigToHash(nonce).Bytes())
}

// approvals are the signatures of guardians chosen by index, in the order CardRecovery wants them
// (ascending keccak256 of the signer).
func (f *recoveryFixture) approvals(t testing.TB, newOwner card, chosen ...int) (signers, sigs [][]byte) {
	t.Helper()
	hash := f.recoveryHash(t, newOwner)
	picked := make([]guardian, len(chosen))
	for i, k := range chosen {
		picked[i] = f.guardians[k]
	}
	slices.SortFunc(picked, func(a, b guardian) int {
		return bytes.Compare(crypto.Keccak256(a.signer), crypto.Keccak256(b.signer))
	})
	for _, g := range picked {
		signers = append(signers, g.signer)
		if f.family != nil && bytes.Equal(g.signer, f.family.addr.Bytes()) {
			domain := domainSeparator("CardRecovery", "1", f.c.ChainID(), f.c.Recovery())
			_, sig := f.family.typedSignContents(f.c.ChainID(), domain, f.recoveryContents(t, newOwner), recoveryType)
			sigs = append(sigs, sig)
			continue
		}
		sigs = append(sigs, g.approve(hash))
	}
	return signers, sigs
}

// start submits startRecovery from the relayer: anyone may, once they hold the approvals.
func (f *recoveryFixture) start(t testing.TB, newOwner card, newOwnerSig []byte, signers, sigs [][]byte) error {
	t.Helper()
	return f.send(t, "startRecovery", f.acct.addr, newOwner.e, newOwner.n, newOwnerSig, signers, sigs)
}

// execute submits executeRecovery of the rotation to newOwner from the relayer.
func (f *recoveryFixture) execute(t testing.TB, newOwner card) error {
	t.Helper()
	return f.send(t, "executeRecovery", f.acct.addr, newOwner.e, newOwner.n)
}

func (f *recoveryFixture) send(t testing.TB, method string, args ...any) error {
	t.Helper()
	data, err := contracts.CardRecovery.Pack(method, args...)
	if err != nil {
		t.Fatal(err)
	}
	to := f.c.Recovery()
	f.last, err = f.c.Send(devchaintest.Context(t), devchain.RelayerKey, &to, nil, data)
	return err
}

func (f *recoveryFixture) ownerKeyHash(t testing.TB) common.Hash {
	t.Helper()
	return common.Hash(devchaintest.CallAs[[32]byte](t, f.c, f.acct.addr, contracts.CardAccount, "keyHash"))
}

func advance(t testing.TB, c *devchain.Chain, d time.Duration) {
	t.Helper()
	if err := c.AdvanceTime(d); err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, what string, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: err %v, want %s", what, err, want)
	}
}

// TestGuardiansRecoverTheAccountAfterTheDelay: a family member's card account and an address approve, the
// new card signs, anyone executes after 72 hours; from then on the old card's signatures fail and the new
// card's pass.
func TestGuardiansRecoverTheAccountAfterTheDelay(t *testing.T) {
	c := recoveryChain(t)
	oldCard, newCard := testCard(t), renewedCard(t)
	family := newCardAccount(t, c, familyCard(t))
	family.deploy(t)
	friend, _ := eoaGuardian(t)
	other, _ := eoaGuardian(t)
	f := newRecoveryFixture(t, c, oldCard, []guardian{{signer: family.addr.Bytes()}, friend, other}, 2, 0)
	f.family = family

	if got := devchaintest.CallAs[uint32](t, c, c.Recovery(), contracts.CardRecovery, "DEFAULT_DELAY"); got != 72*3600 {
		t.Fatalf("DEFAULT_DELAY %d", got)
	}
	hash := f.recoveryHash(t, newCard)
	newOwnerSig := newCard.sign(hash)

	signers, sigs := f.approvals(t, newCard, 0)
	wantErr(t, "one approval of two", f.start(t, newCard, newOwnerSig, signers, sigs), "TooFewApprovals")
	signers, sigs = f.approvals(t, newCard, 0, 1)
	wantErr(t, "a new owner that did not sign", f.start(t, newCard, oldCard.sign(hash), signers, sigs), "NewOwnerDidNotSign")
	if err := f.start(t, newCard, newOwnerSig, signers, sigs); err != nil {
		t.Fatalf("startRecovery with the family card and a friend: %v", err)
	}

	wantErr(t, "execute at once", f.execute(t, newCard), "TooEarly")
	advance(t, c, 71*time.Hour)
	wantErr(t, "execute after 71 hours", f.execute(t, newCard), "TooEarly")
	advance(t, c, time.Hour+time.Second)
	wantErr(t, "execute with a key other than the approved one", f.send(t, "executeRecovery", f.acct.addr, familyCard(t).e, familyCard(t).n), "NothingPending")
	if err := f.execute(t, newCard); err != nil {
		t.Fatalf("executeRecovery after the delay: %v", err)
	}
	if got := f.ownerKeyHash(t); got != contracts.KeyHash(newCard.e, newCard.n) {
		t.Fatalf("owner %s, want the new card's key", got)
	}

	dest := common.HexToAddress("0x00000000000000000000000000000000000d0e58")
	f.acct.sign = oldCard.sign
	if _, err := handleOps(t, c, f.acct.newOp(t, []contracts.Call{{Target: dest, Value: big.NewInt(1)}})); err == nil || !strings.Contains(err.Error(), "AA24") {
		t.Errorf("old card's UserOperation after recovery: err %v, want AA24", err)
	}
	f.acct.sign = newCard.sign
	if _, err := handleOps(t, c, f.acct.newOp(t, []contracts.Call{{Target: dest, Value: big.NewInt(1)}})); err != nil {
		t.Errorf("new card's UserOperation after recovery: %v", err)
	}
	wantErr(t, "execute twice", f.execute(t, newCard), "NothingPending")
}

// TestAGuardianApprovesByCalling: a family member's card account approves with the one UserOperation that
// submits the request (its empty signature means "the caller"), beside another guardian's signature; an
// empty signature counts for nobody but the caller, whoever submits.
func TestAGuardianApprovesByCalling(t *testing.T) {
	c := recoveryChain(t)
	family := newCardAccount(t, c, familyCard(t)) // deployed by its first UserOperation, this one
	if err := c.Fund(devchaintest.Context(t), family.addr, devchaintest.Ether(1), nil); err != nil {
		t.Fatal(err)
	}
	friend, _ := eoaGuardian(t)
	f := newRecoveryFixture(t, c, testCard(t), []guardian{{signer: family.addr.Bytes()}, friend}, 2, 0)
	newCard := renewedCard(t)
	newOwnerSig := newCard.sign(f.recoveryHash(t, newCard))
	friendSig := friend.approve(f.recoveryHash(t, newCard))
	approvals := func(familySig, friendSig []byte) (signers, sigs [][]byte) {
		signers, sigs = [][]byte{family.addr.Bytes(), friend.signer}, [][]byte{familySig, friendSig}
		if bytes.Compare(crypto.Keccak256(signers[0]), crypto.Keccak256(signers[1])) > 0 {
			slices.Reverse(signers)
			slices.Reverse(sigs)
		}
		return signers, sigs
	}
	var last *types.Receipt
	familyStarts := func(signers, sigs [][]byte) error {
		data, err := contracts.CardRecovery.Pack("startRecovery", f.acct.addr, newCard.e, newCard.n, newOwnerSig, signers, sigs)
		if err != nil {
			t.Fatal(err)
		}
		last, err = handleOps(t, c, family.newOp(t, []contracts.Call{{Target: c.Recovery(), Data: data}}))
		return err
	}

	signers, sigs := approvals(nil, friendSig)
	wantErr(t, "the family card's empty approval sent by someone else", f.start(t, newCard, newOwnerSig, signers, sigs), "NotGuardianApprovals")
	wantErr(t, "the family card sending the friend's empty approval", familyStarts(approvals(nil, nil)), "success=false")
	if err := familyStarts(approvals(nil, friendSig)); err != nil {
		t.Fatalf("the family card approving by sending the request: %v", err)
	}
	// docs/benchmarks.md: the family card's one UserOperation (its account already deployed by the refused
	// attempt above), with the friend's ECDSA approval and the new card's signature checked.
	t.Logf("startRecovery from the family card's account, approving by calling, with an address's approval: %d gas", last.GasUsed)
	out, err := devchaintest.Call(t, c, c.Recovery(), contracts.CardRecovery, "pendingRecovery", f.acct.addr)
	if err != nil {
		t.Fatal(err)
	}
	if pending := abi.ConvertType(out[0], new(pendingRecovery)).(*pendingRecovery); common.Hash(pending.NewKeyHash) != contracts.KeyHash(newCard.e, newCard.n) || pending.Approvals != 2 {
		t.Errorf("pending %x with %d approvals, want the new card's with 2", pending.NewKeyHash, pending.Approvals)
	}
}

// TestGuardiansCanDoNothingButScheduleTheOwnerChange: a guardian's key calls the account and the recovery
// contract every other way it could; nothing moves, and the account's guardians stay as the owner set them.
func TestGuardiansCanDoNothingButScheduleTheOwnerChange(t *testing.T) {
	c := recoveryChain(t)
	g, gKey := eoaGuardian(t)
	f := newRecoveryFixture(t, c, testCard(t), []guardian{g}, 1, 0)
	if err := c.Fund(devchaintest.Context(t), common.BytesToAddress(g.signer), devchaintest.Ether(1), nil); err != nil {
		t.Fatal(err)
	}
	thief := common.HexToAddress("0x00000000000000000000000000000000000bad01")
	newCard := renewedCard(t)
	rotate, _ := contracts.CardAccount.Pack("rotateOwner", newCard.e, newCard.n)
	transfer, _ := contracts.ExecuteBatch([]contracts.Call{{Target: thief, Value: devchaintest.Ether(1)}})
	jpyc, _ := contracts.ExecuteBatch([]contracts.Call{devchaintest.TransferJPYC(t, c, thief, devchaintest.Ether(1))})
	batchRotate, _ := contracts.ExecuteBatch([]contracts.Call{{Target: f.acct.addr, Data: rotate}, {Target: thief, Value: big.NewInt(1)}})
	setOther, _ := contracts.CardRecovery.Pack("setGuardians", [][]byte{thief.Bytes()}, uint8(1), uint32(0))
	cancel, _ := contracts.CardRecovery.Pack("cancelRecovery")
	rotateByOwner, _ := contracts.CardRecovery.Pack("rotateByOwner", newCard.e, newCard.n, newCard.sign(f.recoveryHash(t, newCard)))
	acct, rec := f.acct.addr, c.Recovery()
	before := devchaintest.Balance(t, c, acct)
	for _, try := range []struct {
		what string
		to   common.Address
		data []byte
	}{
		{"rotateOwner on the account", acct, rotate},
		{"an ETH transfer through execute", acct, transfer},
		{"a JPYC transfer through execute", acct, jpyc},
		{"a batch that contains a rotation", acct, batchRotate},
		{"a delegatecall-mode execute", acct, delegateExecute(t, thief)},
		{"rotateByOwner (the owner's door) for the account", rec, rotateByOwner},
	} {
		to := try.to
		if _, err := c.Send(devchaintest.Context(t), gKey, &to, nil, try.data); err == nil {
			t.Errorf("%s: the guardian's transaction succeeded", try.what)
		}
	}
	// Calls that succeed act on the guardian's own (empty) entry, never the account's.
	for _, data := range [][]byte{setOther, cancel} {
		to := rec
		_, _ = c.Send(devchaintest.Context(t), gKey, &to, nil, data)
	}
	hashes, threshold, _ := guardiansOf(t, c, acct)
	if len(hashes) != 1 || hashes[0] != crypto.Keccak256Hash(g.signer) || threshold != 1 {
		t.Errorf("the account's guardians changed: %v, threshold %d", hashes, threshold)
	}
	if got := devchaintest.Balance(t, c, acct); got.Cmp(before) != 0 {
		t.Errorf("the account's balance went from %v to %v", before, got)
	}
	if f.ownerKeyHash(t) != contracts.KeyHash(f.owner.e, f.owner.n) {
		t.Error("the owner changed")
	}
}

// delegateExecute is ERC-7821 execute with a call type the account does not support (delegatecall, 0xff).
func delegateExecute(t testing.TB, target common.Address) []byte {
	t.Helper()
	data, err := contracts.ExecuteBatch([]contracts.Call{{Target: target}})
	if err != nil {
		t.Fatal(err)
	}
	// execute(bytes32 mode, bytes data): the mode's first byte is the call type.
	data[4] = 0xff
	return data
}

// pendingRecovery is CardRecovery.Request as pendingRecovery(account) returns it.
type pendingRecovery struct {
	NewKeyHash   [32]byte
	Approvals    uint8
	ExecuteAfter uint64
	ExpiresAt    uint64
}

func guardiansOf(t testing.TB, c *devchain.Chain, acct common.Address) ([]common.Hash, uint8, uint32) {
	t.Helper()
	out, err := devchaintest.Call(t, c, c.Recovery(), contracts.CardRecovery, "guardiansOf", acct)
	if err != nil {
		t.Fatal(err)
	}
	raw := out[0].([][32]byte)
	hashes := make([]common.Hash, len(raw))
	for i, h := range raw {
		hashes[i] = h
	}
	return hashes, out[1].(uint8), out[2].(uint32)
}

// TestTheOwnerCancelsARecoveryAfterTheQuorum: one UserOperation of the current card ends a pending
// recovery, and the approvals it had cannot be used again.
func TestTheOwnerCancelsARecoveryAfterTheQuorum(t *testing.T) {
	c := recoveryChain(t)
	g1, _ := eoaGuardian(t)
	g2, _ := eoaGuardian(t)
	f := newRecoveryFixture(t, c, testCard(t), []guardian{g1, g2}, 2, 0)
	newCard := renewedCard(t)
	newOwnerSig := newCard.sign(f.recoveryHash(t, newCard))
	signers, sigs := f.approvals(t, newCard, 0, 1)
	if err := f.start(t, newCard, newOwnerSig, signers, sigs); err != nil {
		t.Fatal(err)
	}
	if err := f.ownerCalls(t, "cancelRecovery"); err != nil {
		t.Fatalf("the owner's cancel: %v", err)
	}
	advance(t, c, 73*time.Hour)
	wantErr(t, "execute a cancelled recovery", f.execute(t, newCard), "NothingPending")
	wantErr(t, "the same approvals again", f.start(t, newCard, newOwnerSig, signers, sigs), "NewOwnerDidNotSign")
	if f.ownerKeyHash(t) != contracts.KeyHash(f.owner.e, f.owner.n) {
		t.Error("the owner changed")
	}
}

// TestARecoveryExpiresAndIsReplacedOnlyByMoreApprovals: a pending request stands against one with as many
// approvals, falls to one with more, and cannot be executed 30 days after its delay.
func TestARecoveryExpiresAndIsReplacedOnlyByMoreApprovals(t *testing.T) {
	c := recoveryChain(t)
	g1, _ := eoaGuardian(t)
	g2, _ := eoaGuardian(t)
	g3, _ := eoaGuardian(t)
	f := newRecoveryFixture(t, c, testCard(t), []guardian{g1, g2, g3}, 2, 0)
	first, second := renewedCard(t), familyCard(t)

	signers, sigs := f.approvals(t, first, 0, 1)
	if err := f.start(t, first, first.sign(f.recoveryHash(t, first)), signers, sigs); err != nil {
		t.Fatal(err)
	}
	signers, sigs = f.approvals(t, second, 1, 2)
	wantErr(t, "a rival with as many approvals", f.start(t, second, second.sign(f.recoveryHash(t, second)), signers, sigs), "TooFewApprovals")
	signers, sigs = f.approvals(t, second, 0, 1, 2)
	if err := f.start(t, second, second.sign(f.recoveryHash(t, second)), signers, sigs); err != nil {
		t.Fatalf("a rival with more approvals: %v", err)
	}
	out, err := devchaintest.Call(t, c, c.Recovery(), contracts.CardRecovery, "pendingRecovery", f.acct.addr)
	if err != nil {
		t.Fatal(err)
	}
	pending := abi.ConvertType(out[0], new(pendingRecovery)).(*pendingRecovery)
	if common.Hash(pending.NewKeyHash) != contracts.KeyHash(second.e, second.n) || pending.Approvals != 3 {
		t.Errorf("pending %x with %d approvals", pending.NewKeyHash, pending.Approvals)
	}
	advance(t, c, 72*time.Hour+30*24*time.Hour+time.Minute)
	wantErr(t, "execute after expiry", f.execute(t, second), "Expired")
}

// TestGuardianChangesAndShorterDelaysWait: the first choice of guardians is immediate; a change of the
// guardians or the quorum, and a shorter delay, wait out the current delay; a longer delay is immediate; a
// delay under 48 hours is refused.
func TestGuardianChangesAndShorterDelaysWait(t *testing.T) {
	c := recoveryChain(t)
	g1, _ := eoaGuardian(t)
	g2, _ := eoaGuardian(t)
	f := newRecoveryFixture(t, c, testCard(t), []guardian{g1}, 1, 72*time.Hour)
	acct := f.acct.addr

	wantErr(t, "a 47-hour delay", f.ownerCalls(t, "setGuardians", [][]byte{g1.signer}, uint8(1), uint32(47*3600)), "success=false")
	if err := f.ownerCalls(t, "setGuardians", [][]byte{g1.signer}, uint8(1), uint32(96*3600)); err != nil {
		t.Fatal(err)
	}
	if _, _, delay := guardiansOf(t, c, acct); delay != 96*3600 {
		t.Errorf("a longer delay waited: delay %d", delay)
	}
	for _, change := range []struct {
		what      string
		guardians [][]byte
		threshold uint8
		delay     uint32
	}{
		{"another guardian", [][]byte{g1.signer, g2.signer}, 1, 96 * 3600},
		{"a shorter delay", [][]byte{g1.signer}, 1, 48 * 3600},
	} {
		beforeHashes, _, beforeDelay := guardiansOf(t, c, acct)
		if err := f.ownerCalls(t, "setGuardians", change.guardians, change.threshold, change.delay); err != nil {
			t.Fatalf("%s: %v", change.what, err)
		}
		if hashes, _, delay := guardiansOf(t, c, acct); !slices.Equal(hashes, beforeHashes) || delay != beforeDelay {
			t.Errorf("%s took effect at once: %d guardians, delay %d", change.what, len(hashes), delay)
		}
		wantErr(t, change.what+" applied early", f.send(t, "applyGuardians", acct, change.guardians), "TooEarly")
		advance(t, c, 96*time.Hour+time.Second)
		if err := f.send(t, "applyGuardians", acct, change.guardians); err != nil {
			t.Fatalf("%s after the delay: %v", change.what, err)
		}
		if hashes, _, delay := guardiansOf(t, c, acct); len(hashes) != len(change.guardians) || delay != change.delay {
			t.Errorf("%s after the delay: %d guardians, delay %d", change.what, len(hashes), delay)
		}
	}
}

// TestRenewalWhileTheOldCardWorks: the owner hands the account to the renewed card at once, which must sign
// too; a pending recovery dies with it.
func TestRenewalWhileTheOldCardWorks(t *testing.T) {
	c := recoveryChain(t)
	g, _ := eoaGuardian(t)
	oldCard, newCard := testCard(t), renewedCard(t)
	f := newRecoveryFixture(t, c, oldCard, []guardian{g}, 1, 0)
	hash := f.recoveryHash(t, newCard)
	wantErr(t, "without the new card's signature", f.ownerCalls(t, "rotateByOwner", newCard.e, newCard.n, oldCard.sign(hash)), "success=false")
	signers, sigs := f.approvals(t, familyCard(t), 0)
	if err := f.start(t, familyCard(t), familyCard(t).sign(f.recoveryHash(t, familyCard(t))), signers, sigs); err != nil {
		t.Fatal(err)
	}
	if err := f.ownerCalls(t, "rotateByOwner", newCard.e, newCard.n, newCard.sign(f.recoveryHash(t, newCard))); err != nil {
		t.Fatalf("rotateByOwner: %v", err)
	}
	if f.ownerKeyHash(t) != contracts.KeyHash(newCard.e, newCard.n) {
		t.Fatal("the owner is not the renewed card")
	}
	advance(t, c, 73*time.Hour)
	wantErr(t, "the recovery the renewal replaced", f.execute(t, familyCard(t)), "NothingPending")
}

// TestApprovalsDoNotReplayAcrossAccountsOrChains: the guardians' and the new card's approvals for one
// account are refused for another account of the same owner, and for the same account on another chain
// (where CardRecovery, the factory and so the account have the same addresses).
func TestApprovalsDoNotReplayAcrossAccountsOrChains(t *testing.T) {
	g, _ := eoaGuardian(t)
	newCard := renewedCard(t)
	index := big.NewInt(accountIndex.Add(1))
	c, other := recoveryChain(t), chain(t, devchain.DefaultFork, recoveryChainID+1)
	a := newRecoveryFixtureAt(t, c, testCard(t), index, []guardian{g}, 1, 0)
	signers, sigs := a.approvals(t, newCard, 0)
	newOwnerSig := newCard.sign(a.recoveryHash(t, newCard))

	for _, elsewhere := range []struct {
		what string
		f    *recoveryFixture
	}{
		{"another account of the same card", newRecoveryFixture(t, c, testCard(t), []guardian{g}, 1, 0)},
		{"the same account on another chain", newRecoveryFixtureAt(t, other, testCard(t), index, []guardian{g}, 1, 0)},
	} {
		f := elsewhere.f
		if f.c == other && (other.Recovery() != c.Recovery() || f.acct.addr != a.acct.addr) {
			t.Fatalf("%s: CardRecovery %s/%s, account %s/%s: not the same addresses", elsewhere.what, other.Recovery(), c.Recovery(), f.acct.addr, a.acct.addr)
		}
		wantErr(t, elsewhere.what+": the new card's signature", f.start(t, newCard, newOwnerSig, signers, sigs), "NewOwnerDidNotSign")
		wantErr(t, elsewhere.what+": the guardian's signature", f.start(t, newCard, newCard.sign(f.recoveryHash(t, newCard)), signers, sigs), "NotGuardianApprovals")
	}
	// The approvals still work where they were made.
	if err := a.start(t, newCard, newOwnerSig, signers, sigs); err != nil {
		t.Errorf("the approvals on their own account and chain: %v", err)
	}
}

// TestAPasskeyGuardianApproves: a passkey approves a recovery through the ERC-7913 WebAuthn verifier,
// with Osaka's P-256 precompile and, under Prague (no precompile), with the library's Solidity fallback; an
// assertion without user verification is refused.
func TestAPasskeyGuardianApproves(t *testing.T) {
	for _, fork := range []devchain.Fork{devchain.Osaka, devchain.Prague} {
		t.Run(string(fork), func(t *testing.T) {
			c := chain(t, fork, recoveryChainID+2)
			friend, _ := eoaGuardian(t)
			passkey := passkeyGuardian(t, c.PasskeyVerifier(), true)
			careless := passkeyGuardian(t, c.PasskeyVerifier(), false)
			f := newRecoveryFixture(t, c, testCard(t), []guardian{passkey, careless, friend}, 2, 0)
			newCard := renewedCard(t)
			newOwnerSig := newCard.sign(f.recoveryHash(t, newCard))

			signers, sigs := f.approvals(t, newCard, 1, 2)
			wantErr(t, "a passkey approval without user verification", f.start(t, newCard, newOwnerSig, signers, sigs), "NotGuardianApprovals")
			signers, sigs = f.approvals(t, newCard, 0, 2)
			for i := range sigs {
				if bytes.Equal(signers[i], passkey.signer) {
					tampered := bytes.Clone(sigs[i])
					tampered[40] ^= 1 // inside r
					bad := slices.Clone(sigs)
					bad[i] = tampered
					wantErr(t, "a tampered passkey signature", f.start(t, newCard, newOwnerSig, signers, bad), "NotGuardianApprovals")
				}
			}
			if err := f.start(t, newCard, newOwnerSig, signers, sigs); err != nil {
				t.Fatalf("the passkey and a friend: %v", err)
			}
			t.Logf("%s: startRecovery with a passkey and an address: %d gas", fork, f.last.GasUsed)
			advance(t, c, 72*time.Hour+time.Second)
			if err := f.execute(t, newCard); err != nil {
				t.Fatal(err)
			}
			if f.ownerKeyHash(t) != contracts.KeyHash(newCard.e, newCard.n) {
				t.Error("the owner is not the new card")
			}
		})
	}
}

// TestRecoveryGas reports what each step of a recovery costs under the chain's rules (Osaka, mainnet's),
// beside a plain transfer: the owner choosing guardians, a family card account and an address approving, the
// execution after the delay, the owner's cancel and the owner's renewal. The figures are in
// docs/benchmarks.md; the bounds here only catch a step that became several times dearer.
func TestRecoveryGas(t *testing.T) {
	c := recoveryChain(t)
	family := newCardAccount(t, c, familyCard(t))
	family.deploy(t)
	friend, _ := eoaGuardian(t)
	newCard := renewedCard(t)
	gas := map[string]uint64{}
	f := newRecoveryFixture(t, c, testCard(t), []guardian{{signer: family.addr.Bytes()}, friend}, 2, 0)
	f.family = family
	gas["setGuardians (a UserOperation of the owner's card)"] = f.last.GasUsed

	signers, sigs := f.approvals(t, newCard, 0, 1)
	if err := f.start(t, newCard, newCard.sign(f.recoveryHash(t, newCard)), signers, sigs); err != nil {
		t.Fatal(err)
	}
	gas["startRecovery (card account + address, and the new card)"] = f.last.GasUsed
	if err := f.ownerCalls(t, "cancelRecovery"); err != nil {
		t.Fatal(err)
	}
	gas["cancelRecovery (a UserOperation of the owner's card)"] = f.last.GasUsed
	signers, sigs = f.approvals(t, newCard, 0, 1)
	if err := f.start(t, newCard, newCard.sign(f.recoveryHash(t, newCard)), signers, sigs); err != nil {
		t.Fatal(err)
	}
	advance(t, c, 72*time.Hour+time.Second)
	if err := f.execute(t, newCard); err != nil {
		t.Fatal(err)
	}
	gas["executeRecovery (anyone, after the delay)"] = f.last.GasUsed
	f.acct.sign = newCard.sign
	f.owner = newCard
	renewed := familyCard(t)
	if err := f.ownerCalls(t, "rotateByOwner", renewed.e, renewed.n, renewed.sign(f.recoveryHash(t, renewed))); err != nil {
		t.Fatal(err)
	}
	gas["rotateByOwner (a UserOperation of the owner's card)"] = f.last.GasUsed
	if _, err := handleOps(t, c, f.acct.newOp(t, []contracts.Call{{Target: friend.signerAddress(), Value: big.NewInt(1)}})); err == nil {
		t.Fatal("the card that was just replaced still signs")
	}

	for step, used := range gas {
		t.Logf("%s: %d gas", step, used)
		if used > 600_000 {
			t.Errorf("%s: %d gas", step, used)
		}
	}
}

func (g guardian) signerAddress() common.Address { return common.BytesToAddress(g.signer) }
