package publicsuffix

import (
	"testing"

	upstream "golang.org/x/net/publicsuffix"
)

// TestMatchesUpstream proves the copied table and lookup give the answers of
// the x/net version in go.mod, for every rule in the table and for names
// below each rule (wildcards and exceptions act there).
func TestMatchesUpstream(t *testing.T) {
	if got, want := Version, upstream.List.String(); got != want {
		t.Fatalf("table is %q, x/net has %q: run go generate ./wasm/internal/publicsuffix", got, want)
	}
	var names []string
	var walk func(lo, hi uint32, parent string)
	walk = func(lo, hi uint32, parent string) {
		for i := lo; i < hi; i++ {
			name := nodeLabel(i)
			if parent != "" {
				name += "." + parent
			}
			names = append(names, name, "x."+name, "y.x."+name, "www.y.x."+name)
			u := uint32(nodes.get(i) >> (nodesBitsTextOffset + nodesBitsTextLength))
			u >>= nodesBitsICANN
			c := children.get(u & (1<<nodesBitsChildren - 1))
			clo := c & (1<<childrenBitsLo - 1)
			chi := (c >> childrenBitsLo) & (1<<childrenBitsHi - 1)
			walk(clo, chi, name)
		}
	}
	walk(0, numTLD, "")
	if len(names) < 4*9000 {
		t.Fatalf("walked only %d names: the table walk is broken", len(names))
	}
	names = append(names, "localhost", "intranet", "example.invalid", "a.b.example.notatld", ".com", "example..com", "example.com.")
	for _, name := range names {
		ps, icann := PublicSuffix(name)
		ups, uicann := upstream.PublicSuffix(name)
		if ps != ups || icann != uicann {
			t.Errorf("PublicSuffix(%q) = %q, %v; x/net says %q, %v", name, ps, icann, ups, uicann)
		}
		e, ok := EffectiveTLDPlusOne(name)
		ue, err := upstream.EffectiveTLDPlusOne(name)
		if e != ue || ok != (err == nil) {
			t.Errorf("EffectiveTLDPlusOne(%q) = %q, %v; x/net says %q, %v", name, e, ok, ue, err)
		}
	}
}

func TestEffectiveTLDPlusOne(t *testing.T) {
	tests := []struct {
		domain string
		want   string
		ok     bool
	}{
		{"myconnect-lib.netlify.app", "myconnect-lib.netlify.app", true},
		{"www.example.co.jp", "example.co.jp", true},
		{"a.b.city.sapporo.jp", "city.sapporo.jp", true},       // exception rule !city.sapporo.jp
		{"a.b.minami.sapporo.jp", "b.minami.sapporo.jp", true}, // wildcard *.sapporo.jp
		{"github.io", "", false},
		{"co.jp", "", false},
		{"localhost", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := EffectiveTLDPlusOne(tt.domain)
		if got != tt.want || ok != tt.ok {
			t.Errorf("EffectiveTLDPlusOne(%q) = %q, %v; want %q, %v", tt.domain, got, ok, tt.want, tt.ok)
		}
	}
}
