package wallet

import (
	"context"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/recovery"
)

// protection reads the account's protection for ethAccount, and whether it has code.
func (s *Service) protection(ctx context.Context, n *network, eth *ethclient.Client, addr common.Address, history bool) (protocol.EthProtection, bool, error) {
	rec, err := n.recoveryContract(ctx, eth)
	if err != nil {
		return protocol.EthProtection{}, false, nodeError("eth_call", err)
	}
	st, err := recovery.Read(ctx, eth, n.cfg.AccountFactory, rec, addr, history)
	if err != nil {
		return protocol.EthProtection{}, false, nodeError("eth_call", err)
	}
	published, err := contracts.Addresses()
	if err != nil {
		return protocol.EthProtection{}, false, err
	}
	p := protocol.EthProtection{Recovery: rec.Hex(), PasskeyVerifier: published.PasskeyVerifier.Hex(), Guardians: []protocol.EthGuardian{},
		Threshold: st.Threshold, Delay: st.Delay, ChainTime: st.ChainTime}
	for _, g := range st.Guardians {
		p.Guardians = append(p.Guardians, protocol.EthGuardian{Signer: hexutil.Encode(g.Signer), Kind: g.Kind})
	}
	if r := st.Pending; r.ExecuteAfter != 0 {
		p.PendingRecovery = &protocol.EthPendingRecovery{NewKeyHash: common.Hash(r.NewKeyHash).Hex(), Approvals: r.Approvals, ExecuteAfter: r.ExecuteAfter, ExpiresAt: r.ExpiresAt}
	}
	if c := st.Change; c.EffectiveAt != 0 {
		p.GuardiansChange = &protocol.EthGuardiansChange{Threshold: c.Threshold, Delay: c.Delay, EffectiveAt: c.EffectiveAt}
	}
	for _, e := range st.History {
		p.History = append(p.History, protocol.EthProtectionEvent{Kind: e.Kind, BlockNumber: e.Block, Time: e.Time, TransactionHash: e.Tx.Hex()})
	}
	return p, st.Deployed, nil
}

// recoveryContract is the CardRecovery of the network's factory, read once: it never changes.
func (n *network) recoveryContract(ctx context.Context, eth *ethclient.Client) (common.Address, error) {
	n.mu.Lock()
	known := n.recovery
	n.mu.Unlock()
	if known != (common.Address{}) {
		return known, nil
	}
	rec, err := recovery.Contract(ctx, eth, n.cfg.AccountFactory)
	if err != nil {
		return common.Address{}, err
	}
	n.mu.Lock()
	n.recovery = rec
	n.mu.Unlock()
	return rec, nil
}
