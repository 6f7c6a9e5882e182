// Package ethtext reads and writes the text forms of Ethereum values —
// hex bytes, addresses, 256-bit integers — exactly, for the consent
// sheets' WebAssembly modules and for the host code that must read a
// payload exactly as they do. The modules cannot afford math/big
// (+1.2 MB) or strconv's error paths, so nothing here uses them.
package ethtext

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

// DecodeHex reads "0x" followed by an even number of hex digits in either
// case ("0x" is no bytes).
func DecodeHex(s string) ([]byte, bool) {
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

// EncodeHex writes b as "0x" and lower-case hex digits.
func EncodeHex(b []byte) string {
	out := make([]byte, 2+2*len(b))
	out[0], out[1] = '0', 'x'
	for i, c := range b {
		out[2+2*i], out[3+2*i] = hexDigits[c>>4], hexDigits[c&15]
	}
	return string(out)
}

// IsAddress: "0x" and 40 hex digits, in any case. The checksum in the
// letter case (EIP-55) is not verified: that needs Keccak-256, which the
// modules do not carry; the address is shown exactly as it will be sent.
func IsAddress(s string) bool {
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
