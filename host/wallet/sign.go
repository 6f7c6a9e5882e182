package wallet

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/recovery"
	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// accountIndex is the one account per card the wallet offers: index 0 at
// the chain's factory.
var accountIndex = new(big.Int)

// owned is the card's account on a chain, as the certificate says.
type owned struct {
	reader string
	der    []byte
	owner  account.Owner
	addr   common.Address
}

// readOwner reads the card's auth certificate (no PIN; from memory when the
// card was read before) and derives its account on n. With certSHA set the
// certificate must be that one (else cards.ErrCardChanged); with want set
// the account must be that one: the card's own, or one handed to the card
// since (a renewal or a recovery; asked of the chain), else
// ErrAccountMismatch. Nothing is signed.
func (s *Service) readOwner(ctx context.Context, n *network, reader string, certSHA []byte, want *common.Address) (owned, error) {
	cctx, cancel := context.WithTimeout(ctx, s.cfg.CardTimeout)
	defer cancel()
	c, err := s.cfg.Cards.ReadAuthCertificate(cctx, reader)
	if err != nil {
		return owned{}, err
	}
	if sum := sha256.Sum256(c.DER); certSHA != nil && !bytes.Equal(sum[:], certSHA) {
		return owned{}, fmt.Errorf("%w: reader %q", cards.ErrCardChanged, c.Reader)
	}
	o := owned{reader: c.Reader, der: c.DER}
	if o.owner, o.addr, err = deriveAccount(n, c.DER); err != nil {
		return owned{}, err
	}
	if want == nil || o.addr == *want {
		return o, nil
	}
	client, err := s.rpc(ctx, n)
	if err != nil {
		return owned{}, err
	}
	controls, err := recovery.Controls(ctx, ethclient.NewClient(client), n.cfg.AccountFactory, o.owner, *want)
	if err != nil {
		return owned{}, nodeError("eth_call", err)
	}
	if !controls {
		return owned{}, fmt.Errorf("%w: the card's account on chain %d is %s, not %s", ErrAccountMismatch, n.cfg.ChainID, o.addr, *want)
	}
	o.addr = *want
	return o, nil
}

// deriveAccount is the account of the certificate's key at n's factory.
func deriveAccount(n *network, der []byte) (account.Owner, common.Address, error) {
	owner, err := account.OwnerFromCertificate(der)
	if err != nil {
		return account.Owner{}, common.Address{}, fmt.Errorf("%w: %v", jpki.ErrMalformedResponse, err)
	}
	addr, err := owner.Address(n.cfg.AccountFactory, accountIndex)
	if err != nil {
		return account.Owner{}, common.Address{}, err
	}
	return owner, addr, nil
}

// Account answers ethAccount: the account the card controls on the chain
// (one handed to it by a renewal or a recovery first, else its own),
// whether it has code yet, its protection, and when the certificate
// expires.
func (s *Service) Account(ctx context.Context, p protocol.EthAccountParams) (protocol.EthAccountResult, error) {
	n, err := s.network(p.ChainID)
	if err != nil {
		return protocol.EthAccountResult{}, err
	}
	o, err := s.readOwner(ctx, n, p.Reader, nil, nil)
	if err != nil {
		return protocol.EthAccountResult{}, err
	}
	client, err := s.rpc(ctx, n)
	if err != nil {
		return protocol.EthAccountResult{}, err
	}
	eth := ethclient.NewClient(client)
	controlled, err := recovery.Accounts(ctx, eth, n.cfg.AccountFactory, o.owner, accountIndex)
	if errors.Is(err, recovery.ErrNoAccount) {
		// Its own account was handed to another card: the one it derives
		// is shown, and every signature for it will fail on chain.
		controlled, err = []common.Address{o.addr}, nil
	}
	if err != nil {
		return protocol.EthAccountResult{}, nodeError("eth_getLogs", err)
	}
	o.addr = controlled[0]
	protection, deployed, err := s.protection(ctx, n, eth, o.addr, p.History)
	if err != nil {
		return protocol.EthAccountResult{}, err
	}
	cert, err := x509.ParseCertificate(o.der)
	if err != nil {
		return protocol.EthAccountResult{}, fmt.Errorf("%w: %v", jpki.ErrMalformedResponse, err)
	}
	certSum, keySum := sha256.Sum256(o.der), sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return protocol.EthAccountResult{
		Reader:              o.reader,
		ChainID:             p.ChainID,
		Address:             o.addr.Hex(),
		Deployed:            deployed,
		CertificateSHA256:   hex.EncodeToString(certSum[:]),
		PublicKeySHA256:     hex.EncodeToString(keySum[:]),
		CertificateNotAfter: cert.NotAfter.Unix(),
		Protection:          protection,
	}, nil
}

// SignMessage answers ethSignMessage (personal_sign). It takes over p.PIN
// and clears it.
func (s *Service) SignMessage(ctx context.Context, p protocol.EthSignParams) (protocol.EthSignResult, error) {
	return s.signWith(ctx, p, func(a *account.Account) (*account.Signature, error) {
		return a.SignPersonal(ctx, p.Message)
	})
}

// SignTypedData answers ethSignTypedData (eth_signTypedData_v4). It takes
// over p.PIN and clears it. Typed data that eip712.Decode refuses (the
// consent sheet refuses the same text), whose domain names another chain,
// or that the account cannot sign through ERC-7739 is a BAD_REQUEST on
// params.typedData before anything else happens.
func (s *Service) SignTypedData(ctx context.Context, p protocol.EthSignParams) (protocol.EthSignResult, error) {
	td, err := readTypedData(p.TypedData, p.ChainID)
	if err != nil {
		p.PIN.Clear()
		return protocol.EthSignResult{}, &protocol.Error{Code: failure.BadRequest, Field: "params.typedData", Message: err.Error()}
	}
	return s.signWith(ctx, p, func(a *account.Account) (*account.Signature, error) {
		return a.SignTypedData(ctx, td)
	})
}

// readTypedData decodes the typed data, the one time the host reads it,
// and finds out before the PIN whether the account can sign it; the
// encoding does not depend on the account's address.
func readTypedData(text []byte, chainID uint64) (*eip712.TypedData, error) {
	td, err := eip712.Decode(string(text))
	if err != nil {
		return nil, err
	}
	if err := td.CheckChain(chainID); err != nil {
		return nil, err
	}
	if _, _, _, err := account.TypedDataSignHash(account.CardAccountDomain(new(big.Int).SetUint64(chainID), common.Address{}), td); err != nil {
		return nil, err
	}
	return td, nil
}

// signWith runs a message signature: checks, the card's account, then the
// card through sign, then the ERC-6492 wrapping host/account decides.
func (s *Service) signWith(ctx context.Context, p protocol.EthSignParams, sign func(*account.Account) (*account.Signature, error)) (protocol.EthSignResult, error) {
	defer p.PIN.Clear()
	a, signer, err := s.open(ctx, p.ChainID, common.Address(p.Account), p.CertificateSHA256, p.PIN, p.Reader)
	if err != nil {
		return protocol.EthSignResult{}, err
	}
	sig, err := sign(a)
	if err != nil {
		return protocol.EthSignResult{}, signError(err)
	}
	return protocol.EthSignResult{
		Reader:      signer.reader,
		Signature:   hexutil.Encode(sig.Bytes),
		Hash:        sig.Hash.Hex(),
		Wrapped6492: sig.Wrapped,
	}, nil
}

// open checks the PIN's format, finds the chain, checks the card against
// the certificate and the account shown, and returns the account with the
// card as its signer, ready for one signature with pin.
func (s *Service) open(ctx context.Context, chainID uint64, want common.Address, certSHA []byte, pin protocol.PIN, reader string) (*account.Account, *cardSigner, error) {
	if err := jpki.ValidateAuthPIN(pin); err != nil {
		return nil, nil, err
	}
	n, err := s.network(chainID)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.readOwner(ctx, n, reader, certSHA, &want)
	if err != nil {
		return nil, nil, err
	}
	signer := s.signerOf(ctx, n, o, pin, certSHA)
	a, err := s.accountOf(ctx, n, o, signer)
	if err != nil {
		return nil, nil, err
	}
	return a, signer, nil
}

// signerOf is the card of o as the signer of one signature with pin: the
// card service signs only if the card in the reader still has o's key.
func (s *Service) signerOf(ctx context.Context, n *network, o owned, pin, certSHA []byte) *cardSigner {
	return &cardSigner{s: s, ctx: ctx, pub: o.owner.Pub, pin: pin, reader: o.reader, certSHA: certSHA,
		check: func(der []byte) error {
			if owner, _, err := deriveAccount(n, der); err != nil || owner.KeyHash() != o.owner.KeyHash() {
				return fmt.Errorf("%w: the card in reader %q is not the one shown (account %s)", ErrAccountMismatch, o.reader, o.addr)
			}
			return nil
		}}
}

// accountOf is the account of o on n, signing with signer (nil: an account
// that only builds and simulates).
func (s *Service) accountOf(ctx context.Context, n *network, o owned, signer crypto.Signer) (*account.Account, error) {
	client, err := s.rpc(ctx, n)
	if err != nil {
		return nil, err
	}
	a, err := account.At(ctx, client, account.Config{Factory: n.cfg.AccountFactory, EntryPoint: n.cfg.EntryPoint, Index: accountIndex}, o.addr, o.owner, signer)
	if err != nil {
		return nil, nodeError("eth_chainId", err)
	}
	if a.ChainID().Uint64() != n.cfg.ChainID || !a.ChainID().IsUint64() {
		return nil, fmt.Errorf("%w: %s serves chain %s, the configuration says %d", ErrChainUnconfigured, n.cfg.RPCURL, a.ChainID(), n.cfg.ChainID)
	}
	return a, nil
}

// signError passes card and chain errors on as they are; what is left is a
// node error from the deployment check after signing.
func signError(err error) error {
	if errors.Is(err, errCard) {
		return err
	}
	return nodeError("eth_getCode", err)
}

// errCard marks errors that came from the card, so that they are not taken
// for a node's.
var errCard = errors.New("card")

// cardSigner is the card as host/account's crypto.Signer: Sign has the card
// service verify the PIN and sign, in one session bound to the certificate
// the person was shown. It signs once: the PIN is the card service's after
// the first call, and cleared by it.
type cardSigner struct {
	s       *Service
	ctx     context.Context
	pub     *rsa.PublicKey
	pin     []byte
	reader  string
	certSHA []byte
	check   func(der []byte) error
}

func (c *cardSigner) Public() crypto.PublicKey { return c.pub }

func (c *cardSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts.HashFunc() != crypto.SHA256 {
		return nil, errors.New("wallet: the card signs SHA-256 digests only")
	}
	if c.pin == nil {
		return nil, errors.New("wallet: the card signs once per PIN")
	}
	pin := c.pin
	c.pin = nil
	ctx, cancel := context.WithTimeout(c.ctx, c.s.cfg.CardTimeout)
	defer cancel()
	res, err := c.s.cfg.Cards.AuthSign(ctx, cards.SignRequest{
		Digest: digest, PIN: pin, Reader: c.reader, CertificateSHA256: c.certSHA, Check: c.check,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errCard, err)
	}
	c.reader = res.Reader
	return res.Signature, nil
}
