package wallet

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/recovery"
)

// SignHandover answers ethSignHandover: the card on the reader (a renewed or
// reissued one) applies to take over p.Account, its previous card's
// account. It takes over p.PIN and clears it.
//
// The card signs CardRecovery's recoveryHash(account, e, n) of its own key,
// which the host reads from the chain: the page names only the account, so
// no page can have the card sign a digest of its choosing. Before the PIN:
// the account must be a deployed card account the card does not own yet.
// The signature then goes to a guardian's startRecovery, or to the previous
// card's rotateByOwner while that card still works.
func (s *Service) SignHandover(ctx context.Context, p protocol.EthSignHandoverParams) (protocol.EthSignHandoverResult, error) {
	defer p.PIN.Clear()
	if err := jpki.ValidateAuthPIN(p.PIN); err != nil {
		return protocol.EthSignHandoverResult{}, err
	}
	n, err := s.network(p.ChainID)
	if err != nil {
		return protocol.EthSignHandoverResult{}, err
	}
	o, err := s.readOwner(ctx, n, p.Reader, p.CertificateSHA256, nil)
	if err != nil {
		return protocol.EthSignHandoverResult{}, err
	}
	client, err := s.rpc(ctx, n)
	if err != nil {
		return protocol.EthSignHandoverResult{}, err
	}
	eth := ethclient.NewClient(client)
	rec, err := n.recoveryContract(ctx, eth)
	if err != nil {
		return protocol.EthSignHandoverResult{}, nodeError("eth_call", err)
	}
	acct := common.Address(p.Account)
	h, err := recovery.HandoverOf(ctx, eth, n.cfg.AccountFactory, rec, o.owner, acct)
	switch {
	case errors.Is(err, recovery.ErrNotCardAccount), errors.Is(err, recovery.ErrAlreadyOwner):
		return protocol.EthSignHandoverResult{}, &protocol.Error{Code: failure.BadRequest, Field: "params.account", Message: err.Error()}
	case err != nil:
		return protocol.EthSignHandoverResult{}, nodeError("eth_call", err)
	}
	signer := s.signerOf(ctx, n, o, p.PIN, p.CertificateSHA256)
	// CardRSA.verify(sha256(abi.encode(hash)), …): the card signs the SHA-256 of the 32-byte hash.
	digest := sha256.Sum256(h.Hash[:])
	sig, err := signer.Sign(nil, digest[:], crypto.SHA256)
	if err != nil {
		return protocol.EthSignHandoverResult{}, err
	}
	if err := rsa.VerifyPKCS1v15(o.owner.Pub, crypto.SHA256, digest[:], sig); err != nil {
		return protocol.EthSignHandoverResult{}, fmt.Errorf("%w: the card's signature does not verify with its certificate's key: %v", jpki.ErrMalformedResponse, err)
	}
	s.log.Printf("chain %d: the card in reader %q applied to take over %s (nonce %d)", p.ChainID, signer.reader, acct, h.Nonce)
	return protocol.EthSignHandoverResult{
		Reader:    signer.reader,
		ChainID:   p.ChainID,
		Account:   acct.Hex(),
		Recovery:  h.Recovery.Hex(),
		E:         hexutil.Encode(o.owner.E),
		N:         hexutil.Encode(o.owner.N),
		Signature: hexutil.Encode(sig),
		Nonce:     h.Nonce,
		Hash:      h.Hash.Hex(),
	}, nil
}
