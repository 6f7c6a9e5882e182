package ethsheet

import (
	"strings"
)

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

// ceilDigits drops the last drop digits of the integer n, rounding up: ceilDigits("24568182930228", 10) is
// "2457". A most rounded up is still a most.
func ceilDigits(n string, drop int) string {
	if drop <= 0 {
		return n
	}
	if len(n) <= drop {
		if strings.Trim(n, "0") == "" {
			return "0"
		}
		return "1"
	}
	head, tail := []byte(n[:len(n)-drop]), n[len(n)-drop:]
	if strings.Trim(tail, "0") == "" {
		return string(head)
	}
	for i := len(head) - 1; i >= 0; i-- {
		if head[i] != '9' {
			head[i]++
			return string(head)
		}
		head[i] = '0'
	}
	return "1" + string(head)
}
