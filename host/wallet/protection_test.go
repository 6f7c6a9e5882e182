package wallet_test

import (
	"crypto/x509"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
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

	e.backend.Remove(reader)
	e.backend.Insert(reader, renewed)
	e.waitIdentified()
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
