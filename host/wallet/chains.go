package wallet

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/tokens"
)

// network is one configured chain and its connections, made on first use.
type network struct {
	cfg chainconfig.Network

	mu      sync.Mutex
	client  *rpc.Client
	submit  account.Submitter
	bundler *rpc.Client
	// recovery is the factory's CardRecovery, once read.
	recovery common.Address
	// tokensChecked are the configured tokens whose contracts said the configured symbol and decimals.
	tokensChecked map[common.Address]bool
}

// checkTokens holds each configured token that calls address to what its contract says (tokens.Verify),
// once per token, before a sheet shows an amount of it: the configuration alone could have the sheet show
// 10^12 times too little. A token that disagrees, or is not a token, is ErrChainUnconfigured.
func (s *Service) checkTokens(ctx context.Context, n *network, calls []protocol.EthCall) error {
	client, err := s.rpc(ctx, n)
	if err != nil {
		return err
	}
	for _, c := range calls {
		for _, t := range n.cfg.Tokens {
			if t.Address != common.Address(c.To) {
				continue
			}
			n.mu.Lock()
			checked := n.tokensChecked[t.Address]
			n.mu.Unlock()
			if checked {
				continue
			}
			switch err := tokens.Verify(ctx, ethclient.NewClient(client), t); {
			case errors.Is(err, tokens.ErrMismatch), errors.Is(err, tokens.ErrNotAToken):
				return fmt.Errorf("%w: chain %d: token %s: %v", ErrChainUnconfigured, n.cfg.ChainID, t.Symbol, err)
			case err != nil:
				return nodeError("reading the token's symbol and decimals", err)
			}
			n.mu.Lock()
			if n.tokensChecked == nil {
				n.tokensChecked = map[common.Address]bool{}
			}
			n.tokensChecked[t.Address] = true
			n.mu.Unlock()
		}
	}
	return nil
}

// load reads the chain configuration on first use. A missing or invalid
// file is read again on the next request, so that a chain configured (or a
// dev chain started) while the browser runs is picked up; a good one is
// kept for the life of the host.
func (s *Service) load() (*chainconfig.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file != nil {
		return s.file, nil
	}
	path := s.cfg.ConfigPath
	if path == "" {
		var err error
		if path, err = chainconfig.DefaultPath(); err != nil {
			return nil, fmt.Errorf("%w: no configuration directory: %v", ErrChainUnconfigured, err)
		}
	}
	f, err := chainconfig.Load(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrChainUnconfigured, err)
	}
	s.file = f
	s.nets = make(map[uint64]*network, len(f.Networks))
	for _, n := range f.Networks {
		s.nets[n.ChainID] = &network{cfg: n}
	}
	return f, nil
}

// network returns the configured chain with id chainID.
func (s *Service) network(chainID uint64) (*network, error) {
	if _, err := s.load(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.nets[chainID]
	if !ok {
		return nil, fmt.Errorf("%w: chain %d is not in the chain configuration", ErrChainUnconfigured, chainID)
	}
	return n, nil
}

// Chains answers ethChains: every configured network without its keys, the
// first as the default.
func (s *Service) Chains() (protocol.EthChainsResult, error) {
	f, err := s.load()
	if err != nil {
		return protocol.EthChainsResult{}, err
	}
	res := protocol.EthChainsResult{Chains: make([]protocol.EthChain, 0, len(f.Networks)), DefaultChainID: f.Networks[0].ChainID}
	for _, n := range f.Networks {
		c := protocol.EthChain{
			ChainID:        n.ChainID,
			Name:           n.Name,
			NativeCurrency: protocol.EthCurrency{Name: n.NativeCurrency.Name, Symbol: n.NativeCurrency.Symbol, Decimals: n.NativeCurrency.Decimals},
			ExplorerURL:    n.ExplorerURL,
			Tokens:         make([]protocol.EthToken, 0, len(n.Tokens)),
			RPCURL:         n.RPCURL,
		}
		for _, t := range n.Tokens {
			c.Tokens = append(c.Tokens, protocol.EthToken{Address: t.Address.Hex(), Symbol: t.Symbol, Name: t.Name, Decimals: t.Decimals, Fiat: t.Fiat})
		}
		res.Chains = append(res.Chains, c)
	}
	return res, nil
}

// AccountsOf is the account of a login certificate's key on every
// configured chain, computed without the network (CREATE2 at the chain's
// factory): what the certificate gives away, for the login sheet to say.
// The caller has parsed the certificate already. No configuration, or a
// key that is not a card's, is none.
func (s *Service) AccountsOf(key *rsa.PublicKey) []protocol.LinkedAccount {
	f, err := s.load()
	if err != nil {
		return nil
	}
	owner, err := account.OwnerFromPublicKey(key)
	if err != nil {
		return nil
	}
	var accounts []protocol.LinkedAccount
	for _, cfg := range f.Networks {
		if addr, err := owner.Address(cfg.AccountFactory, accountIndex); err == nil {
			accounts = append(accounts, protocol.LinkedAccount{ChainID: cfg.ChainID, Chain: cfg.Name, Address: addr.Hex()})
		}
	}
	return accounts
}

// dial connects to url: HTTP requests each bounded by CallTimeout, a
// WebSocket dial too.
func (s *Service) dial(ctx context.Context, url string) (*rpc.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	c, err := rpc.DialOptions(ctx, url, rpc.WithHTTPClient(&http.Client{Timeout: s.cfg.CallTimeout}))
	if err != nil {
		return nil, fmt.Errorf("%w: dialing %s: %v", ErrChainUnavailable, url, err)
	}
	return c, nil
}

// rpc returns the chain's JSON-RPC client, dialling it on first use.
func (s *Service) rpc(ctx context.Context, n *network) (*rpc.Client, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.client == nil {
		c, err := s.dial(ctx, n.cfg.RPCURL)
		if err != nil {
			return nil, err
		}
		n.client = c
	}
	return n.client, nil
}

// submitter returns how the chain takes UserOperations: its bundler, else
// the built-in relayer paid by the configuration's dev relayer key. One
// Relayer per chain keeps the relayer key's nonces in order.
func (s *Service) submitter(ctx context.Context, n *network) (account.Submitter, error) {
	client, err := s.rpc(ctx, n)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.submit != nil {
		return n.submit, nil
	}
	switch {
	case n.cfg.BundlerURL != "":
		b, err := s.dial(ctx, n.cfg.BundlerURL)
		if err != nil {
			return nil, err
		}
		bundler := &account.Bundler{RPC: b, PollInterval: s.cfg.ReceiptPoll}
		cctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
		defer cancel()
		switch err := bundler.Check(cctx, n.cfg.ChainID, n.cfg.EntryPoint); {
		case errors.Is(err, account.ErrBundlerMismatch):
			b.Close()
			return nil, fmt.Errorf("%w: chain %d: bundlerUrl %s: %v", ErrChainUnconfigured, n.cfg.ChainID, n.cfg.BundlerURL, err)
		case err != nil:
			b.Close()
			return nil, nodeError("the bundler's eth_chainId and eth_supportedEntryPoints", err)
		}
		n.bundler = b
		n.submit = bundler
	case n.cfg.Dev != nil && n.cfg.Dev.RelayerKey != "":
		key, err := chainconfig.ParseKey(n.cfg.Dev.RelayerKey)
		if err != nil {
			return nil, fmt.Errorf("%w: chain %d: dev.relayerKey: %v", ErrChainUnconfigured, n.cfg.ChainID, err)
		}
		n.submit = &account.Relayer{Client: ethclient.NewClient(client), Key: key, PollInterval: s.cfg.ReceiptPoll}
	default:
		return nil, fmt.Errorf("%w: chain %d has no bundlerUrl and no dev relayer key: nothing can submit", ErrChainUnconfigured, n.cfg.ChainID)
	}
	return n.submit, nil
}

// Close closes the connections made so far.
func (s *Service) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.nets {
		n.mu.Lock()
		for _, c := range []*rpc.Client{n.client, n.bundler} {
			if c != nil {
				c.Close()
			}
		}
		n.mu.Unlock()
	}
}
