package chaintest

import (
	gocrypto "crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

var (
	harnessMu   sync.Mutex
	harnessAddr = map[*devchain.Chain]common.Address{}
)

func rsaHarness(t testing.TB, c *devchain.Chain) common.Address {
	t.Helper()
	harnessMu.Lock()
	defer harnessMu.Unlock()
	if a, ok := harnessAddr[c]; ok {
		return a
	}
	r, err := c.Send(devchaintest.Context(t), devchain.FaucetKey, nil, nil, contracts.RSAHarness.Bytecode())
	if err != nil {
		t.Fatal(err)
	}
	harnessAddr[c] = r.ContractAddress
	return r.ContractAddress
}

// rawSign applies the private key to an arbitrary encoded message: how a forger with a broken encoder, or a
// test, makes signatures a PKCS#1 library would refuse to produce.
func rawSign(key *rsa.PrivateKey, em []byte) []byte {
	s := new(big.Int).Exp(new(big.Int).SetBytes(em), key.D, key.N)
	return s.FillBytes(make([]byte, key.Size()))
}

// encodedMessage is EMSA-PKCS1-v1_5 for a SHA-256 digest, with or without the DigestInfo's NULL parameters.
func encodedMessage(size int, digest []byte, withNull bool) []byte {
	prefix := common.FromHex("3031300d060960864801650304020105000420")
	if !withNull {
		prefix = common.FromHex("302f300b0609608648016503040201" + "0420")
	}
	t := append(prefix, digest...)
	em := make([]byte, size)
	em[1] = 1
	for i := 2; i < size-len(t)-1; i++ {
		em[i] = 0xff
	}
	copy(em[size-len(t):], t)
	return em
}

// CardRSA (encode-and-compare) must agree with OpenZeppelin's RSA.pkcs1Sha256 on every signature the card
// pipeline can produce and every malformed one, and differ only where intended: CardRSA refuses the
// implicit-NULL DigestInfo, which the card pipeline never makes.
func TestCardRSAAgreesWithOpenZeppelin(t *testing.T) {
	c := defaultChain(t)
	h := rsaHarness(t, c)
	owner := testCard(t)
	key := owner.key
	msg := sha256.Sum256([]byte("target hash"))
	digest := sha256.Sum256(msg[:])
	valid, _ := rsa.SignPKCS1v15(nil, key, gocrypto.SHA256, digest[:])
	sha1Digest := sha1.Sum(msg[:])
	sha1Sig, _ := rsa.SignPKCS1v15(nil, key, gocrypto.SHA1, sha1Digest[:])
	badPad := encodedMessage(256, digest[:], true)
	badPad[40] = 0xfe
	nPlus1 := new(big.Int).Add(key.N, big.NewInt(1)).FillBytes(make([]byte, 256))
	sPlusN := new(big.Int).Add(new(big.Int).SetBytes(valid), key.N)
	key3072, err := rsa.GenerateKey(rand.Reader, 3072)
	if err != nil {
		t.Fatal(err)
	}
	sig3072, _ := rsa.SignPKCS1v15(nil, key3072, gocrypto.SHA256, digest[:])
	e3072, n3072 := contracts.RSAKey(&key3072.PublicKey)

	tests := []struct {
		name       string
		digest     [32]byte
		sig, e, n  []byte
		card, oz   bool
		skipReason string
	}{
		{name: "valid", digest: digest, sig: valid, card: true, oz: true},
		{name: "valid, 3072-bit key", digest: digest, sig: sig3072, e: e3072, n: n3072, card: true, oz: true},
		{name: "other digest", digest: sha256.Sum256([]byte("x")), sig: valid},
		{name: "SHA-1 DigestInfo", digest: digest, sig: sha1Sig},
		{name: "implicit NULL DigestInfo", digest: digest, sig: rawSign(key, encodedMessage(256, digest[:], false)), oz: true},
		{name: "padding byte not 0xff", digest: digest, sig: rawSign(key, badPad)},
		{name: "signature equal to n", digest: digest, sig: owner.n},
		{name: "signature n+1", digest: digest, sig: nPlus1},
		{name: "signature s+n (same residue)", digest: digest, sig: sPlusN.Bytes(), skipReason: "s+n does not fit 256 bytes"},
		{name: "zero signature", digest: digest, sig: make([]byte, 256)},
		{name: "short signature", digest: digest, sig: valid[1:]},
		{name: "long signature", digest: digest, sig: append([]byte{0}, valid...)},
		{name: "exponent 3", digest: digest, sig: valid, e: []byte{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skipReason != "" && len(tt.sig) != 256 {
				t.Skip(tt.skipReason)
			}
			e, n := owner.e, owner.n
			if tt.e != nil {
				e = tt.e
			}
			if tt.n != nil {
				n = tt.n
			}
			card := devchaintest.CallAs[bool](t, c, h, contracts.RSAHarness, "cardVerify", tt.digest, tt.sig, e, n)
			oz := devchaintest.CallAs[bool](t, c, h, contracts.RSAHarness, "ozVerify", tt.digest, tt.sig, e, n)
			if card != tt.card || oz != tt.oz {
				t.Errorf("CardRSA %v (want %v), OpenZeppelin %v (want %v)", card, tt.card, oz, tt.oz)
			}
		})
	}
}
