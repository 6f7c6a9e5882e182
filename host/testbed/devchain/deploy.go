package devchain

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/account/feepaymaster"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
)

// deploy puts the contracts on the chain through the deterministic deployment proxy, so their addresses
// depend only on their code (and the EntryPoint is at its canonical address), and fills in c.network.
func (c *Chain) deploy(ctx context.Context, chainID uint64) error {
	faucet := crypto.PubkeyToAddress(FaucetKey.PublicKey)
	entryPoint := contracts.EntryPointV08Address
	type step struct {
		name string
		salt common.Hash
		init []byte
		addr *common.Address
	}
	var reference, token, paymaster common.Address
	steps := []step{{name: "EntryPoint", salt: contracts.EntryPointV08Salt, init: contracts.EntryPoint.Bytecode()}}
	// The published contracts, at the addresses they have on every chain.
	published, initCodes, err := contracts.PublishedAddresses()
	if err != nil {
		return err
	}
	for _, a := range []*contracts.Artifact{contracts.CardRecovery, contracts.PasskeyVerifier, contracts.CardAccountFactory} {
		steps = append(steps, step{name: a.Name, init: initCodes[a.Name]})
	}
	tokenInit, err := contracts.TestJPYC.DeployData(faucet)
	if err != nil {
		return err
	}
	for _, s := range []struct {
		a    *contracts.Artifact
		args []any
		addr *common.Address
	}{
		{contracts.ECDSAAccountFactory, []any{entryPoint}, &reference},
		{contracts.TestJPYC, []any{faucet}, &token},
		{contracts.JPYCFeePaymaster, []any{contracts.DeterministicAddress(common.Hash{}, tokenInit), JPYCPerETH, faucet}, &paymaster},
	} {
		init, err := s.a.DeployData(s.args...)
		if err != nil {
			return err
		}
		steps = append(steps, step{name: s.a.Name, init: init, addr: s.addr})
	}

	// Send everything, then wait: the transactions share a block or two instead of one block each.
	heads, unsubscribe := c.subscribeHeads()
	defer unsubscribe()
	txs := make([]*types.Transaction, len(steps))
	for i, s := range steps {
		to := contracts.DeterministicDeployer
		tx, err := c.sendTx(ctx, FaucetKey, &to, nil, contracts.DeterministicDeployerInput(s.salt, s.init))
		if err != nil {
			return fmt.Errorf("devchain: deploying %s: %w", s.name, err)
		}
		txs[i] = tx
	}
	for i, s := range steps {
		if _, err := c.waitMined(ctx, txs[i].Hash(), heads); err != nil {
			return fmt.Errorf("devchain: deploying %s: %w", s.name, err)
		}
		addr := contracts.DeterministicAddress(s.salt, s.init)
		code, err := c.client.CodeAt(ctx, addr, nil)
		if err != nil || len(code) == 0 {
			return fmt.Errorf("devchain: %s has no code at %s (%v)", s.name, addr, err)
		}
		if s.addr != nil {
			*s.addr = addr
		}
	}
	c.referenceFactory, c.token, c.recovery, c.passkeyVerifier, c.paymaster = reference, token, published.Recovery, published.PasskeyVerifier, paymaster
	if err := c.fundPaymaster(ctx); err != nil {
		return err
	}
	c.network = chainconfig.Network{
		Name:           "MynaConnect dev chain",
		ChainID:        chainID,
		RPCURL:         c.RPCURL(),
		EntryPoint:     entryPoint,
		AccountFactory: published.AccountFactory,
		NativeCurrency: chainconfig.Currency{Name: "Ether", Symbol: "ETH", Decimals: 18},
		Tokens:         []chainconfig.Token{{Address: token, Symbol: "JPYC", Name: "JPY Coin (test)", Decimals: 18, Fiat: "JPY"}},
		FeePaymaster:   &chainconfig.FeePaymaster{Address: paymaster, Token: token},
		Dev: &chainconfig.Dev{
			Fork:                    string(c.fork),
			FaucetKey:               hexutil.Encode(crypto.FromECDSA(FaucetKey)),
			RelayerKey:              hexutil.Encode(crypto.FromECDSA(RelayerKey)),
			ReferenceAccountFactory: reference,
		},
	}
	return c.network.Validate()
}

// The dev chain's JPYC fee paymaster: its rate, and what the faucet (its owner) puts into it.
var (
	// JPYCPerETH is the paymaster's rate, JPYC units per ETH scaled by 1e18: ¥500,000 per ETH.
	JPYCPerETH = feepaymaster.Rate(500_000, 18)
	// PaymasterDeposit pays the gas of the operations it sponsors; PaymasterStake is what ERC-7562 bundlers ask
	// of a paymaster that touches token storage (Alto's default minimum: 1 ETH, unstake delay 1 s).
	PaymasterDeposit = new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether))
	PaymasterStake   = big.NewInt(params.Ether)
)

// PaymasterUnstakeDelay is the paymaster stake's unstake delay, in seconds: a day, as public bundlers ask.
const PaymasterUnstakeDelay = 86400

// fundPaymaster deposits the paymaster's ETH at the EntryPoint and stakes it, as its operator would.
func (c *Chain) fundPaymaster(ctx context.Context) error {
	operator := feepaymaster.Operator{Client: c.client, Key: FaucetKey}
	if _, err := operator.Deposit(ctx, c.paymaster, PaymasterDeposit); err != nil {
		return fmt.Errorf("devchain: %w", err)
	}
	if _, err := operator.Stake(ctx, c.paymaster, PaymasterStake, PaymasterUnstakeDelay); err != nil {
		return fmt.Errorf("devchain: %w", err)
	}
	return nil
}
