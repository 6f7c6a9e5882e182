package chaintest

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// A dapp's server verifies a personal_sign signature of an account that does not exist yet through ERC-6492,
// and, once it exists, through plain ERC-1271; checking never deploys the account.
func TestPersonalSignIsValidBeforeAndAfterDeployment(t *testing.T) {
	c := defaultChain(t)
	a := newCardAccount(t, c, testCard(t))
	message := []byte("Sign in to example.org\nNonce: 8f2c")
	hash, sig := a.personalSign(c.ChainID(), message)
	wrapped := a.wrap6492(sig)
	otherHash, _ := a.personalSign(c.ChainID(), []byte("Sign in to evil.example"))

	before := []struct {
		name string
		hash common.Hash
		sig  []byte
		want bool
	}{
		{"ERC-6492 wrapped", hash, wrapped, true},
		{"unwrapped, account undeployed", hash, sig, false},
		{"other message", otherHash, wrapped, false},
		{"flipped signature bit", hash, a.wrap6492(flipBit(sig, 100)), false},
	}
	for _, tt := range before {
		t.Run("undeployed/"+tt.name, func(t *testing.T) {
			if got := devchaintest.Valid6492(t, c, a.addr, tt.hash, tt.sig); got != tt.want {
				t.Errorf("ERC-6492 valid = %v, want %v", got, tt.want)
			}
		})
	}
	if a.deployed(t) {
		t.Fatal("ERC-6492 verification deployed the account")
	}

	a.deploy(t)
	after := []struct {
		name   string
		hash   common.Hash
		sig    []byte
		via    string
		wanted bool
	}{
		{"ERC-1271", hash, sig, "1271", true},
		{"ERC-6492 validator, plain signature", hash, sig, "6492", true},
		{"ERC-6492 validator, wrapped signature", hash, wrapped, "6492", true},
		{"ERC-1271, other message", otherHash, sig, "1271", false},
		{"ERC-1271, flipped signature bit", hash, flipBit(sig, 7), "1271", false},
		{"ERC-1271, truncated signature", hash, sig[:255], "1271", false},
	}
	for _, tt := range after {
		t.Run("deployed/"+tt.name, func(t *testing.T) {
			var got bool
			if tt.via == "1271" {
				got = a.isValid1271(t, tt.hash, tt.sig)
			} else {
				got = devchaintest.Valid6492(t, c, a.addr, tt.hash, tt.sig)
			}
			if got != tt.wanted {
				t.Errorf("valid = %v, want %v", got, tt.wanted)
			}
		})
	}
}

// eth_signTypedData_v4 signatures go through ERC-7739's TypedDataSign, bound to the dapp's domain.
func TestTypedDataSignature(t *testing.T) {
	c := defaultChain(t)
	a := newCardAccount(t, c, testCard(t))
	a.deploy(t)
	dapp := domainSeparator("Mailbox", "1", c.ChainID(), common.HexToAddress("0x00000000000000000000000000000000000a11ce"))
	m := mail{to: common.HexToAddress("0x000000000000000000000000000000000000b0b0"), contents: "こんにちは"}
	hash, sig := a.typedSign(c.ChainID(), dapp, m)
	otherDapp := domainSeparator("Mailbox", "2", c.ChainID(), common.HexToAddress("0x00000000000000000000000000000000000a11ce"))
	otherHash, _ := a.typedSign(c.ChainID(), otherDapp, m)

	tests := []struct {
		name string
		hash common.Hash
		sig  []byte
		want bool
	}{
		{"as signed", hash, sig, true},
		{"presented for another dapp domain", otherHash, sig, false},
		{"other contents", typedDataHash(dapp, mail{to: m.to, contents: "さようなら"}.structHash()), sig, false},
		{"as ERC-6492 after deployment", hash, a.wrap6492(sig), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := devchaintest.Valid6492(t, c, a.addr, tt.hash, tt.sig); got != tt.want {
				t.Errorf("valid = %v, want %v", got, tt.want)
			}
		})
	}
}

// A signature is bound to one account on one chain: the same card's other account, or the same account
// address on another chain, rejects it.
func TestSignaturesDoNotReplay(t *testing.T) {
	home := defaultChain(t)
	other := chain(t, devchain.DefaultFork, 31337)
	owner := testCard(t)
	a := newCardAccount(t, home, owner)
	a.deploy(t)
	sibling := newCardAccount(t, home, owner)
	sibling.deploy(t)
	// The factory is at the same address on both chains (deterministic deployment), so the account is too.
	if other.AccountFactory() != home.AccountFactory() {
		t.Fatalf("factories differ across chains: %s, %s", home.AccountFactory(), other.AccountFactory())
	}
	twin := &account{chain: other, addr: a.addr, factory: a.factory, factoryData: a.factoryData, sign: owner.sign, domainName: a.domainName}
	twin.deploy(t)

	message := []byte("transfer 1000 JPYC to 0xb0b")
	hash, sig := a.personalSign(home.ChainID(), message)
	_, twinSig := twin.personalSign(other.ChainID(), message)
	rawSig := owner.sign(hash) // the card signing the dapp's hash itself, without ERC-7739 nesting

	tests := []struct {
		name string
		at   *account
		sig  []byte
		want bool
	}{
		{"home account, home chain", a, sig, true},
		{"same card's other account", sibling, sig, false},
		{"same address on chain 31337", twin, sig, false},
		{"signature made for chain 31337, on chain 31337", twin, twinSig, true},
		{"signature made for chain 31337, on the home chain", a, twinSig, false},
		{"un-nested signature of the dapp hash", a, rawSig, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.at.isValid1271(t, hash, tt.sig); got != tt.want {
				t.Errorf("valid = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFactory(t *testing.T) {
	c := defaultChain(t)
	owner := testCard(t)
	a := newCardAccount(t, c, owner)
	f := c.AccountFactory()
	isCard := func(addr common.Address) bool {
		return devchaintest.CallAs[bool](t, c, f, contracts.CardAccountFactory, "isCardAccount", addr)
	}
	if isCard(a.addr) {
		t.Error("isCardAccount before deployment")
	}
	a.deploy(t)
	a.deploy(t) // idempotent: a second createAccount returns the existing account
	ref := newECDSAAccount(t, c, devchain.FaucetKey)
	ref.deploy(t)
	for _, tt := range []struct {
		name string
		addr common.Address
		want bool
	}{
		{"card account", a.addr, true},
		{"secp256k1 reference account", ref.addr, false},
		{"implementation", devchaintest.CallAs[common.Address](t, c, f, contracts.CardAccountFactory, "implementation"), false},
		{"token", c.Token(), false},
		{"EOA", common.HexToAddress("0x0000000000000000000000000000000000001234"), false},
	} {
		if got := isCard(tt.addr); got != tt.want {
			t.Errorf("isCardAccount(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
	e, n := signerOf(t, c, a.addr)
	if !bytes.Equal(e, owner.e) || !bytes.Equal(n, owner.n) {
		t.Errorf("signer() = %x, %x…; want the card key", e, n[:8])
	}

	padded := append(make([]byte, 29), owner.e...)
	even := append([]byte(nil), owner.n...)
	even[255] &^= 1
	for _, tt := range []struct {
		name string
		e, n []byte
	}{
		{"exponent padded to 32 bytes", padded, owner.n},
		{"modulus with a leading zero", owner.e, append([]byte{0}, owner.n[:255]...)},
		{"1024-bit modulus", owner.e, owner.n[:128]},
		{"even modulus", owner.e, even},
		{"exponent 1", []byte{1}, owner.n},
		{"empty exponent", nil, owner.n},
	} {
		t.Run("rejects "+tt.name, func(t *testing.T) {
			if _, err := devchaintest.Call(t, c, f, contracts.CardAccountFactory, "getAddress", tt.e, tt.n, big.NewInt(0)); err == nil {
				t.Error("getAddress accepted the key")
			}
		})
	}
}

func signerOf(t testing.TB, c *devchain.Chain, acct common.Address) (e, n []byte) {
	out, err := devchaintest.Call(t, c, acct, contracts.CardAccount, "signer")
	if err != nil {
		t.Fatal(err)
	}
	return out[0].([]byte), out[1].([]byte)
}

func flipBit(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i/8] ^= 1 << (i % 8)
	return out
}
