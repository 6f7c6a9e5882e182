package main

import (
	"fmt"
	"math/big"
	"strings"
)

// units writes amount with decimals places, exactly (no rounding), without trailing zeros.
func units(amount *big.Int, decimals uint8) string {
	s := amount.String()
	if decimals == 0 {
		return s
	}
	for len(s) <= int(decimals) {
		s = "0" + s
	}
	whole, frac := s[:len(s)-int(decimals)], strings.TrimRight(s[len(s)-int(decimals):], "0")
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// parseUnits reads a decimal amount ("1.5") as units of a currency with decimals places, exactly: more
// places than that, a sign or an exponent are errors.
func parseUnits(s string, decimals uint8) (*big.Int, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > int(decimals) || strings.Trim(whole+frac, "0123456789") != "" {
		return nil, fmt.Errorf("%q: want a decimal amount with at most %d places", s, decimals)
	}
	v, _ := new(big.Int).SetString("0"+whole+frac+strings.Repeat("0", int(decimals)-len(frac)), 10)
	return v, nil
}
