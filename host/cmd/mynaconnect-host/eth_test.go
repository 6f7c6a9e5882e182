package main

import (
	"context"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/pinleak"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// TestPCSCEthereumAccountSignAndSend runs the wallet as the extension does:
// the built host, pcscd, vpcd, the virtual card, and a dev chain whose
// configuration the host finds through MYNACONNECT_CHAINS.
func TestPCSCEthereumAccountSignAndSend(t *testing.T) {
	const pin, wrong = "7319", "8264"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	config := filepath.Join(t.TempDir(), "chains.json")
	chain, err := devchain.Start(ctx, devchain.Options{Addr: "127.0.0.1:0", ConfigPath: config})
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Close()

	d := pcsctest.StartDaemon(t)
	h := startHost(t, "MYNACONNECT_CHAINS="+config)
	h.Hello()
	card := vcardtest.NewCard(t, func(c *vcard.Config) { c.AuthPIN.Value = pin })
	plug(t, d, 0, card)
	h.WaitState(d.ReaderName(0), "mynumber")
	chainID := chain.ChainID().Uint64()

	var chains protocol.EthChainsResult
	h.OK("ethChains", nil, &chains)
	if chains.DefaultChainID != chainID || chains.Chains[0].RPCURL != chain.RPCURL() {
		t.Errorf("ethChains: %+v", chains)
	}

	var acct protocol.EthAccountResult
	h.OK("ethAccount", map[string]any{"chainId": chainID}, &acct)
	if acct.Reader != d.ReaderName(0) || acct.Deployed {
		t.Errorf("ethAccount: %+v", acct)
	}
	shown := map[string]any{"chainId": chainID, "account": acct.Address, "certificateSha256": acct.CertificateSHA256}
	with := func(extra ...any) map[string]any {
		p := map[string]any{}
		for k, v := range shown {
			p[k] = v
		}
		for i := 0; i+1 < len(extra); i += 2 {
			p[extra[i].(string)] = extra[i+1]
		}
		return p
	}

	message := []byte("Sign in to example.jp")
	if e := h.Fails("ethSignMessage", with("pin", wrong, "message", hexutil.Encode(message)), failure.PINWrong); *e.RetriesLeft != 2 {
		t.Errorf("retriesLeft = %d", *e.RetriesLeft)
	}
	var sig protocol.EthSignResult
	h.OK("ethSignMessage", with("pin", pin, "message", hexutil.Encode(message)), &sig)
	if !sig.Wrapped6492 || sig.Hash != common.BytesToHash(accounts.TextHash(message)).Hex() || len(sig.Signature) < 2+2*256 {
		t.Errorf("ethSignMessage: %+v", sig)
	}
	if auth, _ := card.Retries(); auth != 3 {
		t.Errorf("%d tries left after the right PIN", auth)
	}

	addr := common.HexToAddress(acct.Address)
	if err := chain.Fund(ctx, addr, big.NewInt(1e18), nil); err != nil {
		t.Fatal(err)
	}
	to := common.HexToAddress("0x00000000000000000000000000000000000be11e")
	calls := []any{map[string]any{"to": to.Hex(), "value": "0x2386f26fc10000"}}
	var prep protocol.EthPrepareCallsResult
	h.OK("ethPrepareCalls", with("calls", calls), &prep)
	if prep.Fee.Gas() == 0 || prep.MaxCost != hexutil.EncodeBig(prep.Fee.MaxCost()) {
		t.Fatalf("ethPrepareCalls: %+v", prep)
	}
	var sent protocol.EthSendCallsResult
	h.OK("ethSendCalls", with("pin", pin, "calls", calls, "fee", prep.Fee), &sent)
	receipt, err := chain.Client().TransactionReceipt(ctx, common.HexToHash(sent.TransactionHash))
	if err != nil || receipt.BlockNumber.Uint64() != sent.BlockNumber || !sent.Success {
		t.Fatalf("ethSendCalls %+v: receipt %v", sent, err)
	}
	if bal, _ := chain.Client().BalanceAt(ctx, to, nil); bal.Cmp(big.NewInt(1e16)) != 0 {
		t.Errorf("recipient holds %s wei, want 1e16", bal)
	}
	h.OK("ethAccount", map[string]any{"chainId": chainID}, &acct)
	if !acct.Deployed {
		t.Error("the account has no code after its first transaction")
	}

	h.stdin.Close()
	<-h.exited
	pinleak.Check(t, h.Output(), h.stderr.String(), pin, wrong)
}
