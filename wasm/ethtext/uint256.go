package ethtext

import (
	"math/bits"
	"strconv"
	"strings"
)

// Uint256 is an unsigned 256-bit integer, most significant word first. The
// zero value is 0.
type Uint256 [4]uint64

// ParseQuantity reads "0x" and 1 to 64 significant hex digits, in either
// case ("0x1bc16d674ec80000"). Leading zeros are accepted: they do not
// change the number.
func ParseQuantity(s string) (Uint256, bool) {
	var x Uint256
	if len(s) < 3 || s[:2] != "0x" {
		return x, false
	}
	digits := strings.TrimLeft(s[2:], "0")
	if len(digits) > 64 {
		return x, false
	}
	for i := 0; i < len(digits); i++ {
		d, ok := hexDigit(digits[i])
		if !ok {
			return x, false
		}
		x = Uint256{x[0]<<4 | x[1]>>60, x[1]<<4 | x[2]>>60, x[2]<<4 | x[3]>>60, x[3]<<4 | d}
	}
	return x, true
}

// ParseDecimal reads one or more ASCII digits; false when s has anything
// else or the number is 2^256 or more.
func ParseDecimal(s string) (Uint256, bool) {
	var x Uint256
	if s == "" {
		return x, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return x, false
		}
		carry := uint64(s[i] - '0')
		for w := 3; w >= 0; w-- {
			hi, lo := bits.Mul64(x[w], 10)
			var c uint64
			x[w], c = bits.Add64(lo, carry, 0)
			carry = hi + c
		}
		if carry != 0 {
			return x, false
		}
	}
	return x, true
}

// FromWord reads a 32-byte big-endian word (an ABI word); b must hold at
// least 32 bytes.
func FromWord(b []byte) Uint256 {
	var x Uint256
	for i, c := range b[:32] {
		x[i/8] = x[i/8]<<8 | uint64(c)
	}
	return x
}

// Word is x as a 32-byte big-endian word.
func (x Uint256) Word() [32]byte {
	var w [32]byte
	for i := range w {
		w[i] = byte(x[i/8] >> (56 - 8*(i%8)))
	}
	return w
}

// IsZero reports x == 0.
func (x Uint256) IsZero() bool { return x == Uint256{} }

// BitLen is the number of bits x needs: 0 for 0.
func (x Uint256) BitLen() int {
	for i, w := range x {
		if w != 0 {
			return 64*(3-i) + bits.Len64(w)
		}
	}
	return 0
}

// Neg is -x modulo 2^256: the two's complement a signed EIP-712 or ABI
// integer is encoded as.
func (x Uint256) Neg() Uint256 {
	var r Uint256
	borrow := uint64(0)
	for i := 3; i >= 0; i-- {
		r[i], borrow = bits.Sub64(0, x[i], borrow)
	}
	return r
}

// String is x in decimal: repeated division by 10^19, a word at a time.
func (x Uint256) String() string {
	var chunks []uint64 // base 10^19 digits, least significant first
	for !x.IsZero() {
		var r uint64
		for i := range x {
			x[i], r = bits.Div64(r, x[i], 1e19)
		}
		chunks = append(chunks, r)
	}
	if len(chunks) == 0 {
		return "0"
	}
	s := strconv.FormatUint(chunks[len(chunks)-1], 10)
	for i := len(chunks) - 2; i >= 0; i-- {
		d := strconv.FormatUint(chunks[i], 10)
		s += "0000000000000000000"[len(d):] + d
	}
	return s
}

// Add is x + y; ok is false when the sum is 2^256 or more.
func (x Uint256) Add(y Uint256) (sum Uint256, ok bool) {
	var carry uint64
	for i := 3; i >= 0; i-- {
		sum[i], carry = bits.Add64(x[i], y[i], carry)
	}
	return sum, carry == 0
}

// MulUint64 is x × m; ok is false when the product is 2^256 or more.
func (x Uint256) MulUint64(m uint64) (product Uint256, ok bool) {
	var carry uint64
	for i := 3; i >= 0; i-- {
		hi, lo := bits.Mul64(x[i], m)
		var c uint64
		product[i], c = bits.Add64(lo, carry, 0)
		carry = hi + c
	}
	return product, carry == 0
}

// Cmp compares x and y: -1, 0 or +1.
func (x Uint256) Cmp(y Uint256) int {
	for i := range x {
		switch {
		case x[i] < y[i]:
			return -1
		case x[i] > y[i]:
			return 1
		}
	}
	return 0
}
