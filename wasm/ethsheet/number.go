package ethsheet

import (
	"math/bits"
	"strconv"
	"strings"
)

// uint256 is an unsigned 256-bit integer, most significant word first. The
// module cannot afford math/big (+1.2 MB); amounts need only parsing,
// comparison and conversion to decimal.
type uint256 [4]uint64

func hexDigit(c byte) (uint64, bool) {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0'), true
	case 'a' <= c && c <= 'f':
		return uint64(c-'a') + 10, true
	case 'A' <= c && c <= 'F':
		return uint64(c-'A') + 10, true
	}
	return 0, false
}

// parseQuantity reads a JSON-RPC hex quantity ("0x1bc16d674ec80000") of at
// most 256 bits. Leading zeros are accepted: they do not change the number
// the host reads.
func parseQuantity(s string) (uint256, bool) {
	var x uint256
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
		x = uint256{x[0]<<4 | x[1]>>60, x[1]<<4 | x[2]>>60, x[2]<<4 | x[3]>>60, x[3]<<4 | d}
	}
	return x, true
}

// word reads a 32-byte ABI word.
func word(b []byte) uint256 {
	var x uint256
	for i, c := range b[:32] {
		x[i/8] = x[i/8]<<8 | uint64(c)
	}
	return x
}

// String is x in decimal: repeated division by 10^19, a word at a time.
func (x uint256) String() string {
	var chunks []uint64 // base 10^19 digits, least significant first
	for x != (uint256{}) {
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

// scale puts the decimal point decimals digits from the right of the
// integer n and drops trailing zeros: scale("500000000000000000", 18) is
// "0.5". Exact: no floating point anywhere.
func scale(n string, decimals int) string {
	if decimals <= 0 {
		return n
	}
	if len(n) <= decimals {
		n = strings.Repeat("0", decimals-len(n)+1) + n
	}
	whole, frac := n[:len(n)-decimals], strings.TrimRight(n[len(n)-decimals:], "0")
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// group adds thousands separators to the whole part of a decimal number:
// "-1234567.5" becomes "-1,234,567.5".
func group(n string) string {
	whole, frac := n, ""
	if i := strings.IndexByte(n, '.'); i >= 0 {
		whole, frac = n[:i], n[i:]
	}
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	var b strings.Builder
	for i := 0; i < len(whole); i++ {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	return sign + b.String() + frac
}

// decodeHex reads "0x" followed by an even number of hex digits.
func decodeHex(s string) ([]byte, bool) {
	if len(s) < 2 || s[:2] != "0x" || len(s)%2 != 0 {
		return nil, false
	}
	b := make([]byte, (len(s)-2)/2)
	for i := range b {
		hi, ok1 := hexDigit(s[2+2*i])
		lo, ok2 := hexDigit(s[3+2*i])
		if !ok1 || !ok2 {
			return nil, false
		}
		b[i] = byte(hi<<4 | lo)
	}
	return b, true
}

const hexDigits = "0123456789abcdef"

func encodeHex(b []byte) string {
	out := make([]byte, 2+2*len(b))
	out[0], out[1] = '0', 'x'
	for i, c := range b {
		out[2+2*i], out[3+2*i] = hexDigits[c>>4], hexDigits[c&15]
	}
	return string(out)
}

// isAddress: "0x" and 40 hex digits, in any case. The checksum in the
// letter case (EIP-55) is not verified: that needs Keccak-256, which the
// module does not carry; the address is shown exactly as it will be sent.
func isAddress(s string) bool {
	if len(s) != 42 || s[:2] != "0x" {
		return false
	}
	for i := 2; i < len(s); i++ {
		if _, ok := hexDigit(s[i]); !ok {
			return false
		}
	}
	return true
}

// sameFold compares ASCII case-insensitively: addresses, schemes and
// hosts. strings.EqualFold would link Unicode case tables (+28 kB).
func sameFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
