package wallet_test

import (
	"context"
	"crypto/x509"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// ethAccount tells the sheets what protects the account and what is under way: the guardians the card chose,
// a recovery the guardians started (with the chain's own clock), the certificate's expiry. After the
// recovery the renewed card is shown the account it took over and signs for it.
func TestTheAccountShowsItsProtectionAndARenewedCardTakesOver(t *testing.T) {
	ctx := devchaintest.Context(t)
	pki, err := testpki.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, setup{card: func(c *vcard.Config) { *c = vcard.ConfigFromPKI(pki) }})
	acct := e.fund(devchaintest.Ether(1), nil)
	rec := e.chain.Recovery()

	id, _ := e.identity()
	if id.Protection.Recovery != rec.Hex() || len(id.Protection.Guardians) != 0 || id.Protection.Threshold != 0 || id.Protection.PendingRecovery != nil {
		t.Errorf("an account without guardians: %+v", id.Protection)
	}
	cert, err := x509.ParseCertificate(pki.AuthCert)
	if err != nil {
		t.Fatal(err)
	}
	if id.CertificateNotAfter != cert.NotAfter.Unix() {
		t.Errorf("certificateNotAfter %d, the certificate says %d", id.CertificateNotAfter, cert.NotAfter.Unix())
	}

	guardian, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	guardianAddr := crypto.PubkeyToAddress(guardian.PublicKey)
	setGuardians, err := contracts.CardRecovery.Pack("setGuardians", [][]byte{guardianAddr.Bytes()}, uint8(1), uint32(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.wallet.SendCalls(ctx, e.sendParams("1234", protocol.EthCall{To: protocol.Address(rec), Data: setGuardians})); err != nil {
		t.Fatalf("choosing a guardian: %v", err)
	}
	id, _ = e.identity()
	p := id.Protection
	if len(p.Guardians) != 1 || p.Guardians[0] != (protocol.EthGuardian{Signer: hexutil.Encode(guardianAddr.Bytes()), Kind: "address"}) ||
		p.Threshold != 1 || p.Delay != 72*3600 || p.PendingRecovery != nil || p.GuardiansChange != nil {
		t.Errorf("after choosing a guardian: %+v", p)
	}

	renewedPKI, renewed := vcardtest.Renewed(t, pki)
	newOwner := devchaintest.OwnerOf(t, renewedPKI)
	devchaintest.StartRecovery(t, e.chain, acct, newOwner, renewedPKI.AuthKey, guardian)
	id, _ = e.identity()
	p = id.Protection
	pending := p.PendingRecovery
	if pending == nil || pending.Approvals != 1 || pending.NewKeyHash != newOwner.KeyHash().Hex() ||
		pending.ExecuteAfter < p.ChainTime || pending.ExecuteAfter > p.ChainTime+72*3600 || pending.ExpiresAt != pending.ExecuteAfter+30*24*3600 {
		t.Fatalf("a pending recovery at chain time %d: %+v", p.ChainTime, pending)
	}

	if err := e.chain.AdvanceTime(72*time.Hour + time.Second); err != nil {
		t.Fatal(err)
	}
	execute, err := contracts.CardRecovery.Pack("executeRecovery", acct, newOwner.E, newOwner.N)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.chain.Send(ctx, devchain.FaucetKey, &rec, nil, execute); err != nil {
		t.Fatalf("executeRecovery: %v", err)
	}

	e.swapCard(renewed)
	id, _ = e.identity()
	if id.Address != acct.Hex() || !id.Deployed || id.Protection.PendingRecovery != nil || len(id.Protection.Guardians) != 1 || id.Protection.History != nil {
		t.Fatalf("the renewed card's account: %+v", id)
	}
	withHistory, err := e.wallet.Account(ctx, protocol.EthAccountParams{ChainID: e.chain.ChainID().Uint64(), History: true})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	var last uint64
	for _, ev := range withHistory.Protection.History {
		kinds = append(kinds, ev.Kind)
		if ev.Time < last || ev.Time == 0 || len(ev.TransactionHash) != 66 {
			t.Errorf("history entry %+v after time %d", ev, last)
		}
		last = ev.Time
	}
	if strings.Join(kinds, ",") != "guardians-changed,recovery-started,recovery-executed" {
		t.Errorf("history %s", strings.Join(kinds, ","))
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	to, tenth := crypto.PubkeyToAddress(key.PublicKey), big.NewInt(1e17)
	if _, err := e.wallet.SendCalls(ctx, e.sendParams("1234", protocol.EthCall{To: protocol.Address(to), Value: tenth})); err != nil {
		t.Fatalf("the renewed card sending from the account it took over: %v", err)
	}
	if got := devchaintest.Balance(t, e.chain, to); got.Cmp(tenth) != 0 {
		t.Errorf("the recipient got %s wei, want 0.1 ETH", got)
	}
}

// swapCard takes the card off the reader, waits until the card service has seen it go (else its last state
// would pass for the next card's), and places next there.
func (e *env) swapCard(next *vcard.Card) {
	e.t.Helper()
	e.backend.Remove(reader)
	deadline := time.Now().Add(5 * time.Second)
	for rs, err := e.cards.Readers(context.Background()); err != nil || len(rs) != 1 || rs[0].State == cards.StateMyNumber; rs, err = e.cards.Readers(context.Background()) {
		if time.Now().After(deadline) {
			e.t.Fatal("the card service never saw the card go")
		}
		time.Sleep(2 * time.Millisecond)
	}
	e.backend.Insert(reader, next)
	e.waitIdentified()
}

// handoverParams is ethSignHandover's params for the card on the reader applying to take over acct.
func (e *env) handoverParams(pin string, acct common.Address) protocol.EthSignHandoverParams {
	e.t.Helper()
	_, sha := e.identity()
	return protocol.EthSignHandoverParams{ChainID: e.chain.ChainID().Uint64(), Account: protocol.Address(acct), CertificateSHA256: sha, PIN: protocol.PIN(pin)}
}

// Renewal without drama: the renewed card applies to take over the account (the host reads what it signs from
// the chain), the old card, still working, switches the account to it at once, and the renewed card sends
// from it. An application for an address that is no card account, or for the card's own account, is refused
// before the PIN.
func TestARenewedCardTakesOverWhileTheOldOneWorks(t *testing.T) {
	ctx := devchaintest.Context(t)
	pki, err := testpki.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, setup{card: func(c *vcard.Config) { *c = vcard.ConfigFromPKI(pki) }})
	old := e.card
	acct := e.fund(devchaintest.Ether(1), nil)
	bob := common.HexToAddress("0x00000000000000000000000000000000000b0b01")
	if _, err := e.wallet.SendCalls(ctx, e.sendParams("1234", protocol.EthCall{To: protocol.Address(bob), Value: big.NewInt(1)})); err != nil {
		t.Fatalf("the first send, which deploys the account: %v", err)
	}
	if _, err := e.wallet.SignHandover(ctx, e.handoverParams("1234", acct)); !isBadAccount(err, "already owns") {
		t.Errorf("the old card applying for its own account: %v", err)
	}

	renewedPKI, renewed := vcardtest.Renewed(t, pki)
	e.swapCard(renewed)
	verifies := e.verifies.Load()
	if _, err := e.wallet.SignHandover(ctx, e.handoverParams("1234", bob)); !isBadAccount(err, "not a deployed card account") {
		t.Errorf("applying for an address that is no card account: %v", err)
	}
	if got := e.verifies.Load(); got != verifies {
		t.Errorf("%d VERIFY commands for refused applications", got-verifies)
	}
	res, err := e.wallet.SignHandover(ctx, e.handoverParams("1234", acct))
	if err != nil {
		t.Fatalf("the renewed card's application: %v", err)
	}
	newOwner := devchaintest.OwnerOf(t, renewedPKI)
	hash := devchaintest.CallAs[[32]byte](t, e.chain, e.chain.Recovery(), contracts.CardRecovery, "recoveryHash", acct, newOwner.E, newOwner.N)
	if res.Account != acct.Hex() || res.Recovery != e.chain.Recovery().Hex() || res.E != hexutil.Encode(newOwner.E) || res.N != hexutil.Encode(newOwner.N) ||
		res.Hash != hexutil.Encode(hash[:]) || res.Nonce != 0 || res.Reader != reader {
		t.Errorf("the application %+v", res)
	}

	e.swapCard(old)
	rotate, err := contracts.CardRecovery.Pack("rotateByOwner", newOwner.E, newOwner.N, hexutil.MustDecode(res.Signature))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.wallet.SendCalls(ctx, e.sendParams("1234", protocol.EthCall{To: protocol.Address(e.chain.Recovery()), Data: rotate})); err != nil {
		t.Fatalf("the old card switching the account to the renewed one: %v", err)
	}
	if owner := devchaintest.CallAs[[32]byte](t, e.chain, acct, contracts.CardAccount, "keyHash"); owner != newOwner.KeyHash() {
		t.Fatal("the account is not the renewed card's")
	}

	e.swapCard(renewed)
	if id, _ := e.identity(); id.Address != acct.Hex() {
		t.Fatalf("the renewed card is shown %s, want the account it took over", id.Address)
	}
	if _, err := e.wallet.SendCalls(ctx, e.sendParams("1234", protocol.EthCall{To: protocol.Address(bob), Value: big.NewInt(1)})); err != nil {
		t.Errorf("the renewed card sending from the account: %v", err)
	}
}

func isBadAccount(err error, says string) bool {
	var pe *protocol.Error
	return errors.As(err, &pe) && pe.Code == failure.BadRequest && pe.Field == "params.account" && strings.Contains(pe.Message, says)
}
