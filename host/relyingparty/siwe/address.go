package siwe

import (
	"encoding/hex"

	"golang.org/x/crypto/sha3"
)

// Address is an Ethereum account address. It converts to and from
// go-ethereum's common.Address (the same 20 bytes), which this package does
// not import: a server that only parses and compares messages links no
// Ethereum client.
type Address [20]byte

// Hex is the address in EIP-55 mixed-case checksum form, as a message
// carries it.
func (a Address) Hex() string {
	lower := hex.EncodeToString(a[:])
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lower))
	sum := h.Sum(nil)
	out := []byte("0x" + lower)
	for i := range lower {
		// A letter is upper case where the hash's matching nibble is 8 or more.
		nibble := sum[i/2] >> 4
		if i%2 == 1 {
			nibble = sum[i/2] & 0x0f
		}
		if c := out[i+2]; c >= 'a' && nibble >= 8 {
			out[i+2] = c - 'a' + 'A'
		}
	}
	return string(out)
}

// String is Hex.
func (a Address) String() string { return a.Hex() }
