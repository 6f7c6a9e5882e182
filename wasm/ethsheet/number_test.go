package ethsheet

import (
	"testing"
)

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

func TestCeilDigits(t *testing.T) {
	for _, tt := range []struct {
		n    string
		drop int
		want string
	}{
		{"24568182930228", 10, "2457"}, {"24560000000000", 10, "2456"}, {"9999", 2, "100"}, {"5", 3, "1"}, {"0", 3, "0"}, {"000", 2, "0"}, {"123", 0, "123"},
	} {
		if got := ceilDigits(tt.n, tt.drop); got != tt.want {
			t.Errorf("ceilDigits(%s, %d) = %s, want %s", tt.n, tt.drop, got, tt.want)
		}
	}
}
