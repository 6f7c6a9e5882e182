// Package typedhash computes the EIP-712 hashes of typed data as package
// eip712 read it: the host signs and a relying party verifies exactly the
// reading the consent sheet showed, never a second parse of the page's
// text. go-ethereum's apitypes is not used: it re-reads JSON leniently and
// drops an empty domain name, so it is not the same reading.
package typedhash

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// Hash is the EIP-712 hash of td: keccak256(0x1901 ‖ domain separator ‖
// hashStruct(message)), what a dapp passes to isValidSignature.
func Hash(td *eip712.TypedData) common.Hash {
	h := newHasher(td)
	domain, message := h.structHash(td.Domain), h.structHash(td.Message)
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, domain[:], message[:])
}

// DomainSeparator is hashStruct(EIP712Domain, domain).
func DomainSeparator(td *eip712.TypedData) common.Hash {
	return Struct(td, td.Domain)
}

// Struct is hashStruct of n, a node of a struct type of td.
func Struct(td *eip712.TypedData, n *eip712.Node) common.Hash {
	return newHasher(td).structHash(n)
}

// hasher hashes the values of one TypedData, each struct type's typeHash
// computed once however many values of it there are.
type hasher struct {
	td         *eip712.TypedData
	typeHashes map[string][]byte
}

func newHasher(td *eip712.TypedData) *hasher {
	return &hasher{td: td, typeHashes: map[string][]byte{}}
}

func (h *hasher) typeHash(name string) []byte {
	th, ok := h.typeHashes[name]
	if !ok {
		th = crypto.Keccak256([]byte(EncodeType(h.td, name)))
		h.typeHashes[name] = th
	}
	return th
}

// structHash is hashStruct of n: keccak256(typeHash ‖ encodeData).
func (h *hasher) structHash(n *eip712.Node) common.Hash {
	enc := append(make([]byte, 0, 32*(1+len(n.Children))), h.typeHash(n.Type)...)
	for _, c := range n.Children {
		enc = append(enc, h.value(c)...)
	}
	return crypto.Keccak256Hash(enc)
}

// EncodeType is EIP-712's encodeType of the struct name: its own
// definition, then every struct it references, sorted by name.
func EncodeType(td *eip712.TypedData, name string) string {
	deps := map[string]bool{}
	var visit func(string)
	visit = func(t string) {
		if deps[t] || td.Types[t] == nil {
			return
		}
		deps[t] = true
		for _, f := range td.Types[t] {
			visit(baseType(f.Type))
		}
	}
	visit(name)
	delete(deps, name)
	order := []string{name}
	rest := make([]string, 0, len(deps))
	for t := range deps {
		rest = append(rest, t)
	}
	sort.Strings(rest)
	var b strings.Builder
	for _, t := range append(order, rest...) {
		b.WriteString(t + "(")
		for i, f := range td.Types[t] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(f.Type + " " + f.Name)
		}
		b.WriteByte(')')
	}
	return b.String()
}

func baseType(typ string) string {
	if i := strings.IndexByte(typ, '['); i >= 0 {
		return typ[:i]
	}
	return typ
}

// value is encodeData's 32-byte encoding of one member.
func (h *hasher) value(n *eip712.Node) []byte {
	switch {
	case strings.HasSuffix(n.Type, "]"):
		var enc []byte
		for _, c := range n.Children {
			enc = append(enc, h.value(c)...)
		}
		return crypto.Keccak256(enc)
	case h.td.Types[n.Type] != nil:
		sh := h.structHash(n)
		return sh[:]
	}
	return atomic(n.Type, n.Value)
}

// atomic encodes an atomic value. eip712.Decode checked it, so a value it
// cannot read is a bug here, not bad input.
func atomic(typ, v string) []byte {
	switch {
	case typ == "string":
		return crypto.Keccak256([]byte(v))
	case typ == "bool":
		if v == "true" {
			return common.LeftPadBytes([]byte{1}, 32)
		}
		return make([]byte, 32)
	case typ == "address":
		return common.LeftPadBytes(common.HexToAddress(v).Bytes(), 32)
	case typ == "bytes":
		return crypto.Keccak256(common.FromHex(v))
	case strings.HasPrefix(typ, "bytes"):
		return common.RightPadBytes(common.FromHex(v), 32)
	}
	x, ok := new(big.Int).SetString(v, 10)
	if !ok {
		panic(fmt.Sprintf("typedhash: %s value %q was not checked", typ, v))
	}
	return common.LeftPadBytes(math256(x), 32)
}

// math256 is x as 256-bit two's complement.
func math256(x *big.Int) []byte {
	if x.Sign() >= 0 {
		return x.Bytes()
	}
	return new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 256), x).Bytes()
}
