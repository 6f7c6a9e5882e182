// Package feepaymaster is the operator's side of the JPYC fee paymaster (contracts.JPYCFeePaymaster): putting
// one on a chain for a JPYC token at a rate in yen per ETH, keeping its ETH deposit and stake at the
// EntryPoint, changing the rate, taking out ETH and the JPYC collected as fees, and reading all of that back.
//
// The operator's key owns the paymaster; every Operator command sends one transaction from it, and Read
// sends none.
package feepaymaster

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/tokens"
)

// Rate is the paymaster's tokenPerNative for a price of yenPerETH yen per ETH, for a yen token with decimals
// decimals (one whole token is one yen): token units per ETH.
func Rate(yenPerETH uint64, decimals uint8) *big.Int {
	return new(big.Int).Mul(new(big.Int).SetUint64(yenPerETH), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil))
}

// Operator sends the paymaster owner's transactions.
type Operator struct {
	Client *ethclient.Client
	Key    *ecdsa.PrivateKey
}

func (o Operator) send(ctx context.Context, to common.Address, value *big.Int, method string, args ...any) (common.Hash, error) {
	data, err := contracts.JPYCFeePaymaster.Pack(method, args...)
	if err != nil {
		return common.Hash{}, err
	}
	tx, err := (&account.Relayer{Client: o.Client, Key: o.Key}).Transact(ctx, to, value, data)
	if err != nil {
		return tx, fmt.Errorf("feepaymaster: %s: %w", method, err)
	}
	return tx, nil
}

// Deploy puts a paymaster for token at yenPerETH on the chain through the deterministic deployment proxy,
// owned by the operator's key, and returns its address; one already there (same token, rate and owner) is
// returned as it is. The token's decimals come from its contract.
func (o Operator) Deploy(ctx context.Context, token common.Address, yenPerETH uint64) (common.Address, error) {
	m, err := tokens.Read(ctx, o.Client, token)
	if err != nil {
		return common.Address{}, err
	}
	init, err := contracts.JPYCFeePaymaster.DeployData(token, Rate(yenPerETH, m.Decimals), crypto.PubkeyToAddress(o.Key.PublicKey))
	if err != nil {
		return common.Address{}, err
	}
	addr := contracts.DeterministicAddress(common.Hash{}, init)
	if code, err := o.Client.CodeAt(ctx, addr, nil); err != nil {
		return common.Address{}, fmt.Errorf("feepaymaster: reading %s: %w", addr, err)
	} else if len(code) > 0 {
		return addr, nil
	}
	if tx, err := (&account.Relayer{Client: o.Client, Key: o.Key}).Transact(ctx, contracts.DeterministicDeployer, nil, contracts.DeterministicDeployerInput(common.Hash{}, init)); err != nil {
		return common.Address{}, fmt.Errorf("feepaymaster: deploying (%s): %w", tx, err)
	}
	return addr, nil
}

// Deposit adds wei to the paymaster's deposit at the EntryPoint, which pays the gas it sponsors.
func (o Operator) Deposit(ctx context.Context, paymaster common.Address, wei *big.Int) (common.Hash, error) {
	return o.send(ctx, paymaster, wei, "deposit")
}

// Stake stakes wei at the EntryPoint with an unstake delay of delaySec: bundlers in ERC-7562 safe mode take
// the paymaster's operations only when it is staked (Alto's default minimum: 1 ETH, a delay of 1 s; public
// bundlers ask a day or more).
func (o Operator) Stake(ctx context.Context, paymaster common.Address, wei *big.Int, delaySec uint32) (common.Hash, error) {
	return o.send(ctx, paymaster, wei, "addStake", delaySec)
}

// Withdraw takes wei of the deposit out to to.
func (o Operator) Withdraw(ctx context.Context, paymaster, to common.Address, wei *big.Int) (common.Hash, error) {
	return o.send(ctx, paymaster, nil, "withdraw", to, wei)
}

// SetRate sets the price the fees are taken at: yenPerETH yen per ETH, for the paymaster's token, whose
// decimals come from its contract.
func (o Operator) SetRate(ctx context.Context, paymaster common.Address, yenPerETH uint64) (common.Hash, error) {
	s, err := Read(ctx, o.Client, paymaster)
	if err != nil {
		return common.Hash{}, err
	}
	return o.send(ctx, paymaster, nil, "setRate", Rate(yenPerETH, s.TokenDecimals))
}

// Collect takes all the JPYC collected as fees out to to.
func (o Operator) Collect(ctx context.Context, paymaster, to common.Address) (common.Hash, error) {
	all := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	return o.send(ctx, paymaster, nil, "withdrawTokens", to, all)
}

// Status is what a paymaster holds and charges.
type Status struct {
	Owner          common.Address
	Token          common.Address
	TokenSymbol    string
	TokenDecimals  uint8
	TokenPerNative *big.Int
	// YenPerETH is the rate in whole tokens (yen) per ETH.
	YenPerETH *big.Int
	// Deposit pays the gas; Stake, with UnstakeDelay seconds, is what bundlers ask of it.
	Deposit, Stake *big.Int
	Staked         bool
	UnstakeDelay   uint32
	// Collected is the JPYC taken as fees and not yet collected, in token units.
	Collected *big.Int
}

// depositInfo is EntryPoint.getDepositInfo's answer.
type depositInfo struct {
	Deposit         *big.Int
	Staked          bool
	Stake           *big.Int
	UnstakeDelaySec uint32
	WithdrawTime    *big.Int
}

// Read reads a paymaster's status.
func Read(ctx context.Context, client *ethclient.Client, paymaster common.Address) (Status, error) {
	var s Status
	owner, err := account.CallOne(ctx, client, paymaster, contracts.JPYCFeePaymaster, "owner")
	if err != nil {
		return Status{}, fmt.Errorf("feepaymaster: %s is not a JPYC fee paymaster: %w", paymaster, err)
	}
	s.Owner = owner.(common.Address)
	token, err := account.CallOne(ctx, client, paymaster, contracts.JPYCFeePaymaster, "token")
	if err != nil {
		return Status{}, err
	}
	s.Token = token.(common.Address)
	rate, err := account.CallOne(ctx, client, paymaster, contracts.JPYCFeePaymaster, "tokenPerNative")
	if err != nil {
		return Status{}, err
	}
	s.TokenPerNative = rate.(*big.Int)
	m, err := tokens.Read(ctx, client, s.Token)
	if err != nil {
		return Status{}, err
	}
	s.TokenSymbol, s.TokenDecimals = m.Symbol, m.Decimals
	s.YenPerETH = new(big.Int).Div(s.TokenPerNative, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(m.Decimals)), nil))
	info, err := account.CallOne(ctx, client, contracts.EntryPointV08Address, contracts.EntryPoint, "getDepositInfo", paymaster)
	if err != nil {
		return Status{}, err
	}
	d := *abi.ConvertType(info, new(depositInfo)).(*depositInfo)
	s.Deposit, s.Staked, s.Stake, s.UnstakeDelay = d.Deposit, d.Staked, d.Stake, d.UnstakeDelaySec
	if s.Collected, err = tokens.Balance(ctx, client, s.Token, paymaster); err != nil {
		return Status{}, err
	}
	return s, nil
}
