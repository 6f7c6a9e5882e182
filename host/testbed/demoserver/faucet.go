package demoserver

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
)

// What the faucet gives, and how often per session: enough to try every flow of the page a few times.
const (
	faucetETH      = 1
	faucetJPYC     = 10_000
	faucetInterval = time.Minute
	// faucetTimeout bounds one funding: the dev chain seals a block as soon as a transaction arrives.
	faucetTimeout = 30 * time.Second
)

// faucet funds accounts on a dev chain from the chain configuration's dev.faucetKey: ether by a transfer,
// test JPYC by TestJPYC.mint (the faucet key owns the token on the dev chain). It is the only private key
// the server holds, and exists only when the configuration has a dev section.
type faucet struct {
	key     *ecdsa.PrivateKey
	client  *ethclient.Client
	chainID *big.Int
	jpyc    *chainconfig.Token

	mu   sync.Mutex           // one funding at a time keeps the key's nonces in order
	last map[string]time.Time // session → when it was last funded, under mu
}

// allow records a funding for session at now, or says how long it must wait.
func (f *faucet) allow(session string, now time.Time) (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for s, t := range f.last {
		if now.Sub(t) >= faucetInterval {
			delete(f.last, s)
		}
	}
	if t, ok := f.last[session]; ok {
		return faucetInterval - now.Sub(t), false
	}
	f.last[session] = now
	return 0, true
}

// release forgets session's funding: one that failed does not count against it.
func (f *faucet) release(session string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.last, session)
}

// fund sends faucetETH ether and mints faucetJPYC test JPYC to to, and waits for both receipts.
func (f *faucet) fund(ctx context.Context, to common.Address) ([]common.Hash, error) {
	ctx, cancel := context.WithTimeout(ctx, faucetTimeout)
	defer cancel()
	calls := []faucetCall{{to, new(big.Int).Mul(big.NewInt(faucetETH), big.NewInt(1e18)), nil}}
	if f.jpyc != nil {
		amount := new(big.Int).Mul(big.NewInt(faucetJPYC), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(f.jpyc.Decimals)), nil))
		data, err := contracts.TestJPYC.Pack("mint", to, amount)
		if err != nil {
			return nil, err
		}
		calls = append(calls, faucetCall{f.jpyc.Address, nil, data})
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	from := crypto.PubkeyToAddress(f.key.PublicKey)
	// The pool's pending nonce can lag a transaction just sent while the dev chain seals it: count on.
	nonce, err := f.client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("nonce of %s: %w", from, err)
	}
	var hashes []common.Hash
	for i, c := range calls {
		h, err := f.send(ctx, nonce+uint64(i), c)
		if err != nil {
			return hashes, err
		}
		hashes = append(hashes, h)
	}
	for _, h := range hashes {
		if err := f.wait(ctx, h); err != nil {
			return hashes, err
		}
	}
	return hashes, nil
}

type faucetCall struct {
	to    common.Address
	value *big.Int // nil: none
	data  []byte
}

// send signs and sends c as an EIP-1559 transaction from the faucet key with nonce; f.mu is held.
func (f *faucet) send(ctx context.Context, nonce uint64, c faucetCall) (common.Hash, error) {
	from := crypto.PubkeyToAddress(f.key.PublicKey)
	value := c.value
	if value == nil {
		value = new(big.Int)
	}
	gas, err := f.client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &c.to, Value: value, Data: c.data})
	if err != nil {
		return common.Hash{}, fmt.Errorf("estimating gas for %s: %w", c.to, err)
	}
	head, err := f.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return common.Hash{}, fmt.Errorf("latest block: %w", err)
	}
	tip, err := f.client.SuggestGasTipCap(ctx)
	if err != nil {
		return common.Hash{}, fmt.Errorf("eth_maxPriorityFeePerGas: %w", err)
	}
	tx, err := types.SignNewTx(f.key, types.LatestSignerForChainID(f.chainID), &types.DynamicFeeTx{
		ChainID:   f.chainID,
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip),
		Gas:       gas + gas/5, // estimation is exact; a margin costs nothing (only gas used is paid)
		To:        &c.to,
		Value:     value,
		Data:      c.data,
	})
	if err != nil {
		return common.Hash{}, err
	}
	if err := f.client.SendTransaction(ctx, tx); err != nil {
		return common.Hash{}, fmt.Errorf("sending to %s: %w", c.to, err)
	}
	return tx.Hash(), nil
}

// wait polls for the receipt of h: the dev chain seals within milliseconds.
func (f *faucet) wait(ctx context.Context, h common.Hash) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		r, err := f.client.TransactionReceipt(ctx, h)
		switch {
		case err == nil && r.Status == types.ReceiptStatusSuccessful:
			return nil
		case err == nil:
			return fmt.Errorf("transaction %s reverted", h)
		case !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress"):
			return fmt.Errorf("receipt of %s: %w", h, err)
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", h, ctx.Err())
		}
	}
}

func (s *Server) ethFaucet(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Address string `json:"address"`
	}
	if !decodeStrict(w, body, &req, `{"address"}`) {
		return
	}
	addr, ok := parseAddress(w, req.Address)
	if !ok {
		return
	}
	f := s.eth.faucet
	if f == nil {
		writeError(w, http.StatusForbidden, CodeFaucetDisabled, "the chain configuration has no dev section: there is no faucet on a real network")
		return
	}
	sid := s.session(r)
	if sid == "" {
		writeError(w, http.StatusUnauthorized, CodeNoSession, "no session: load the page (it calls /api/eth/chain) first; cookies must be enabled")
		return
	}
	if wait, ok := f.allow(sid, s.now()); !ok {
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		writeError(w, http.StatusTooManyRequests, CodeFaucetRateLimited, fmt.Sprintf("this session was funded less than %s ago; try again in %d s", faucetInterval, int(wait.Seconds())+1))
		return
	}
	if err := s.eth.checkChain(r.Context()); err != nil {
		f.release(sid)
		s.chainUnavailable(w, err)
		return
	}
	hashes, err := f.fund(r.Context(), addr)
	if err != nil {
		f.release(sid)
		s.log.Error("faucet", "address", addr, "err", err)
		writeError(w, http.StatusBadGateway, CodeFaucetFailed, "funding "+addr.Hex()+": "+err.Error())
		return
	}
	res := FaucetResult{Funded: true, Address: addr.Hex(), ETH: fmt.Sprint(faucetETH), JPYC: "0", Transactions: []string{}}
	if f.jpyc != nil {
		res.JPYC = fmt.Sprint(faucetJPYC)
	}
	for _, h := range hashes {
		res.Transactions = append(res.Transactions, h.Hex())
	}
	s.log.Info("faucet funded", "address", addr)
	writeJSON(w, http.StatusOK, res)
}
