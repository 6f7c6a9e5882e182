package ethsheet

import (
	"math/big"
	"testing"
)

func TestParseQuantityAndDecimal(t *testing.T) {
	max := "0x" + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"0x0", "0", true},
		{"0x1bc16d674ec80000", "2000000000000000000", true},
		{"0x00ff", "255", true},
		{"0xDE0B6B3A7640000", "1000000000000000000", true},
		{max, "115792089237316195423570985008687907853269984665640564039457584007913129639935", true},
		{"0x1" + max[2:], "", false}, // 257 bits
		{"0x", "", false},
		{"12", "", false},
		{"0xg", "", false},
		{"-0x1", "", false},
	}
	for _, tt := range tests {
		x, ok := parseQuantity(tt.in)
		if ok != tt.ok || (ok && x.String() != tt.want) {
			t.Errorf("parseQuantity(%q) = %s, %v; want %s, %v", tt.in, x, ok, tt.want, tt.ok)
		}
		if ok {
			b, _ := new(big.Int).SetString(tt.in[2:], 16)
			if b.String() != x.String() {
				t.Errorf("%s: %s, math/big says %s", tt.in, x, b)
			}
		}
	}
}

func TestScaleAndGroup(t *testing.T) {
	tests := []struct {
		n        string
		decimals int
		scaled   string
		grouped  string
	}{
		{"500000000000000000", 18, "0.5", "0.5"},
		{"1500000000000000000000", 18, "1500", "1,500"},
		{"1", 18, "0.000000000000000001", "0.000000000000000001"},
		{"0", 18, "0", "0"},
		{"1234567", 0, "1234567", "1,234,567"},
		{"123456789", 6, "123.456789", "123.456789"},
		{"100000", 6, "0.1", "0.1"},
		{"-1234", 0, "-1234", "-1,234"},
	}
	for _, tt := range tests {
		if got := scale(tt.n, tt.decimals); got != tt.scaled {
			t.Errorf("scale(%s, %d) = %s, want %s", tt.n, tt.decimals, got, tt.scaled)
		}
		if got := group(scale(tt.n, tt.decimals)); got != tt.grouped {
			t.Errorf("group(%s) = %s, want %s", tt.scaled, got, tt.grouped)
		}
	}
}
