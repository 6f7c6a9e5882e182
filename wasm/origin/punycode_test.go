package origin

import "testing"

func TestPunycodeRoundTrip(t *testing.T) {
	tests := []struct{ unicode, ascii string }{
		{"例え", "r8jz45g"},
		{"テスト", "zckzah"},
		{"münchen", "mnchen-3ya"},
		{"bücher", "bcher-kva"},
		{"マイナンバー", "eckzdsa7c1f7b"},
		{"ドメイン名例", "eckwd4c7cu47r2wf"},
		// RFC 3492 section 7.1 (J), lower-cased as hosts are.
		{"pročprostěnemluvíčesky", "proprostnemluvesky-uyb24dma41a"},
		// Cyrillic "раураl": the classic paypal lookalike.
		{"раураl", "l-7sba6dbr"},
	}
	for _, tt := range tests {
		if got := encodePunycode(tt.unicode); got != tt.ascii {
			t.Errorf("encodePunycode(%q) = %q, want %q", tt.unicode, got, tt.ascii)
		}
		got, ok := decodePunycode(tt.ascii)
		if !ok || got != tt.unicode {
			t.Errorf("decodePunycode(%q) = %q, %v; want %q", tt.ascii, got, ok, tt.unicode)
		}
	}
}

func TestPunycodeRejectsInvalid(t *testing.T) {
	for _, s := range []string{"", "-", "zzzzzzzzzzzzzzzzzzzzzzzzzz", "a-b-!", "99999999999", "ab-?"} {
		if got, ok := decodePunycode(s); ok && encodePunycode(got) == s {
			t.Errorf("decodePunycode(%q) = %q, accepted", s, got)
		}
	}
}
