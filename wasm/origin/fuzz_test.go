package origin

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"https://myconnect-lib.netlify.app", "https://www.example.co.jp:8443", "http://localhost:8080",
	"http://[::1]:5173", "https://xn--r8jz45g.xn--zckzah", "https://xn--l-7sba6dbr.com",
	"https://xn--eckuc6a2ec6f855y.jp", "https://203.0.113.7", "https://github.io.", "null",
	"https://user@example.com", "https://example.com/path", "https://[::ffff:1.2.3.4]",
	"https://0x7f.1", "https://xn--abc-.com", "http://127.0.0.1:65535",
}

var knownWarnings = []Warning{WarnConfusable, WarnMixedScript, WarnIDN, WarnNoRegistrableDomain, WarnIPAddress, WarnDevelopment}

// FuzzAnalyze checks the promises Analyze makes about every accepted origin,
// whatever the input: it is the exact serialisation of its parts, its host
// is one the URL parser could emit, http only on loopback, and the Unicode
// name and registrable domain are consistent with the ASCII one.
func FuzzAnalyze(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := Analyze(s)
		if err != nil {
			var e *Error
			if o != nil || !errors.As(err, &e) || e.Reason == "" {
				t.Fatalf("Analyze(%q) = %v, %v: want nil and an *Error with a reason", s, o, err)
			}
			return
		}
		rebuilt := o.Scheme + "://" + o.ASCIIHost
		if o.Port != "" {
			rebuilt += ":" + o.Port
		}
		if rebuilt != s || o.Serialized != s {
			t.Fatalf("Analyze(%q): parts rebuild %q", s, rebuilt)
		}
		if o.Scheme != "https" && !(o.Scheme == "http" && o.Development) {
			t.Fatalf("Analyze(%q): scheme %q accepted (development %v)", s, o.Scheme, o.Development)
		}
		if _, reason := parseHost(o.ASCIIHost); reason != "" {
			t.Fatalf("Analyze(%q): accepted host %q fails parseHost: %s", s, o.ASCIIHost, reason)
		}
		for i := 0; i < len(o.ASCIIHost); i++ {
			if c := o.ASCIIHost[i]; c <= ' ' || c >= 0x7f || (c >= 'A' && c <= 'Z') {
				t.Fatalf("Analyze(%q): ASCII host has byte %#x", s, c)
			}
		}
		if !utf8.ValidString(o.UnicodeHost) || (o.UnicodeHost != o.ASCIIHost) != o.IDN {
			t.Fatalf("Analyze(%q): Unicode host %q, IDN %v", s, o.UnicodeHost, o.IDN)
		}
		// Re-encoding the Unicode labels gives back the ASCII ones: the name
		// shown is the name used.
		uLabels := strings.Split(o.UnicodeHost, ".")
		aLabels := strings.Split(o.ASCIIHost, ".")
		if len(uLabels) != len(aLabels) {
			t.Fatalf("Analyze(%q): %d Unicode labels for %d ASCII labels", s, len(uLabels), len(aLabels))
		}
		for i, u := range uLabels {
			if u != aLabels[i] && "xn--"+encodePunycode(u) != aLabels[i] {
				t.Fatalf("Analyze(%q): label %q does not encode to %q", s, u, aLabels[i])
			}
		}
		reg := o.RegistrableDomainASCII
		name := strings.TrimSuffix(o.ASCIIHost, ".")
		if reg != "" && name != reg && !strings.HasSuffix(name, "."+reg) {
			t.Fatalf("Analyze(%q): registrable domain %q is not a suffix of %q", s, reg, name)
		}
		if (reg == "") != (o.RegistrableDomain == "") || (reg != "" && (o.IPAddress || o.Development)) {
			t.Fatalf("Analyze(%q): registrable %q / %q for IP %v development %v", s, o.RegistrableDomain, reg, o.IPAddress, o.Development)
		}
		if (o.LooksLike != "") != o.Has(WarnConfusable) {
			t.Fatalf("Analyze(%q): LooksLike %q with warnings %v", s, o.LooksLike, o.Warnings)
		}
		next := 0
		for _, w := range o.Warnings {
			for next < len(knownWarnings) && knownWarnings[next] != w {
				next++
			}
			if next == len(knownWarnings) {
				t.Fatalf("Analyze(%q): warnings %v unknown, repeated or out of order", s, o.Warnings)
			}
			next++
		}
	})
}

// FuzzPunycode checks that whatever decodes re-encodes to something that
// decodes to the same name (decodeLabel then insists on that encoding).
func FuzzPunycode(f *testing.F) {
	for _, s := range []string{"r8jz45g", "l-7sba6dbr", "mnchen-3ya", "abc-", "zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, ok := decodePunycode(s)
		if !ok {
			return
		}
		if !utf8.ValidString(u) {
			t.Fatalf("decodePunycode(%q) = invalid UTF-8 %q", s, u)
		}
		enc := encodePunycode(u)
		if u2, ok := decodePunycode(enc); len(enc) <= pcMaxLabel && (!ok || u2 != u) {
			t.Fatalf("decodePunycode(%q) = %q; re-encoded %q decodes to %q, %v", s, u, enc, u2, ok)
		}
	})
}
