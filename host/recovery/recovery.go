// Package recovery reads what the chain says about a card account's protection: the CardRecovery contract its
// factory uses, the guardians the owner chose, how many must approve, the delay, and whatever is under way (a
// recovery the guardians started, a scheduled change of guardians). The extension shows this on every sheet of
// the account (a pending recovery in red) and on its 「アカウントを守る」 page; the rescue command uses it to
// finish or cancel a recovery. It only reads; changing anything is a UserOperation the card signs.
package recovery

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
)

// Contract is the CardRecovery the factory's accounts trust, read from the factory's implementation: the
// factory's address is all a person needs to know.
func Contract(ctx context.Context, eth *ethclient.Client, factory common.Address) (common.Address, error) {
	impl, err := account.CallOne(ctx, eth, factory, contracts.CardAccountFactory, "implementation")
	if err != nil {
		return common.Address{}, fmt.Errorf("recovery: the factory's implementation: %w", err)
	}
	rec, err := account.CallOne(ctx, eth, impl.(common.Address), contracts.CardAccount, "recovery")
	if err != nil {
		return common.Address{}, fmt.Errorf("recovery: the implementation's CardRecovery: %w", err)
	}
	return rec.(common.Address), nil
}

// Request is CardRecovery.Request: a recovery the guardians started. ExecuteAfter is zero when none is
// pending.
type Request struct {
	NewKeyHash   [32]byte
	Approvals    uint8
	ExecuteAfter uint64
	ExpiresAt    uint64
}

// Change is CardRecovery.PendingConfig: a change of guardians waiting out the current delay. EffectiveAt is
// zero when none is scheduled.
type Change struct {
	GuardiansHash [32]byte
	Delay         uint32
	Threshold     uint8
	EffectiveAt   uint64
}

// Pending reads the account's pending recovery.
func Pending(ctx context.Context, eth *ethclient.Client, rec, acct common.Address) (Request, error) {
	v, err := account.CallOne(ctx, eth, rec, contracts.CardRecovery, "pendingRecovery", acct)
	if err != nil {
		return Request{}, fmt.Errorf("recovery: %w", err)
	}
	return *abi.ConvertType(v, new(Request)).(*Request), nil
}

// Guardian is one guardian, as the owner chose it: an ERC-7913 signer.
type Guardian struct {
	Signer []byte // 20 bytes (an address), or a verifier's address and a key
	Kind   string // KindCard, KindAddress or KindPasskey
}

// Guardian kinds.
const (
	KindCard    = "card"    // another MynaConnect card account (ERC-1271)
	KindAddress = "address" // any other address: a key (ECDSA) or a contract (ERC-1271)
	KindPasskey = "passkey" // a WebAuthn P-256 key, checked by the published PasskeyVerifier
	KindOther   = "other"   // a key checked by a verifier MynaConnect does not publish
)

// State is an account's protection at the chain's latest block.
type State struct {
	Contract  common.Address
	Guardians []Guardian // empty until the owner chooses some
	Threshold uint8      // approvals a recovery needs; 0 until guardians are chosen
	Delay     uint32     // seconds between a recovery's start and the earliest time it can be executed
	Pending   Request
	Change    Change
	ChainTime uint64 // the latest block's time: what the contract compares ExecuteAfter with
	Deployed  bool   // the account has code
	// History is what happened to the account's protection, oldest first;
	// read only when asked.
	History []Event
}

// Event is one entry of an account's protection history: one of CardRecovery's events about it.
type Event struct {
	Kind  string // one of eventKinds' values
	Block uint64
	Time  uint64 // the block's time, Unix seconds
	Tx    common.Hash
}

// eventKinds names CardRecovery's events about an account for the history.
var eventKinds = map[string]string{
	"GuardiansChanged":         "guardians-changed",
	"GuardiansChangeScheduled": "guardians-change-scheduled",
	"GuardiansChangeCancelled": "guardians-change-cancelled",
	"RecoveryStarted":          "recovery-started",
	"RecoveryCancelled":        "recovery-cancelled",
	"RecoveryExecuted":         "recovery-executed",
}

// Read reads the protection of acct, an account of factory whose CardRecovery is rec, and with history its
// History, in two rounds of requests to the node. An account without code has none yet: only Contract,
// ChainTime and Deployed are set.
func Read(ctx context.Context, eth *ethclient.Client, factory, rec, acct common.Address, history bool) (*State, error) {
	var r round
	// Only the time is needed; a full header decode would insist on every
	// field a node's flavour may spell differently.
	var head struct{ Timestamp hexutil.Uint64 }
	r.add(&head, "eth_getBlockByNumber", "latest", false)
	var code hexutil.Bytes
	r.add(&code, "eth_getCode", acct, "latest")
	guardians := r.call(rec, contracts.CardRecovery, "guardiansOf", acct)
	pending := r.call(rec, contracts.CardRecovery, "pendingRecovery", acct)
	change := r.call(rec, contracts.CardRecovery, "pendingGuardians", acct)
	var ids []common.Hash
	for name := range eventKinds {
		ids = append(ids, contracts.CardRecovery.ABI().Events[name].ID)
	}
	var logs []types.Log
	r.logs(&logs, &rec, [][]common.Hash{ids, {common.BytesToHash(acct.Bytes())}})
	if err := r.send(ctx, eth); err != nil {
		return nil, err
	}
	s := &State{Contract: rec, ChainTime: uint64(head.Timestamp), Deployed: len(code) > 0}
	if !s.Deployed {
		return s, nil
	}
	vals, err := guardians.unpack()
	if err != nil {
		return nil, err
	}
	hashes := vals[0].([][32]byte)
	s.Threshold, s.Delay = vals[1].(uint8), vals[2].(uint32)
	if vals, err = pending.unpack(); err != nil {
		return nil, err
	}
	s.Pending = *abi.ConvertType(vals[0], new(Request)).(*Request)
	if vals, err = change.unpack(); err != nil {
		return nil, err
	}
	s.Change = *abi.ConvertType(vals[0], new(Change)).(*Change)

	// The second round: what each guardian is, and when each event happened.
	signers, err := chosen(logs, hashes)
	if err != nil {
		return nil, err
	}
	kinds := make([]*answer, len(signers))
	for i, signer := range signers {
		if len(signer) == common.AddressLength {
			kinds[i] = r.call(factory, contracts.CardAccountFactory, "isCardAccount", common.BytesToAddress(signer))
		}
	}
	var dated func() []Event
	if history {
		dated = r.dates(logs)
	}
	if err := r.send(ctx, eth); err != nil {
		return nil, err
	}
	for i, signer := range signers {
		s.Guardians = append(s.Guardians, Guardian{Signer: signer, Kind: kindOf(signer, kinds[i])})
	}
	if dated != nil {
		s.History = dated()
	}
	return s, nil
}

// dates queues a block read for each block of logs and returns the history they make, once sent.
func (r *round) dates(logs []types.Log) func() []Event {
	abiEvents := contracts.CardRecovery.ABI().Events
	times := map[uint64]*struct{ Timestamp hexutil.Uint64 }{}
	var out []Event
	for _, l := range logs {
		for name, kind := range eventKinds {
			if l.Topics[0] == abiEvents[name].ID {
				out = append(out, Event{Kind: kind, Block: l.BlockNumber, Tx: l.TxHash})
			}
		}
		if _, ok := times[l.BlockNumber]; !ok {
			times[l.BlockNumber] = new(struct{ Timestamp hexutil.Uint64 })
			r.add(times[l.BlockNumber], "eth_getBlockByNumber", hexutil.EncodeUint64(l.BlockNumber), false)
		}
	}
	return func() []Event {
		for i := range out {
			out[i].Time = uint64(times[out[i].Block].Timestamp)
		}
		return out
	}
}

// chosen finds the guardians' signer bytes, which the contract keeps only as hashes: the latest
// GuardiansChanged event of the account carries the list, and it must match the stored hashes one for one.
func chosen(logs []types.Log, hashes [][32]byte) ([][]byte, error) {
	if len(hashes) == 0 {
		return nil, nil
	}
	changed := contracts.CardRecovery.ABI().Events["GuardiansChanged"]
	var latest *types.Log
	for i := range logs {
		if logs[i].Topics[0] == changed.ID {
			latest = &logs[i]
		}
	}
	if latest == nil {
		return nil, fmt.Errorf("recovery: the account has guardians but no GuardiansChanged event names them")
	}
	vals, err := changed.Inputs.NonIndexed().Unpack(latest.Data)
	if err != nil {
		return nil, fmt.Errorf("recovery: a GuardiansChanged event: %w", err)
	}
	signers := vals[0].([][]byte)
	if len(signers) != len(hashes) {
		return nil, fmt.Errorf("recovery: the latest GuardiansChanged names %d guardians, the contract holds %d", len(signers), len(hashes))
	}
	for i, signer := range signers {
		if crypto.Keccak256Hash(signer) != hashes[i] {
			return nil, fmt.Errorf("recovery: guardian %d of the latest GuardiansChanged is not the one the contract holds", i)
		}
	}
	return signers, nil
}

// kindOf says what a guardian is, for the person reading the list: isCard is the factory's answer for an
// address.
func kindOf(signer []byte, isCard *answer) string {
	if len(signer) != common.AddressLength {
		if published, err := contracts.Addresses(); err == nil && common.BytesToAddress(signer[:20]) == published.PasskeyVerifier {
			return KindPasskey
		}
		return KindOther
	}
	if vals, err := isCard.unpack(); err == nil && vals[0].(bool) {
		return KindCard
	}
	return KindAddress
}

// ErrNoAccount: no account on this chain is owned by the card.
var ErrNoAccount = errors.New("recovery: no account on this chain is owned by this card")

// Accounts returns the accounts the card's key (owner) controls: those handed to it later (a renewal or a
// recovery emitted OwnerRotated with its key hash, and it is still their owner), the most recent first, then
// the account of index its own key makes, unless that one was handed to another key since. ErrNoAccount when
// there are none. One round of requests, and one more per account handed over.
func Accounts(ctx context.Context, eth *ethclient.Client, factory common.Address, owner account.Owner, index *big.Int) ([]common.Address, error) {
	own, err := owner.Address(factory, index)
	if err != nil {
		return nil, err
	}
	var r round
	var logs []types.Log
	r.logs(&logs, nil, [][]common.Hash{{contracts.CardAccount.ABI().Events["OwnerRotated"].ID}, nil, {owner.KeyHash()}})
	var code hexutil.Bytes
	r.add(&code, "eth_getCode", own, "latest")
	ownKey := r.call(own, contracts.CardAccount, "keyHash")
	if err := r.send(ctx, eth); err != nil {
		return nil, err
	}
	var found []common.Address
	for i := len(logs) - 1; i >= 0; i-- {
		addr := logs[i].Address
		if slices.Contains(found, addr) {
			continue
		}
		// An event only looks like a CardAccount's until the factory and the account say so.
		if controls, err := Controls(ctx, eth, factory, owner, addr); err == nil && controls {
			found = append(found, addr)
		}
	}
	ownKeyNow := len(code) == 0 // an account not deployed yet is still the card's
	if vals, err := ownKey.unpack(); err == nil && common.Hash(vals[0].([32]byte)) == owner.KeyHash() {
		ownKeyNow = true
	}
	if ownKeyNow && !slices.Contains(found, own) {
		found = append(found, own)
	}
	if len(found) == 0 {
		return nil, ErrNoAccount
	}
	return found, nil
}

// Controls says whether owner's card controls acct: a card account of factory whose current key is owner's
// (its own account, or one handed to it by a renewal or a recovery).
func Controls(ctx context.Context, eth *ethclient.Client, factory common.Address, owner account.Owner, acct common.Address) (bool, error) {
	key, card, err := cardKeyHash(ctx, eth, factory, acct)
	return card && key == owner.KeyHash(), err
}

// cardKeyHash is the key hash of acct's current owner, when acct is a deployed card account of factory (card).
// The factory's answer comes first: it already says the account is deployed, a clone of its implementation
// made for some card's key, so keyHash is asked only of such an account.
func cardKeyHash(ctx context.Context, eth *ethclient.Client, factory, acct common.Address) (key common.Hash, card bool, err error) {
	isCard, err := account.CallOne(ctx, eth, factory, contracts.CardAccountFactory, "isCardAccount", acct)
	if err != nil {
		return common.Hash{}, false, fmt.Errorf("recovery: isCardAccount: %w", err)
	}
	if !isCard.(bool) {
		return common.Hash{}, false, nil
	}
	v, err := account.CallOne(ctx, eth, acct, contracts.CardAccount, "keyHash")
	if err != nil {
		return common.Hash{}, false, fmt.Errorf("recovery: keyHash: %w", err)
	}
	return common.Hash(v.([32]byte)), true, nil
}
