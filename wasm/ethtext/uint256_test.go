package ethtext

import (
	"math/big"
	"strings"
	"testing"
)

var two256 = new(big.Int).Lsh(big.NewInt(1), 256)

func toBig(x Uint256) *big.Int {
	w := x.Word()
	return new(big.Int).SetBytes(w[:])
}

func TestParseQuantity(t *testing.T) {
	max := "0x" + strings.Repeat("f", 64)
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
		{"0X1", "", false},
	}
	for _, tt := range tests {
		x, ok := ParseQuantity(tt.in)
		if ok != tt.ok || (ok && x.String() != tt.want) {
			t.Errorf("ParseQuantity(%q) = %s, %v; want %s, %v", tt.in, x, ok, tt.want, tt.ok)
		}
		if ok {
			if b, _ := new(big.Int).SetString(tt.in[2:], 16); b.Cmp(toBig(x)) != 0 {
				t.Errorf("%s: %s, math/big says %s", tt.in, x, b)
			}
		}
	}
}

func TestParseDecimal(t *testing.T) {
	max := new(big.Int).Sub(two256, big.NewInt(1)).String()
	tests := []struct {
		in string
		ok bool
	}{
		{"0", true}, {"007", true}, {"1000000000000000000", true}, {max, true},
		{new(big.Int).Set(two256).String(), false},
		{max + "0", false},
		{"", false}, {"-1", false}, {"+1", false}, {"1e3", false}, {"１", false}, {"0x10", false},
	}
	for _, tt := range tests {
		x, ok := ParseDecimal(tt.in)
		if ok != tt.ok {
			t.Errorf("ParseDecimal(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if ok {
			if b, _ := new(big.Int).SetString(tt.in, 10); b.Cmp(toBig(x)) != 0 || x.String() != b.String() {
				t.Errorf("ParseDecimal(%q) = %s, math/big says %s", tt.in, x, b)
			}
		}
	}
}

func TestBitLenNegAndWord(t *testing.T) {
	for _, s := range []string{"0", "1", "255", "256", "18446744073709551616", new(big.Int).Sub(two256, big.NewInt(1)).String()} {
		x, _ := ParseDecimal(s)
		b, _ := new(big.Int).SetString(s, 10)
		if x.BitLen() != b.BitLen() {
			t.Errorf("%s: BitLen %d, math/big %d", s, x.BitLen(), b.BitLen())
		}
		neg := new(big.Int).Mod(new(big.Int).Neg(b), two256)
		if toBig(x.Neg()).Cmp(neg) != 0 {
			t.Errorf("%s: Neg %s, want %s", s, toBig(x.Neg()), neg)
		}
		w := x.Word()
		if FromWord(w[:]) != x {
			t.Errorf("%s: FromWord(Word) = %s", s, FromWord(w[:]))
		}
	}
}

// FuzzParseDecimal: whatever ParseDecimal accepts, math/big reads as the
// same number below 2^256, and String writes it back canonically.
func FuzzParseDecimal(f *testing.F) {
	f.Add("0")
	f.Add("115792089237316195423570985008687907853269984665640564039457584007913129639936")
	f.Add("000123")
	f.Fuzz(func(t *testing.T, s string) {
		x, ok := ParseDecimal(s)
		b, bigOK := new(big.Int).SetString(s, 10)
		digitsOnly := s != "" && strings.Trim(s, "0123456789") == ""
		want := digitsOnly && bigOK && b.Cmp(two256) < 0
		if ok != want {
			t.Fatalf("ParseDecimal(%q) ok = %v, want %v", s, ok, want)
		}
		if ok && x.String() != b.String() {
			t.Fatalf("ParseDecimal(%q) = %s, math/big %s", s, x, b)
		}
	})
}

func TestAddMulAndCmpAgreeWithMathBig(t *testing.T) {
	max := new(big.Int).Sub(two256, big.NewInt(1))
	values := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(21000), new(big.Int).Lsh(big.NewInt(1), 64), new(big.Int).Rsh(max, 1), max}
	for _, a := range values {
		x, _ := ParseDecimal(a.String())
		for _, b := range values {
			y, _ := ParseDecimal(b.String())
			sum, ok := x.Add(y)
			want := new(big.Int).Add(a, b)
			if ok != (want.Cmp(two256) < 0) || (ok && toBig(sum).Cmp(want) != 0) {
				t.Errorf("%s + %s = %s, %v", a, b, sum, ok)
			}
			if got, want := x.Cmp(y), a.Cmp(b); got != want {
				t.Errorf("Cmp(%s, %s) = %d, want %d", a, b, got, want)
			}
			if !b.IsUint64() {
				continue
			}
			p, ok := x.MulUint64(b.Uint64())
			want = new(big.Int).Mul(a, b)
			if ok != (want.Cmp(two256) < 0) || (ok && toBig(p).Cmp(want) != 0) {
				t.Errorf("%s × %s = %s, %v", a, b, p, ok)
			}
		}
	}
}
