package typedhash_test

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/mynaconnect/mynaconnect/host/account/typedhash"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// TestHashOfTheStandardsExample: EIP-712's Ether Mail, whose hash the
// standard gives.
func TestHashOfTheStandardsExample(t *testing.T) {
	td, err := eip712.Decode(string(devchaintest.MailTypedData(big.NewInt(1), "Hello, Bob!")))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := typedhash.EncodeType(td, "Mail"), "Mail(Person from,Person to,string contents)Person(string name,address wallet)"; got != want {
		t.Errorf("EncodeType = %s, want %s", got, want)
	}
	if got, want := typedhash.Hash(td), common.HexToHash("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"); got != want {
		t.Errorf("Hash = %s, want %s (EIP-712's example)", got, want)
	}
}

// geth is go-ethereum's reading and hash of the same text, or ok=false
// where go-ethereum refuses it.
func geth(text string) (common.Hash, bool) {
	var td apitypes.TypedData
	if json.Unmarshal([]byte(text), &td) != nil {
		return common.Hash{}, false
	}
	h, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		return common.Hash{}, false
	}
	return common.BytesToHash(h), true
}

// TestHashAgreesWithGoEthereum on typed data that exercises every kind of
// member: go-ethereum is an independent EIP-712 implementation, and on
// a text eip712.Decode accepts it cannot read anything differently (no
// case variants or duplicates are left for it to fold or merge).
func TestHashAgreesWithGoEthereum(t *testing.T) {
	texts := []string{
		string(devchaintest.MailTypedData(big.NewInt(1337), "héllo\n")),
		`{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"chainId","type":"uint256"},{"name":"salt","type":"bytes32"}],
"Order":[{"name":"maker","type":"address"},{"name":"amounts","type":"uint256[]"},{"name":"grid","type":"int8[2][]"},{"name":"flag","type":"bool"},{"name":"memo","type":"bytes"},{"name":"tag","type":"bytes4"},{"name":"items","type":"Item[]"},{"name":"delta","type":"int256"}],
"Item":[{"name":"id","type":"uint64"},{"name":"note","type":"string"}]},
"primaryType":"Order","domain":{"name":"Shop","chainId":"0x539","salt":"0x` + strings.Repeat("ab", 32) + `"},
"message":{"maker":"0x1111111111111111111111111111111111111111","amounts":["1000000000000000000","0xff",7],"grid":[[-128,127],[0,-1]],"flag":true,"memo":"0xdeadbeef","tag":"0x01020304","items":[{"id":1,"note":"a"},{"id":"18446744073709551615","note":""}],"delta":"-57896044618658097711785492504343953926634992332820282019728792003956564819968"}}`,
	}
	for _, text := range texts {
		td, err := eip712.Decode(text)
		if err != nil {
			t.Fatal(err)
		}
		want, ok := geth(text)
		if !ok {
			t.Fatalf("go-ethereum refuses %s", text)
		}
		if got := typedhash.Hash(td); got != want {
			t.Errorf("Hash = %s, go-ethereum %s for %s", got, want, text)
		}
	}
}

// FuzzHashAgreesWithGoEthereum: on every text eip712.Decode accepts and
// go-ethereum can hash, the two hashes are equal. (go-ethereum refuses
// some valid typed data, such as an empty domain name; those are skipped.)
func FuzzHashAgreesWithGoEthereum(f *testing.F) {
	f.Add(string(devchaintest.MailTypedData(big.NewInt(1), "Hello, Bob!")))
	f.Add(`{"types":{"EIP712Domain":[{"name":"chainId","type":"uint256"}],"T":[{"name":"a","type":"int16[]"},{"name":"b","type":"bytes2"}]},"primaryType":"T","domain":{"chainId":1},"message":{"a":[-1,"0x7fff"],"b":"0xbeef"}}`)
	f.Add(`{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"T":[{"name":"A","type":"string"},{"name":"a","type":"string"}]},"primaryType":"T","domain":{"name":"n"},"message":{"A":"x","a":"y"}}`)
	f.Fuzz(func(t *testing.T, text string) {
		td, err := eip712.Decode(text)
		if err != nil {
			return
		}
		want, ok := geth(text)
		if !ok {
			return
		}
		if got := typedhash.Hash(td); got != want {
			t.Fatalf("Hash = %s, go-ethereum %s for %q", got, want, text)
		}
	})
}
