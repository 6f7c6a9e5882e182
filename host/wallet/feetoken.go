package wallet

import (
	"cmp"
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/account/feepaymaster"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/tokens"
)

// Paying the fee in JPYC: when the account cannot pay an operation's most in ETH and the network has a fee
// paymaster (chainconfig FeePaymaster), the operation names the paymaster, carries the paymaster's current
// rate as the highest it accepts, and its batch begins with approving the paymaster for exactly the most it
// can take. The sheet shows that most; the approval caps what is taken, and the rate in the signed operation
// caps the price, so the account never pays more than was shown.

// prepare builds the operation a sheet shows: paid by the account, or, when the network has a fee paymaster
// and the account's ETH cannot pay, through the paymaster. Who pays is chosen on the account's own figures,
// since a bundler asked to estimate an operation the account cannot pay for refuses it; only then is a
// bundler (sub) asked.
func (s *Service) prepare(ctx context.Context, n *network, a *account.Account, calls []protocol.EthCall, sub account.Submitter) (*account.UserOperation, *protocol.EthFeePaymaster, error) {
	if n.cfg.FeePaymaster == nil {
		op, err := build(ctx, a, calls, sub)
		return op, nil, err
	}
	op, err := build(ctx, a, calls, nil)
	if err != nil {
		return nil, nil, err
	}
	switch paid, err := s.needsPaymaster(ctx, n, a, op); {
	case err != nil:
		return nil, nil, err
	case paid:
		return s.buildPaid(ctx, n, a, calls, sub, nil)
	}
	if _, quoted := sub.(account.Quoter); quoted {
		op, err = build(ctx, a, calls, sub)
	}
	return op, nil, err
}

// needsPaymaster reports whether the account should pay op's fee in JPYC: the network has a fee paymaster
// and the account's ETH (balance and EntryPoint deposit) does not cover op's most.
func (s *Service) needsPaymaster(ctx context.Context, n *network, a *account.Account, op *account.UserOperation) (bool, error) {
	if n.cfg.FeePaymaster == nil {
		return false, nil
	}
	client, err := s.rpc(ctx, n)
	if err != nil {
		return false, err
	}
	// The balance and the EntryPoint deposit in one round trip: every sheet of a transaction waits for it.
	depositOf, err := contracts.EntryPoint.Pack("balanceOf", a.Address())
	if err != nil {
		return false, err
	}
	var balance hexutil.Big
	var deposit hexutil.Bytes
	batch := []rpc.BatchElem{
		{Method: "eth_getBalance", Args: []any{a.Address(), "latest"}, Result: &balance},
		{Method: "eth_call", Args: []any{map[string]any{"to": n.cfg.EntryPoint, "data": hexutil.Bytes(depositOf)}, "latest"}, Result: &deposit},
	}
	err = client.BatchCallContext(ctx, batch)
	for _, e := range batch {
		err = cmp.Or(err, e.Error)
	}
	if err == nil && len(deposit) != 32 {
		err = fmt.Errorf("EntryPoint.balanceOf answered %d bytes", len(deposit))
	}
	if err != nil {
		return false, nodeError("reading the account's balance and EntryPoint deposit", err)
	}
	gas := op.CallGasLimit + op.VerificationGasLimit + op.PreVerificationGas
	most := new(big.Int).Mul(new(big.Int).SetUint64(gas), op.MaxFeePerGas)
	return new(big.Int).Add(balance.ToInt(), new(big.Int).SetBytes(deposit)).Cmp(most) < 0, nil
}

// buildPaid builds the operation running calls with its fee paid in JPYC through the network's paymaster.
// For a sheet (shown nil) the rate is the paymaster's now; for the PIN it is the one shown, which the
// paymaster's must not exceed (ErrFeeChanged otherwise), and the approval is the shown most. The calls,
// followed by the fee's transfer, must leave the account able to pay: else ErrReverted, before the sheet
// and the PIN. A bundler (sub) then sizes and prices the operation; its higher limits may raise the most a
// little above the one checked, and it simulates the fee actually taken.
func (s *Service) buildPaid(ctx context.Context, n *network, a *account.Account, calls []protocol.EthCall, sub account.Submitter, shown *protocol.EthFeePaymaster) (*account.UserOperation, *protocol.EthFeePaymaster, error) {
	pm := n.cfg.FeePaymaster
	client, err := s.rpc(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	eth := ethclient.NewClient(client)
	current, err := account.CallOne(ctx, eth, pm.Address, contracts.JPYCFeePaymaster, "tokenPerNative")
	if err != nil {
		return nil, nil, nodeError("reading the fee paymaster's rate", err)
	}
	// The approval's stand-in while the most is not known: 16 bytes of 0xff, as wide in calldata as any real
	// amount, so the limits built with it cover the real one.
	rate, amount := current.(*big.Int), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	if shown != nil {
		if rate.Cmp(shown.TokenPerNative) > 0 {
			return nil, nil, fmt.Errorf("%w: the fee paymaster now asks %s token units per ETH, the sheet showed %s", ErrFeeChanged, rate, shown.TokenPerNative)
		}
		rate, amount = shown.TokenPerNative, shown.MaxTokenCost
	}
	approval, err := feepaymaster.Approval(pm.Token, pm.Address, amount)
	if err != nil {
		return nil, nil, err
	}
	paid := append([]protocol.EthCall{{To: protocol.Address(approval.Target), Value: new(big.Int), Data: approval.Data}}, calls...)
	// The sheet shows the fee in the token's units: its contract must say the configured decimals.
	if err := s.checkTokens(ctx, n, paid[:1]); err != nil {
		return nil, nil, err
	}
	sponsor := func(op *account.UserOperation) { feepaymaster.Sponsor(op, pm.Address, rate) }
	// The account's own figures first: they give the most, and calls that would leave too little for it are
	// found here, before a bundler is asked (it refuses them with a reason the person cannot act on).
	op, err := buildWith(ctx, a, paid, account.BuildOptions{Sponsor: sponsor})
	if err != nil {
		return nil, nil, err
	}
	if shown == nil {
		amount = feepaymaster.MaxTokenCost(op, rate)
	}
	feeTransfer, err := tokens.TransferData(pm.Address, amount)
	if err != nil {
		return nil, nil, err
	}
	switch err := a.Simulate(ctx, append(contractCalls(paid), contracts.Call{Target: pm.Token, Value: new(big.Int), Data: feeTransfer})); {
	case isRevert(err):
		return nil, nil, fmt.Errorf("%w (nothing was signed): the JPYC left after the calls does not cover the fee, at most %s token units: %v", ErrReverted, amount, err)
	case err != nil:
		return nil, nil, nodeError("simulating the fee's payment", err)
	}
	if q, quoted := sub.(account.Quoter); quoted {
		if op, err = buildWith(ctx, a, paid, account.BuildOptions{Quoter: q, Sponsor: sponsor}); err != nil {
			return nil, nil, err
		}
	}
	most := feepaymaster.MaxTokenCost(op, rate)
	if shown == nil {
		if approval, err = feepaymaster.Approval(pm.Token, pm.Address, most); err != nil {
			return nil, nil, err
		}
		paid[0].Data = approval.Data
		if op.CallData, err = contracts.ExecuteBatch(contractCalls(paid)); err != nil {
			return nil, nil, err
		}
	}
	return op, &protocol.EthFeePaymaster{Address: protocol.Address(pm.Address), VerificationGasLimit: op.PaymasterVerificationGasLimit,
		PostOpGasLimit: op.PaymasterPostOpGasLimit, Token: protocol.Address(pm.Token), TokenPerNative: rate, MaxTokenCost: most}, nil
}

// checkShownPaymaster holds the fee's paymaster to the network's: a fee object is the extension's, but the
// host checks what it signs for.
func checkShownPaymaster(n *network, shown *protocol.EthFeePaymaster) error {
	pm := n.cfg.FeePaymaster
	if pm == nil || common.Address(shown.Address) != pm.Address || common.Address(shown.Token) != pm.Token {
		return fmt.Errorf("%w: the fee names paymaster %s, the network's is %v", ErrFeeChanged, common.Address(shown.Address), pm)
	}
	return nil
}
