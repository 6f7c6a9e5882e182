// Package deployment puts the contracts every MynaConnect account relies on (EntryPoint v0.8, CardRecovery,
// PasskeyVerifier, CardAccountFactory and the CardAccount implementation the factory makes) on any EVM chain,
// and checks a chain that has them. Everything goes through the deterministic deployment proxy, so each
// contract's address follows from its creation code and salt alone and is the same on every chain
// (docs/contracts.md).
//
// What the code at each address must be is not taken from a list: Published runs the creation code in a
// local EVM, at the real addresses and with the chain's id, and hashes what it leaves behind (contracts with
// an EIP-712 domain keep the chain id in their code, so the hashes differ from chain to chain while the
// addresses do not). A chain whose code differs in a single byte fails Check.
package deployment

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm/runtime"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
)

// Contract is one contract MynaConnect accounts rely on.
type Contract struct {
	Name    string
	Address common.Address
	// Salt and InitCode are what the deterministic deployment proxy is sent; InitCode is nil for the
	// CardAccount implementation, which the factory's constructor creates.
	Salt     common.Hash
	InitCode []byte
	// CodeHash is keccak256 of the runtime code the address must hold (EXTCODEHASH).
	CodeHash common.Hash
}

// Published returns the contracts in deployment order, each with the code hash its creation code leaves on
// chain chainID when run through the deterministic deployment proxy in a local EVM.
func Published(chainID *big.Int) ([]Contract, error) {
	published, initCodes, err := contracts.PublishedAddresses()
	if err != nil {
		return nil, err
	}
	cs := []Contract{{Name: "EntryPoint v0.8", Salt: contracts.EntryPointV08Salt, InitCode: contracts.EntryPoint.Bytecode()}}
	for _, a := range []*contracts.Artifact{contracts.CardRecovery, contracts.PasskeyVerifier, contracts.CardAccountFactory} {
		cs = append(cs, Contract{Name: a.Name, InitCode: initCodes[a.Name]})
	}
	for i := range cs {
		cs[i].Address = contracts.DeterministicAddress(cs[i].Salt, cs[i].InitCode)
	}
	// The factory's constructor creates the implementation: its first CREATE.
	cs = append(cs, Contract{Name: "CardAccount (implementation)", Address: crypto.CreateAddress(published.AccountFactory, 1)})

	statedb, err := state.New(types.EmptyRootHash, state.NewDatabaseForTesting())
	if err != nil {
		return nil, fmt.Errorf("deployment: local EVM: %w", err)
	}
	statedb.SetCode(contracts.DeterministicDeployer, contracts.DeterministicDeployerCode, tracing.CodeChangeUnspecified)
	statedb.SetNonce(contracts.DeterministicDeployer, 1, tracing.NonceChangeUnspecified)
	rules := *params.MergedTestChainConfig // every fork's opcodes
	rules.ChainID = chainID
	cfg := &runtime.Config{ChainConfig: &rules, State: statedb}
	for _, c := range cs {
		if c.InitCode == nil {
			continue
		}
		if _, _, err := runtime.Call(contracts.DeterministicDeployer, contracts.DeterministicDeployerInput(c.Salt, c.InitCode), cfg); err != nil {
			return nil, fmt.Errorf("deployment: creating %s in a local EVM: %w", c.Name, err)
		}
	}
	for i := range cs {
		code := statedb.GetCode(cs[i].Address)
		if len(code) == 0 {
			return nil, fmt.Errorf("deployment: %s left no code at %s in a local EVM", cs[i].Name, cs[i].Address)
		}
		cs[i].CodeHash = crypto.Keccak256Hash(code)
	}
	return cs, nil
}

// CodeReader is what Check needs of a chain (ethclient.Client has it).
type CodeReader interface {
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
}

// State says what a chain holds at a contract's address.
type State int

const (
	Missing   State = iota // no code
	Present                // the expected code
	Different              // code, but not the expected code
)

func (s State) String() string {
	return [...]string{"missing", "present", "different code"}[s]
}

// Status is one contract on one chain.
type Status struct {
	Contract
	State State
	Found common.Hash // the code hash on chain; zero when missing
}

// ErrNotDeployed: a contract is missing or holds other code (Check's and Deploy's error).
var ErrNotDeployed = errors.New("deployment: the chain does not hold MynaConnect's contracts as published")

// Check reads each contract's code on chain and compares its hash. The error is ErrNotDeployed unless every
// contract is Present; the statuses say which are not.
func Check(ctx context.Context, chain CodeReader, cs []Contract) ([]Status, error) {
	out := make([]Status, len(cs))
	bad := 0
	for i, c := range cs {
		code, err := chain.CodeAt(ctx, c.Address, nil)
		if err != nil {
			return nil, fmt.Errorf("deployment: reading the code at %s (%s): %w", c.Address, c.Name, err)
		}
		out[i] = Status{Contract: c}
		switch {
		case len(code) == 0:
			out[i].State = Missing
		case crypto.Keccak256Hash(code) == c.CodeHash:
			out[i].State, out[i].Found = Present, c.CodeHash
		default:
			out[i].State, out[i].Found = Different, crypto.Keccak256Hash(code)
		}
		if out[i].State != Present {
			bad++
		}
	}
	if bad > 0 {
		return out, fmt.Errorf("%w: %d of %d contracts", ErrNotDeployed, bad, len(cs))
	}
	return out, nil
}

// ErrNoDeployer: the chain has no deterministic deployment proxy, so the contracts cannot get their published
// addresses on it.
var ErrNoDeployer = errors.New("deployment: the chain has no deterministic deployment proxy at " + contracts.DeterministicDeployer.Hex())

// Deploy sends, from key, the deterministic deployment proxy's transaction for every contract the chain does
// not hold yet, one at a time, waiting for each (a failed step stops the rest). Contracts already present are
// left alone; a contract with other code at its address is not touched and fails the deployment. It returns
// the chain's statuses after the deployment (Check's).
func Deploy(ctx context.Context, chain *ethclient.Client, key *ecdsa.PrivateKey, cs []Contract) ([]Status, error) {
	before, err := Check(ctx, chain, cs)
	if err != nil && !errors.Is(err, ErrNotDeployed) {
		return nil, err
	}
	if code, err := chain.CodeAt(ctx, contracts.DeterministicDeployer, nil); err != nil {
		return nil, fmt.Errorf("deployment: reading the deterministic deployment proxy: %w", err)
	} else if len(code) == 0 {
		return before, ErrNoDeployer
	}
	sender := &account.Relayer{Client: chain, Key: key}
	for _, s := range before {
		switch {
		case s.State == Different:
			return before, fmt.Errorf("%w: %s at %s holds other code (%s), which this deployment cannot replace", ErrNotDeployed, s.Name, s.Address, s.Found)
		case s.State == Present || s.InitCode == nil:
			continue
		}
		if tx, err := sender.Transact(ctx, contracts.DeterministicDeployer, nil, contracts.DeterministicDeployerInput(s.Salt, s.InitCode)); err != nil {
			return nil, fmt.Errorf("deployment: deploying %s (%s): %w", s.Name, tx, err)
		}
	}
	return Check(ctx, chain, cs)
}

// String is the contract's name, address and state.
func (s Status) String() string {
	return fmt.Sprintf("%s at %s: %s", s.Name, s.Address, s.State)
}
