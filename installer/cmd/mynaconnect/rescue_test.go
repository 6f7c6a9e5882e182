package main

import (
	"bytes"
	gocrypto "crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/pcsc"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// TestTheWalkawayDrill: the card was renewed (its old key is gone), a family member's card account (their
// card on the second reader) approved handing the account to the renewed card, and nothing of MynaConnect
// runs: no extension, host, relayer or bundler. With the renewed card on a reader (pcscd + vpcd), the chain's
// RPC and a funded key of the person's own, `mynaconnect rescue` finishes the recovery after the delay and
// moves 100 % of the account's ETH and test JPYC to a fresh address. A wrong PIN moves nothing and costs one
// try.
func TestTheWalkawayDrill(t *testing.T) {
	d, c, feeKey := rescueWorld(t)
	ctx := devchaintest.Context(t)

	// A family member's card, on the second reader, and its card account.
	familyPKI, err := testpki.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	familyCard, err := vcard.New(vcard.ConfigFromPKI(familyPKI))
	if err != nil {
		t.Fatal(err)
	}
	insert(t, d, 1, familyCard)
	_, familyAcct := deployedAccount(t, c, familyPKI)

	// Before the loss: the old card's account holds money, and the family's card account is its guardian.
	oldPKI, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	oldOwner, acct := deployedAccount(t, c, oldPKI)
	eth, jpyc := devchaintest.Ether(3), devchaintest.Ether(500)
	if err := c.Fund(ctx, acct, eth, jpyc); err != nil {
		t.Fatal(err)
	}
	setGuardians, err := contracts.CardRecovery.Pack("setGuardians", [][]byte{familyAcct.Bytes()}, uint8(1), uint32(0))
	if err != nil {
		t.Fatal(err)
	}
	old := devchaintest.NewAccount(t, c, oldOwner, oldPKI.AuthKey, nil)
	if _, err := old.Send(ctx, &account.Relayer{Client: c.Client(), Key: devchain.RelayerKey}, []contracts.Call{{Target: c.Recovery(), Data: setGuardians}}); err != nil {
		t.Fatalf("setting the guardian: %v", err)
	}

	// The card is renewed: the same holder, a new key, on the first reader.
	renewedPKI, renewedCard := vcardtest.Renewed(t, oldPKI)
	insert(t, d, 0, renewedCard)
	newOwner := devchaintest.OwnerOf(t, renewedPKI)

	// The family member approves with their card, through PC/SC, as eth_signTypedData_v4 (ERC-7739, checked
	// by their account's ERC-1271); the renewed card consents to take the account (in the product, a page
	// each opens); the guardians' approvals are sent by anyone, here the relayer.
	hash := common.Hash(devchaintest.CallAs[[32]byte](t, c, c.Recovery(), contracts.CardRecovery, "recoveryHash", acct, newOwner.E, newOwner.N))
	approval := approveByCard(t, c, d.ReaderName(1), recoveryTypedData(t, c, acct, newOwner))
	if approval.Hash != hash {
		t.Fatalf("the family card signed %s, the recovery's hash is %s", approval.Hash, hash)
	}
	digest := sha256.Sum256(hash[:])
	newOwnerSig, err := rsa.SignPKCS1v15(rand.Reader, renewedPKI.AuthKey, gocrypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	start, err := contracts.CardRecovery.Pack("startRecovery", acct, newOwner.E, newOwner.N, newOwnerSig, [][]byte{familyAcct.Bytes()}, [][]byte{approval.Bytes})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&account.Relayer{Client: c.Client(), Key: devchain.RelayerKey}).Transact(ctx, c.Recovery(), nil, start); err != nil {
		t.Fatalf("startRecovery: %v", err)
	}

	// Walk away: from here on, only the chain's RPC, the card and the person's own funded key.
	toKey, err := crypto.GenerateKey() // the person's new address
	if err != nil {
		t.Fatal(err)
	}
	to := crypto.PubkeyToAddress(toKey.PublicKey)
	rescue := func(stdin string, args ...string) (string, string, int) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := runRescue(ctx, append([]string{"--rpc", c.RPCURL(), "--reader", d.ReaderName(0)}, args...), strings.NewReader(stdin), &out, &errOut)
		return out.String(), errOut.String(), code
	}

	if out, errOut, code := rescue("", "--finish-recovery", "--fee-key", feeKey); code == 0 {
		t.Fatalf("finished before the delay:\n%s%s", out, errOut)
	}
	if err := c.AdvanceTime(72*time.Hour + time.Second); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := rescue("", "--finish-recovery", "--fee-key", feeKey)
	if code != 0 || !strings.Contains(out, acct.Hex()+" now belongs to this card") {
		t.Fatalf("--finish-recovery: exit %d\n%s%s", code, out, errOut)
	}

	// What the account holds now: 3 ETH less the fee of setting the guardian.
	eth = devchaintest.Balance(t, c, acct)
	out, errOut, code = rescue("", "--token", c.Token().Hex())
	if code != 0 || !strings.Contains(out, "account "+acct.Hex()+" (deployed)\n  ETH  "+units(eth, 18)+"\n  JPYC  500\n") {
		t.Fatalf("showing the accounts: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = rescue("9999\n", "--token", c.Token().Hex(), "--to", to.Hex(), "--fee-key", feeKey)
	if code == 0 || devchaintest.Balance(t, c, to).Sign() != 0 {
		t.Fatalf("a wrong PIN moved something: exit %d\n%s%s", code, out, errOut)
	}
	if auth, _ := renewedCard.Retries(); auth != vcard.DefaultAuthRetries-1 {
		t.Errorf("a wrong PIN left %d tries, want %d", auth, vcard.DefaultAuthRetries-1)
	}
	out, errOut, code = rescue(vcard.DefaultAuthPIN+"\n", "--token", c.Token().Hex(), "--to", to.Hex(), "--fee-key", feeKey)
	if code != 0 {
		t.Fatalf("--to: exit %d\n%s%s", code, out, errOut)
	}
	devchaintest.CheckEmptied(t, c, acct, to, eth, jpyc)
	if auth, _ := renewedCard.Retries(); auth != vcard.DefaultAuthRetries {
		t.Errorf("the right PIN left %d tries, want them restored to %d", auth, vcard.DefaultAuthRetries)
	}
	if strings.Contains(out+errOut, vcard.DefaultAuthPIN) {
		t.Error("the output shows the PIN")
	}
}

// TestRescueNeverTriesABlockedPIN: with the PIN blocked, the rescue reads the retry counter and stops, saying
// where to go; it sends no VERIFY with a PIN.
func TestRescueNeverTriesABlockedPIN(t *testing.T) {
	d, c, feeKey := rescueWorld(t)
	ctx := devchaintest.Context(t)
	card := vcardtest.NewCard(t, func(cfg *vcard.Config) { cfg.AuthPIN.Failures = vcard.DefaultAuthRetries })
	insert(t, d, 0, card)
	p, err := testpki.Default()
	if err != nil {
		t.Fatal(err)
	}
	owner, err := account.OwnerFromPublicKey(&p.AuthKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := owner.Address(c.AccountFactory(), new(big.Int))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Fund(ctx, acct, devchaintest.Ether(1), nil); err != nil {
		t.Fatal(err)
	}
	card.ResetLog()
	var out, errOut bytes.Buffer
	code := runRescue(ctx, []string{"--rpc", c.RPCURL(), "--to", common.Address{9}.Hex(), "--fee-key", feeKey},
		strings.NewReader(vcard.DefaultAuthPIN+"\n"), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "ロック") || !strings.Contains(errOut.String(), "municipal office") {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
	}
	if n := card.Count(jpki.InsVerify); n != 1 {
		t.Errorf("%d VERIFY commands, want 1 (the retry counter, without a PIN)", n)
	}
}

// rescueWorld is what a rescue meets: pcscd with vpcd's readers, a dev chain of the test's own, and the
// person's own key with 1 ETH, in a file as --fee-key takes it.
func rescueWorld(t *testing.T) (*pcsctest.Daemon, *devchain.Chain, string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("pcscd and vpcd are Linux's")
	}
	d := pcsctest.StartDaemon(t)
	c := devchaintest.Start(t, devchain.Options{})
	payer, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Fund(devchaintest.Context(t), crypto.PubkeyToAddress(payer.PublicKey), devchaintest.Ether(1), nil); err != nil {
		t.Fatal(err)
	}
	feeKey := filepath.Join(t.TempDir(), "fee.key")
	if err := os.WriteFile(feeKey, []byte(hexutil.Encode(crypto.FromECDSA(payer))+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return d, c, feeKey
}

// deployedAccount deploys account 0 of the card holding p's auth key.
func deployedAccount(t *testing.T, c *devchain.Chain, p *testpki.PKI) (account.Owner, common.Address) {
	t.Helper()
	owner := devchaintest.OwnerOf(t, p)
	devchaintest.Deploy(t, c, owner, new(big.Int))
	addr, err := owner.Address(c.AccountFactory(), new(big.Int))
	if err != nil {
		t.Fatal(err)
	}
	return owner, addr
}

// insert puts card on vpcd's reader slot and waits until pcscd sees it.
func insert(t *testing.T, d *pcsctest.Daemon, slot int, card *vcard.Card) {
	t.Helper()
	vcardtest.Plug(t, d.VPCDAddr(slot), card)
	if err := pcsc.WaitForCard(devchaintest.Context(t), d.ReaderName(slot)); err != nil {
		t.Fatal(err)
	}
}

// recoveryTypedData is CardRecovery's approval of handing acct to newOwner at the account's current nonce,
// as eth_signTypedData_v4 takes it.
func recoveryTypedData(t *testing.T, c *devchain.Chain, acct common.Address, newOwner account.Owner) []byte {
	nonce := devchaintest.CallAs[*big.Int](t, c, c.Recovery(), contracts.CardRecovery, "nonce", acct)
	return []byte(fmt.Sprintf(`{
  "types": {
    "EIP712Domain": [{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
    "Recovery": [{"name":"account","type":"address"},{"name":"newKeyHash","type":"bytes32"},{"name":"nonce","type":"uint256"}]
  },
  "primaryType": "Recovery",
  "domain": {"name":"CardRecovery","version":"1","chainId":%s,"verifyingContract":"%s"},
  "message": {"account":"%s","newKeyHash":"%s","nonce":"%s"}
}`, c.ChainID(), c.Recovery(), acct, newOwner.KeyHash(), nonce))
}

// approveByCard has the card on reader sign typed data for its card account, through PC/SC and the host's
// signing pipeline (the PIN verified on the card first).
func approveByCard(t *testing.T, c *devchain.Chain, reader string, typedData []byte) *account.Signature {
	t.Helper()
	s, err := pcsc.Connect(reader)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	card, err := jpki.Open(s)
	if err != nil {
		t.Fatal(err)
	}
	der, err := card.ReadAuthCertificate()
	if err != nil {
		t.Fatal(err)
	}
	owner, err := account.OwnerFromCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := card.VerifyAuthPIN([]byte(vcard.DefaultAuthPIN)); err != nil {
		t.Fatal(err)
	}
	a := devchaintest.NewAccount(t, c, owner, card.AuthKey(owner.Pub), nil)
	sig, err := a.SignTypedData(devchaintest.Context(t), devchaintest.DecodeTypedData(t, typedData))
	if err != nil {
		t.Fatalf("the family card's approval: %v", err)
	}
	return sig
}

func TestRescueUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := runRescue(t.Context(), []string{"--help"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Errorf("--help: exit %d", code)
	}
	for _, want := range []string{"--rpc", "--to", "--fee-key", "--finish-recovery", "--cancel-recovery", "--token", "--last-try", "利用者証明用"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help does not mention %s", want)
		}
	}
	for _, args := range [][]string{{}, {"--rpc", "http://x", "--to", "0x12"}, {"--rpc", "http://x", "--to", common.Address{1}.Hex()},
		{"--rpc", "http://x", "--finish-recovery", "--cancel-recovery", "--fee-key", "k"}, {"--rpc", "http://x", "--index", "-1"}, {"--rpc", "http://x", "extra"}} {
		errOut.Reset()
		if code := runRescue(t.Context(), args, strings.NewReader(""), &out, &errOut); code != 2 || errOut.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}

// TestRescueWithoutTheCardReaderServiceSaysSo: no pcscd, a clear sentence and exit 1, nothing sent.
func TestRescueWithoutTheCardReaderServiceSaysSo(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("pcscd is Linux's")
	}
	_, errOut, code := mynaconnect(t, "rescue", "--rpc", "http://127.0.0.1:1")
	if code != 1 || !strings.Contains(errOut, "card reader service") || !strings.Contains(errOut, "pcscd") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
