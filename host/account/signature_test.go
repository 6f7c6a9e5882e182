package account_test

import (
	"bytes"
	"encoding/json"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// The offline address is the factory's getAddress, for several indexes, and New uses it.
func TestAddressMatchesFactory(t *testing.T) {
	c := defaultChain(t)
	card := openCard(t)
	for _, index := range []int64{0, 1, 7, 1 << 40} {
		i := big.NewInt(index)
		offline, err := card.owner.Address(c.AccountFactory(), i)
		if err != nil {
			t.Fatal(err)
		}
		onChain := devchaintest.CallAs[common.Address](t, c, c.AccountFactory(), contracts.CardAccountFactory, "getAddress", card.owner.E, card.owner.N, i)
		if offline != onChain {
			t.Errorf("index %d: offline %s, factory %s", index, offline, onChain)
		}
		if a := newAccountAt(t, c, card, i); a.Address() != onChain {
			t.Errorf("index %d: New gives %s", index, a.Address())
		}
	}
}

// personal_sign and eth_signTypedData_v4 signatures made by the virtual card verify through ERC-6492 before
// the account exists and through plain ERC-1271 once it does; tampered ones do not.
func TestMessageSignaturesBeforeAndAfterDeployment(t *testing.T) {
	c := defaultChain(t)
	card := openCard(t)
	index := big.NewInt(accountIndex.Add(1))
	a := newAccountAt(t, c, card, index)
	typed := devchaintest.MailTypedData(c.ChainID(), "こんにちは")
	// go-ethereum's apitypes is the independent reference for the hash a dapp verifies.
	var td apitypes.TypedData
	if err := json.Unmarshal(typed, &td); err != nil {
		t.Fatal(err)
	}
	_, want, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []struct {
		name string
		sign func() (*account.Signature, error)
		hash common.Hash // the hash the dapp verifies
	}{
		{"personal_sign", func() (*account.Signature, error) {
			return a.SignPersonal(devchaintest.Context(t), []byte("Sign in to example.org\nNonce: 8f2c"))
		},
			common.Hash{}},
		{"eth_signTypedData_v4", func() (*account.Signature, error) {
			return a.SignTypedData(devchaintest.Context(t), devchaintest.DecodeTypedData(t, typed))
		}, common.HexToHash(want)},
	}
	for _, phase := range []string{"undeployed", "deployed"} {
		if phase == "deployed" {
			devchaintest.Deploy(t, c, a.Owner(), index)
		}
		for _, k := range kinds {
			t.Run(phase+"/"+k.name, func(t *testing.T) {
				sig, err := k.sign()
				if err != nil {
					t.Fatal(err)
				}
				if sig.Wrapped != (phase == "undeployed") || account.IsWrapped6492(sig.Bytes) != sig.Wrapped {
					t.Fatalf("wrapped = %v in phase %s", sig.Wrapped, phase)
				}
				if k.hash != (common.Hash{}) && sig.Hash != k.hash {
					t.Fatalf("dapp hash %s, apitypes says %s", sig.Hash, k.hash)
				}
				tampered := bytes.Clone(sig.Bytes)
				tampered[len(tampered)/3] ^= 1
				if !devchaintest.Valid6492(t, c, a.Address(), sig.Hash, sig.Bytes) {
					t.Error("signature rejected")
				}
				if devchaintest.Valid6492(t, c, a.Address(), sig.Hash, tampered) {
					t.Error("tampered signature accepted")
				}
				if devchaintest.Valid6492(t, c, a.Address(), common.Hash{1}, sig.Bytes) {
					t.Error("signature accepted for another hash")
				}
				if phase == "deployed" && !devchaintest.Valid1271(t, c, a.Address(), sig.Hash, sig.Bytes) {
					t.Error("plain ERC-1271 rejects it")
				}
			})
		}
	}
	if _, err := a.SignTypedData(devchaintest.Context(t), devchaintest.DecodeTypedData(t, devchaintest.MailTypedData(big.NewInt(1), "x"))); err == nil {
		t.Error("typed data for chain 1 signed on the dev chain")
	}
}

// A signature is bound to one account on one chain: the same card's other account, and the same address on
// another chain, reject it.
func TestSignaturesDoNotReplay(t *testing.T) {
	home, other := defaultChain(t), chain(t, 31337)
	card := openCard(t)
	index := big.NewInt(accountIndex.Add(1))
	a, twin := newAccountAt(t, home, card, index), newAccountAt(t, other, card, index)
	siblingIndex := big.NewInt(accountIndex.Add(1))
	sibling := newAccountAt(t, home, card, siblingIndex)
	devchaintest.Deploy(t, home, a.Owner(), index)
	devchaintest.Deploy(t, other, twin.Owner(), index)
	devchaintest.Deploy(t, home, sibling.Owner(), siblingIndex)
	if twin.Address() != a.Address() {
		t.Fatalf("same factory address expected on both chains: %s, %s", a.Address(), twin.Address())
	}
	msg := []byte("transfer 1000 JPYC to 0xb0b")
	sig, err := a.SignPersonal(devchaintest.Context(t), msg)
	if err != nil {
		t.Fatal(err)
	}
	twinSig, err := twin.SignPersonal(devchaintest.Context(t), msg)
	if err != nil {
		t.Fatal(err)
	}
	typedSig, err := a.SignTypedData(devchaintest.Context(t), devchaintest.DecodeTypedData(t, devchaintest.MailTypedData(home.ChainID(), "hi")))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		on    *account.Account
		hash  common.Hash
		sig   []byte
		valid bool
	}{
		{"personal, home account, home chain", a, sig.Hash, sig.Bytes, true},
		{"personal, same card's other account", sibling, sig.Hash, sig.Bytes, false},
		{"personal, same address on chain 31337", twin, sig.Hash, sig.Bytes, false},
		{"personal, made for chain 31337, on chain 31337", twin, twinSig.Hash, twinSig.Bytes, true},
		{"personal, made for chain 31337, on the home chain", a, twinSig.Hash, twinSig.Bytes, false},
		{"typed, home account", a, typedSig.Hash, typedSig.Bytes, true},
		{"typed, other account", sibling, typedSig.Hash, typedSig.Bytes, false},
		{"typed, same address on chain 31337", twin, typedSig.Hash, typedSig.Bytes, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := home
			if tt.on == twin {
				c = other
			}
			if got := devchaintest.Valid1271(t, c, tt.on.Address(), tt.hash, tt.sig); got != tt.valid {
				t.Errorf("valid = %v, want %v", got, tt.valid)
			}
		})
	}
}
