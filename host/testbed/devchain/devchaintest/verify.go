package devchaintest

import (
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
)

// ERC1271Magic is what an ERC-1271 isValidSignature returns for a valid
// signature: the function's own selector.
var ERC1271Magic = [4]byte{0x16, 0x26, 0xba, 0x7e}

// Valid6492 checks sig as a dapp's server does, with ERC-6492's reference
// validator in an eth_call: its creation code deploys the account (if it is
// not yet) in the call's own state, asks it through ERC-1271 and returns one
// byte. It accepts wrapped signatures of undeployed accounts and plain
// ERC-1271 signatures of deployed ones alike. A failing call is logged: it
// says why a signature was refused.
func Valid6492(t testing.TB, c *devchain.Chain, signer common.Address, hash common.Hash, sig []byte) bool {
	t.Helper()
	data, err := contracts.ValidateSigOffchain.DeployData(signer, hash, sig)
	if err != nil {
		t.Fatalf("encoding the ERC-6492 validator: %v", err)
	}
	out, err := c.Client().CallContract(Context(t), ethereum.CallMsg{Data: data}, nil)
	if err != nil {
		t.Logf("ERC-6492 validator: %v", err)
		return false
	}
	return len(out) == 1 && out[0] == 1
}

// Valid1271 asks the deployed card account at acct itself whether sig is
// its signature of hash.
func Valid1271(t testing.TB, c *devchain.Chain, acct common.Address, hash common.Hash, sig []byte) bool {
	t.Helper()
	out, err := Call(t, c, acct, contracts.CardAccount, "isValidSignature", hash, sig)
	return err == nil && out[0].([4]byte) == ERC1271Magic
}
