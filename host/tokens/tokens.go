// Package tokens reads what an ERC-20 contract says about itself (symbol, name, decimals), so that a token's
// configured decimals and symbol are never trusted alone: an amount shown with the wrong decimals is off by
// powers of ten, and a symbol is what a person reads.
package tokens

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/chainconfig"
)

// erc20 is the part of ERC-20 read here: symbol and name are optional in the standard, but every token a
// wallet shows has them; balanceOf, approve and transfer.
var erc20 = func() abi.ABI {
	a, err := abi.JSON(strings.NewReader(`[
		{"type":"function","name":"symbol","stateMutability":"view","inputs":[],"outputs":[{"type":"string"}]},
		{"type":"function","name":"name","stateMutability":"view","inputs":[],"outputs":[{"type":"string"}]},
		{"type":"function","name":"decimals","stateMutability":"view","inputs":[],"outputs":[{"type":"uint8"}]},
		{"type":"function","name":"balanceOf","stateMutability":"view","inputs":[{"type":"address"}],"outputs":[{"type":"uint256"}]},
		{"type":"function","name":"approve","stateMutability":"nonpayable","inputs":[{"type":"address"},{"type":"uint256"}],"outputs":[{"type":"bool"}]},
		{"type":"function","name":"transfer","stateMutability":"nonpayable","inputs":[{"type":"address"},{"type":"uint256"}],"outputs":[{"type":"bool"}]}]`))
	if err != nil {
		panic("tokens: " + err.Error()) // a fixed ABI that does not parse is a build defect
	}
	return a
}()

// Metadata is what a token contract says about itself.
type Metadata struct {
	Symbol, Name string
	Decimals     uint8
}

// ErrNotAToken: the address holds no contract, or one that does not answer symbol, name and decimals.
var ErrNotAToken = errors.New("tokens: not an ERC-20 token with a symbol, name and decimals")

// Read asks the contract at addr for its symbol, name and decimals (three eth_calls).
func Read(ctx context.Context, chain ethereum.ContractCaller, addr common.Address) (Metadata, error) {
	var m Metadata
	for _, f := range []struct {
		method string
		into   any
	}{{"symbol", &m.Symbol}, {"name", &m.Name}, {"decimals", &m.Decimals}} {
		data, _ := erc20.Pack(f.method)
		out, err := chain.CallContract(ctx, ethereum.CallMsg{To: &addr, Data: data}, nil)
		var reverted rpc.Error // the node ran the call and answered with an error: the contract refused it
		if errors.As(err, &reverted) {
			return Metadata{}, fmt.Errorf("%w: %s.%s(): %v", ErrNotAToken, addr, f.method, err)
		}
		if err != nil {
			return Metadata{}, fmt.Errorf("tokens: %s.%s(): %w", addr, f.method, err)
		}
		if err := erc20.UnpackIntoInterface(f.into, f.method, out); err != nil {
			return Metadata{}, fmt.Errorf("%w: %s.%s() answered %d bytes", ErrNotAToken, addr, f.method, len(out))
		}
	}
	return m, nil
}

// Balance is token.balanceOf(who).
func Balance(ctx context.Context, chain ethereum.ContractCaller, token, who common.Address) (*big.Int, error) {
	data, err := erc20.Pack("balanceOf", who)
	if err != nil {
		return nil, err
	}
	out, err := chain.CallContract(ctx, ethereum.CallMsg{To: &token, Data: data}, nil)
	if err != nil {
		return nil, fmt.Errorf("tokens: %s.balanceOf(%s): %w", token, who, err)
	}
	var balance *big.Int
	if err := erc20.UnpackIntoInterface(&balance, "balanceOf", out); err != nil {
		return nil, fmt.Errorf("%w: %s.balanceOf() answered %d bytes", ErrNotAToken, token, len(out))
	}
	return balance, nil
}

// ApproveData is the calldata of approve(spender, amount).
func ApproveData(spender common.Address, amount *big.Int) ([]byte, error) {
	return erc20.Pack("approve", spender, amount)
}

// TransferData is the calldata of transfer(to, amount).
func TransferData(to common.Address, amount *big.Int) ([]byte, error) {
	return erc20.Pack("transfer", to, amount)
}

// ErrMismatch: the configuration says other decimals or another symbol than the token's contract.
var ErrMismatch = errors.New("tokens: the configuration does not match the token's contract")

// Verify reads t's contract and compares its decimals and symbol with the configuration's.
func Verify(ctx context.Context, chain ethereum.ContractCaller, t chainconfig.Token) error {
	m, err := Read(ctx, chain, t.Address)
	if err != nil {
		return err
	}
	if m.Decimals != t.Decimals || m.Symbol != t.Symbol {
		return fmt.Errorf("%w: %s says %s with %d decimals, the configuration %s with %d", ErrMismatch, t.Address, m.Symbol, m.Decimals, t.Symbol, t.Decimals)
	}
	return nil
}
