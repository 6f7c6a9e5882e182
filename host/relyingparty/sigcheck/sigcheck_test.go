package sigcheck_test

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/sigcheck"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// cardAccount is the virtual My Number card's account (PIN entered) on c, the signer the host uses.
func cardAccount(t *testing.T, c *devchain.Chain, index int64) *account.Account {
	t.Helper()
	card, owner := devchaintest.CardOwner(t, vcardtest.NewCard(t, nil))
	if err := card.VerifyAuthPIN([]byte(vcard.DefaultAuthPIN)); err != nil {
		t.Fatal(err)
	}
	return devchaintest.NewAccount(t, c, owner, card.AuthKey(owner.Pub), big.NewInt(index))
}

func flip(b []byte, i int) []byte {
	b = bytes.Clone(b)
	b[i] ^= 1
	return b
}

// The card account's personal_sign and eth_signTypedData_v4 signatures verify as a dapp verifies them:
// ERC-6492 before deployment, ERC-1271 after (the wrapped signature made before deployment still verifies);
// tampered ones, ones checked against another hash or signer, and ones checked on another chain do not.
func TestCardAccount(t *testing.T) {
	c, other := devchaintest.Start(t, devchain.Options{}), devchaintest.Start(t, devchain.Options{ChainID: 31337})
	const index = 3
	a := cardAccount(t, c, index)
	message := []byte("test - sign へようこそ\nNonce: 8f2c1d")
	typed := devchaintest.MailTypedData(c.ChainID(), "こんにちは")
	typedHash, _, err := sigcheck.TypedDataHash(typed)
	if err != nil {
		t.Fatal(err)
	}

	type signed struct {
		hash common.Hash
		sig  []byte
	}
	sign := func(t *testing.T) map[string]signed {
		p, err := a.SignPersonal(devchaintest.Context(t), message)
		if err != nil {
			t.Fatal(err)
		}
		if p.Hash != sigcheck.PersonalHash(message) {
			t.Fatalf("the account signs personal hash %s, sigcheck computes %s", p.Hash, sigcheck.PersonalHash(message))
		}
		td, err := a.SignTypedData(devchaintest.Context(t), devchaintest.DecodeTypedData(t, typed))
		if err != nil {
			t.Fatal(err)
		}
		if td.Hash != typedHash {
			t.Fatalf("the account signs typed-data hash %s, sigcheck computes %s", td.Hash, typedHash)
		}
		return map[string]signed{"personal_sign": {p.Hash, p.Bytes}, "eth_signTypedData_v4": {td.Hash, td.Bytes}}
	}

	check := func(t *testing.T, chain *devchain.Chain, signer common.Address, hash common.Hash, sig []byte, want bool, method sigcheck.Method) {
		t.Helper()
		res, err := sigcheck.Verify(devchaintest.Context(t), chain.Client(), signer, hash, sig)
		if err != nil {
			t.Fatal(err)
		}
		if res.Valid != want || res.Method != method {
			t.Errorf("Verify = valid %v by %s (%s), want valid %v by %s", res.Valid, res.Method, res.Reason, want, method)
		}
	}

	before := sign(t)
	for name, s := range before {
		t.Run("undeployed/"+name, func(t *testing.T) {
			check(t, c, a.Address(), s.hash, s.sig, true, sigcheck.ERC6492)
			// The card's RSA signature sits before the ERC-6492 suffix and its 32-byte length word.
			check(t, c, a.Address(), s.hash, flip(s.sig, len(s.sig)-100), false, sigcheck.ERC6492)
			check(t, c, a.Address(), common.Hash(flip(s.hash[:], 0)), s.sig, false, sigcheck.ERC6492)
			check(t, c, common.HexToAddress("0x00000000000000000000000000000000000000aa"), s.hash, s.sig, false, sigcheck.ERC6492)
			check(t, other, a.Address(), s.hash, s.sig, false, sigcheck.ERC6492)
		})
	}

	devchaintest.Deploy(t, c, a.Owner(), big.NewInt(index))
	after := sign(t)
	for name, s := range after {
		t.Run("deployed/"+name, func(t *testing.T) {
			check(t, c, a.Address(), s.hash, s.sig, true, sigcheck.ERC1271)
			check(t, c, a.Address(), before[name].hash, before[name].sig, true, sigcheck.ERC1271)
			check(t, c, a.Address(), s.hash, flip(s.sig, 10), false, sigcheck.ERC1271)
			check(t, c, a.Address(), common.Hash(flip(s.hash[:], 31)), s.sig, false, sigcheck.ERC1271)
		})
	}
}

// An ordinary wallet's signature (secp256k1, v = 27/28) goes through ecrecover.
func TestEOA(t *testing.T) {
	c := devchaintest.Start(t, devchain.Options{})
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	addr := crypto.PubkeyToAddress(key.PublicKey)
	hash := sigcheck.PersonalHash([]byte("hello"))
	sig, err := crypto.Sign(hash[:], key)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	tests := []struct {
		name   string
		signer common.Address
		hash   common.Hash
		sig    []byte
		want   bool
	}{
		{"valid", addr, hash, sig, true},
		{"another message", addr, sigcheck.PersonalHash([]byte("hellO")), sig, false},
		{"another signer", common.HexToAddress("0x00000000000000000000000000000000000000aa"), hash, sig, false},
		{"tampered s", addr, hash, flip(sig, 40), false},
		{"short", addr, hash, sig[:64], false},
		{"bad v", addr, hash, append(bytes.Clone(sig[:64]), 5), false},
		{"empty", addr, hash, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := sigcheck.Verify(devchaintest.Context(t), c.Client(), tt.signer, tt.hash, tt.sig)
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid != tt.want || res.Method != sigcheck.EOA {
				t.Errorf("Verify = valid %v by %s (%s), want %v by EOA", res.Valid, res.Method, res.Reason, tt.want)
			}
		})
	}
}

// A node that cannot be reached is an error, not a verdict.
func TestUnreachableNode(t *testing.T) {
	client, err := ethclient.Dial("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, err := sigcheck.Verify(devchaintest.Context(t), client, common.Address{1}, common.Hash{2}, []byte{3}); err == nil {
		t.Fatal("Verify against no node succeeded")
	}
}

func TestTypedDataHash(t *testing.T) {
	tests := []struct {
		name, json string
		ok         bool
	}{
		{"the EIP-712 example", string(devchaintest.MailTypedData(big.NewInt(1), "Hello, Bob!")), true},
		{"not JSON", `{`, false},
		{"no domain type", `{"types":{"M":[{"name":"a","type":"uint256"}]},"primaryType":"M","domain":{},"message":{"a":1}}`, false},
		{"primaryType missing from types", `{"types":{"EIP712Domain":[{"name":"name","type":"string"}]},"primaryType":"M","domain":{"name":"x"},"message":{}}`, false},
		{"primaryType is the domain", `{"types":{"EIP712Domain":[{"name":"name","type":"string"}]},"primaryType":"EIP712Domain","domain":{"name":"x"},"message":{}}`, false},
		{"a value of the wrong type", `{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"M":[{"name":"a","type":"uint256"}]},"primaryType":"M","domain":{"name":"x"},"message":{"a":"zz"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := sigcheck.TypedDataHash([]byte(tt.json))
			if (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok %v", err, tt.ok)
			}
		})
	}
	// EIP-712's own test vector: the Mail example on chain 1.
	h, _, err := sigcheck.TypedDataHash(devchaintest.MailTypedData(big.NewInt(1), "Hello, Bob!"))
	if err != nil {
		t.Fatal(err)
	}
	if want := common.HexToHash("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"); h != want {
		t.Errorf("the EIP-712 example hashes to %s, want %s", h, want)
	}
}
