// Package sigcheck is how a relying party (a dapp's server) checks a signature by any Ethereum account: an
// externally owned account (ecrecover), a deployed smart account (ERC-1271 isValidSignature), or a smart
// account not deployed yet whose signature is wrapped per ERC-6492 — the card account of MynaConnect is the
// last two, an ordinary wallet the first.
//
// Verify does it the way ERC-6492 recommends and viem does: one eth_call of the standard's deployless
// validator (contracts.ValidateSigOffchain), whose creation code deploys the account in the simulation if the
// signature says how, asks it through ERC-1271, or falls back to ecrecover, and returns one byte. The caller
// computes the hash the signer signed: PersonalHash for personal_sign, TypedDataHash for
// eth_signTypedData_v4.
//
// The validator runs against the chain the Backend talks to: a relying party must make sure that is the
// chain it means (a card account's signature is bound to one chain id by ERC-7739 and fails elsewhere).
package sigcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/account/typedhash"
	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// Backend is the part of a JSON-RPC client Verify uses; *ethclient.Client is one.
type Backend interface {
	BlockNumber(ctx context.Context) (uint64, error)
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
	CallContract(ctx context.Context, call ethereum.CallMsg, blockNumber *big.Int) ([]byte, error)
}

// Method says how the signer's signature was checked.
type Method string

const (
	// EOA: the signer has no code and the signature is not wrapped; checked with ecrecover.
	EOA Method = "EOA"
	// ERC1271: the signer is a deployed contract; checked by its isValidSignature.
	ERC1271 Method = "ERC-1271"
	// ERC6492: the signer has no code yet and the signature is wrapped; the validator deployed it in the
	// simulation (the chain is unchanged) and checked it with ERC-1271.
	ERC6492 Method = "ERC-6492"
)

// Result is Verify's verdict.
type Result struct {
	Valid  bool
	Method Method
	// Block is the block number the signature was checked at.
	Block uint64
	// Reason tells why the validator reverted (a malformed signature, a factory call that failed, an
	// isValidSignature that reverted); empty when it answered.
	Reason string
}

// erc6492Suffix ends every ERC-6492 wrapped signature (the standard's detection suffix).
var erc6492Suffix = bytes.Repeat([]byte{0x64, 0x92}, 16)

// Verify checks that sig is signer's signature of hash on the chain behind b.
//
// An error means the question could not be asked (the node is unreachable, the arguments cannot be
// encoded); a relying party treats it as "not verified". A validator that reverts — which a malformed or
// forged signature may make it do — is a Result with Valid false and a Reason, not an error: the node ran
// the check and it did not pass.
func Verify(ctx context.Context, b Backend, signer common.Address, hash common.Hash, sig []byte) (Result, error) {
	data, err := contracts.ValidateSigOffchain.DeployData(signer, hash, sig)
	if err != nil {
		return Result{}, fmt.Errorf("sigcheck: %w", err)
	}
	// Code and verdict at one block, so the method reported is the one the validator took.
	n, err := b.BlockNumber(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("sigcheck: eth_blockNumber: %w", err)
	}
	block := new(big.Int).SetUint64(n)
	code, err := b.CodeAt(ctx, signer, block)
	if err != nil {
		return Result{}, fmt.Errorf("sigcheck: eth_getCode %s: %w", signer, err)
	}
	res := Result{Method: EOA, Block: n}
	switch {
	case len(code) > 0:
		res.Method = ERC1271
	case bytes.HasSuffix(sig, erc6492Suffix):
		res.Method = ERC6492
	}
	out, err := b.CallContract(ctx, ethereum.CallMsg{Data: data}, block)
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) {
		// The node answered with a JSON-RPC error: the validator reverted or ran out of gas.
		res.Reason = err.Error()
		return res, nil
	}
	if err != nil {
		return Result{}, fmt.Errorf("sigcheck: eth_call of the ERC-6492 validator: %w", err)
	}
	if len(out) != 1 || out[0] > 1 {
		return Result{}, fmt.Errorf("sigcheck: the ERC-6492 validator returned %#x, want one byte 0x00 or 0x01", out)
	}
	res.Valid = out[0] == 1
	return res, nil
}

// PersonalHash is the EIP-191 hash of a personal_sign message (version 0x45): what a wallet's personal_sign
// signature is checked against.
func PersonalHash(message []byte) common.Hash {
	return common.BytesToHash(accounts.TextHash(message))
}

// TypedDataHash reads eth_signTypedData_v4's typed data JSON with eip712.Decode (the strict reading
// MynaConnect's consent sheet shows and its card signs; a text it refuses has no single meaning) and returns its
// EIP-712 hash, what the signature is checked against, and the reading.
func TypedDataHash(typedDataJSON []byte) (common.Hash, *eip712.TypedData, error) {
	td, err := eip712.Decode(string(typedDataJSON))
	if err != nil {
		return common.Hash{}, nil, fmt.Errorf("sigcheck: %w", err)
	}
	return typedhash.Hash(td), td, nil
}
