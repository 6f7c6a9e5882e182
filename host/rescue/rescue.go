// Package rescue takes everything out of a card account with nothing but the card, any JSON-RPC node of the
// chain and a key of the person's own that pays for the transaction: no MynaConnect server, extension, host or
// relayer. It starts from the published CardAccountFactory's address alone (the EntryPoint and CardRecovery
// are read from it), so it works for as long as the chain does. `mynaconnect rescue` runs it.
//
// What it can do:
//
//   - Find the accounts the card controls (recovery.Accounts): the one its key makes, and those handed to it later (a renewal or a
//     recovery emits OwnerRotated with the new key's hash, and the account's current key must be the card's).
//   - Inspect its balances: ETH and the tokens asked about.
//   - Sweep: one UserOperation, signed by the card, that sends every token and all of the ETH to an address
//     the person gives. The person's key submits EntryPoint.handleOps itself and pays its gas; the operation
//     asks for no fee, so 100 % of the ETH moves.
//   - Finish a guardians' recovery after its delay (anyone may; no card needed), or cancel one with the card.
package rescue

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/recovery"
)

// Chain is what a rescue needs to know about a chain: a node and the published factory.
type Chain struct {
	RPC     *rpc.Client
	Factory common.Address
}

// Holdings are an account's balances.
type Holdings struct {
	Account  common.Address
	Deployed bool
	ETH      *big.Int
	Tokens   []TokenBalance
}

// TokenBalance is one ERC-20 balance, with what the token says about itself.
type TokenBalance struct {
	Token    common.Address
	Symbol   string
	Decimals uint8
	Amount   *big.Int
}

// Inspect reads the account's ETH balance and its balance of each token.
func Inspect(ctx context.Context, ch Chain, addr common.Address, tokens []common.Address) (*Holdings, error) {
	eth := ethclient.NewClient(ch.RPC)
	h := &Holdings{Account: addr}
	code, err := eth.CodeAt(ctx, addr, nil)
	if err != nil {
		return nil, fmt.Errorf("rescue: eth_getCode: %w", err)
	}
	h.Deployed = len(code) > 0
	if h.ETH, err = eth.BalanceAt(ctx, addr, nil); err != nil {
		return nil, fmt.Errorf("rescue: eth_getBalance: %w", err)
	}
	for _, token := range tokens {
		tb := TokenBalance{Token: token}
		amount, err := account.CallOne(ctx, eth, token, contracts.TestJPYC, "balanceOf", addr)
		if err != nil {
			return nil, fmt.Errorf("rescue: balance of token %s: %w", token, err)
		}
		tb.Amount = amount.(*big.Int)
		// Symbol and decimals are for people to read; a token without them still moves.
		if v, err := account.CallOne(ctx, eth, token, contracts.TestJPYC, "symbol"); err == nil {
			tb.Symbol = v.(string)
		}
		if v, err := account.CallOne(ctx, eth, token, contracts.TestJPYC, "decimals"); err == nil {
			tb.Decimals = v.(uint8)
		}
		h.Tokens = append(h.Tokens, tb)
	}
	return h, nil
}

// Sweep moves every token balance in h and all of its ETH to to, in one UserOperation the card signs; payer
// (the person's funded key) submits EntryPoint.handleOps and pays its gas, and the operation asks for no fee.
// It returns the transaction hash once mined.
func Sweep(ctx context.Context, ch Chain, owner account.Owner, card crypto.Signer, h *Holdings, to common.Address, payer *ecdsa.PrivateKey) (common.Hash, error) {
	if to == (common.Address{}) || to == h.Account {
		return common.Hash{}, fmt.Errorf("rescue: sweep to %s: want another address", to)
	}
	var calls []contracts.Call
	for _, tb := range h.Tokens {
		if tb.Amount.Sign() == 0 {
			continue
		}
		data, err := contracts.TestJPYC.Pack("transfer", to, tb.Amount)
		if err != nil {
			return common.Hash{}, err
		}
		calls = append(calls, contracts.Call{Target: tb.Token, Data: data})
	}
	if h.ETH.Sign() > 0 {
		calls = append(calls, contracts.Call{Target: to, Value: h.ETH})
	}
	if len(calls) == 0 {
		return common.Hash{}, errors.New("rescue: the account holds nothing to move")
	}
	return operate(ctx, ch, h.Account, owner, card, payer, calls)
}

// operate runs calls as one UserOperation of the account at addr, signed by the card; payer submits
// EntryPoint.handleOps and pays its gas, and the operation asks for no fee.
func operate(ctx context.Context, ch Chain, addr common.Address, owner account.Owner, card crypto.Signer, payer *ecdsa.PrivateKey, calls []contracts.Call) (common.Hash, error) {
	if payer == nil {
		return common.Hash{}, errors.New("rescue: a funded key must pay for the transaction")
	}
	a, entryPoint, err := open(ctx, ch, addr, owner, card)
	if err != nil {
		return common.Hash{}, err
	}
	op, err := a.BuildUserOperation(ctx, calls, account.BuildOptions{}) // the built-in relayer takes the account's own figures
	if err != nil {
		return common.Hash{}, fmt.Errorf("rescue: building the operation: %w", err)
	}
	op.MaxFeePerGas, op.MaxPriorityFeePerGas = new(big.Int), new(big.Int)
	if err := a.SignUserOperation(op); err != nil {
		return common.Hash{}, err
	}
	return (&account.Relayer{Client: ethclient.NewClient(ch.RPC), Key: payer}).Submit(ctx, op, entryPoint)
}

// open is the account at addr, owned now by owner, with the EntryPoint its factory names.
func open(ctx context.Context, ch Chain, addr common.Address, owner account.Owner, card crypto.Signer) (*account.Account, common.Address, error) {
	eth := ethclient.NewClient(ch.RPC)
	ep, err := account.CallOne(ctx, eth, ch.Factory, contracts.CardAccountFactory, "entryPoint")
	if err != nil {
		return nil, common.Address{}, fmt.Errorf("rescue: the factory's EntryPoint: %w", err)
	}
	entryPoint := ep.(common.Address)
	a, err := account.At(ctx, ch.RPC, account.Config{Factory: ch.Factory, EntryPoint: entryPoint}, addr, owner, card)
	if err != nil {
		return nil, common.Address{}, err
	}
	return a, entryPoint, nil
}

// Recovery is the CardRecovery the published factory's accounts trust.
func Recovery(ctx context.Context, ch Chain) (common.Address, error) {
	return recovery.Contract(ctx, ethclient.NewClient(ch.RPC), ch.Factory)
}

// PendingFor returns the accounts with a pending recovery to owner's key (the guardians approved handing
// them to this card; FinishRecovery completes each once its delay has passed).
func PendingFor(ctx context.Context, ch Chain, owner account.Owner) ([]common.Address, error) {
	rec, err := Recovery(ctx, ch)
	if err != nil {
		return nil, err
	}
	eth := ethclient.NewClient(ch.RPC)
	started := contracts.CardRecovery.ABI().Events["RecoveryStarted"].ID
	logs, err := eth.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int), Addresses: []common.Address{rec},
		Topics: [][]common.Hash{{started}, nil, {owner.KeyHash()}}})
	if err != nil {
		return nil, fmt.Errorf("rescue: recoveries to this card (eth_getLogs): %w", err)
	}
	var pending []common.Address
	for _, l := range logs {
		addr := common.BytesToAddress(l.Topics[1].Bytes())
		if slices.Contains(pending, addr) {
			continue
		}
		r, err := recovery.Pending(ctx, eth, rec, addr)
		if err != nil {
			return nil, err
		}
		if r.ExecuteAfter != 0 && common.Hash(r.NewKeyHash) == owner.KeyHash() {
			pending = append(pending, addr)
		}
	}
	return pending, nil
}

// FinishRecovery executes the guardians' recovery of addr to owner (the new card's key) once its delay has
// passed: payer sends the transaction; no card signature is needed.
func FinishRecovery(ctx context.Context, ch Chain, addr common.Address, owner account.Owner, payer *ecdsa.PrivateKey) (common.Hash, error) {
	rec, err := Recovery(ctx, ch)
	if err != nil {
		return common.Hash{}, err
	}
	data, err := contracts.CardRecovery.Pack("executeRecovery", addr, owner.E, owner.N)
	if err != nil {
		return common.Hash{}, err
	}
	return (&account.Relayer{Client: ethclient.NewClient(ch.RPC), Key: payer}).Transact(ctx, rec, nil, data)
}

// CancelRecovery cancels the pending recovery of addr: a UserOperation of its current card, submitted by payer.
func CancelRecovery(ctx context.Context, ch Chain, addr common.Address, owner account.Owner, card crypto.Signer, payer *ecdsa.PrivateKey) (common.Hash, error) {
	rec, err := Recovery(ctx, ch)
	if err != nil {
		return common.Hash{}, err
	}
	data, err := contracts.CardRecovery.Pack("cancelRecovery")
	if err != nil {
		return common.Hash{}, err
	}
	return operate(ctx, ch, addr, owner, card, payer, []contracts.Call{{Target: rec, Data: data}})
}
