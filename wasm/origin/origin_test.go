package origin

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestAnalyzeAccepts(t *testing.T) {
	tests := []struct {
		in          string
		unicodeHost string
		port        string
		reg, regA   string
		looksLike   string
		warnings    []Warning
	}{
		{in: "https://myconnect-lib.netlify.app", unicodeHost: "myconnect-lib.netlify.app",
			reg: "myconnect-lib.netlify.app", regA: "myconnect-lib.netlify.app"},
		{in: "https://www.example.co.jp:8443", unicodeHost: "www.example.co.jp", port: "8443",
			reg: "example.co.jp", regA: "example.co.jp"},
		{in: "https://xn--r8jz45g.xn--zckzah", unicodeHost: "例え.テスト",
			reg: "例え.テスト", regA: "xn--r8jz45g.xn--zckzah", warnings: []Warning{WarnIDN}},
		{in: "https://www.xn--eckwd4c7c5976acvb2w6i.jp", unicodeHost: "www.日本語ドメイン.jp",
			reg: "日本語ドメイン.jp", regA: "xn--eckwd4c7c5976acvb2w6i.jp", warnings: []Warning{WarnIDN}},
		// Japanese mixes kanji, kana, digits and Latin freely.
		{in: "https://xn--2-ieuwdvb0fc0h3f.jp", unicodeHost: "マイナ2ポータル.jp",
			reg: "マイナ2ポータル.jp", regA: "xn--2-ieuwdvb0fc0h3f.jp", warnings: []Warning{WarnIDN}},
		{in: "https://xn--78j1bb7ew00ry4zb.jp", unicodeHost: "はじめの一歩.jp",
			reg: "はじめの一歩.jp", regA: "xn--78j1bb7ew00ry4zb.jp", warnings: []Warning{WarnIDN}},
		{in: "https://xn--80aswg.xn--p1ai", unicodeHost: "сайт.рф",
			reg: "сайт.рф", regA: "xn--80aswg.xn--p1ai", warnings: []Warning{WarnIDN}},
		{in: "https://xn--mnchen-3ya.de", unicodeHost: "münchen.de",
			reg: "münchen.de", regA: "xn--mnchen-3ya.de", warnings: []Warning{WarnIDN}},
		// Cyrillic р, а, у with a Latin l: mixed, and reads "paypal".
		{in: "https://xn--l-7sba6dbr.com", unicodeHost: "раураl.com",
			reg: "раураl.com", regA: "xn--l-7sba6dbr.com", looksLike: "paypal.com",
			warnings: []Warning{WarnConfusable, WarnMixedScript, WarnIDN}},
		// All Cyrillic, every letter a Latin lookalike: "paypai".
		{in: "https://xn--80aa0cbo0j.com", unicodeHost: "раураі.com",
			reg: "раураі.com", regA: "xn--80aa0cbo0j.com", looksLike: "paypai.com",
			warnings: []Warning{WarnConfusable, WarnIDN}},
		{in: "https://login.xn--pypal-4ve.com", unicodeHost: "login.pаypal.com",
			reg: "pаypal.com", regA: "xn--pypal-4ve.com", looksLike: "login.paypal.com",
			warnings: []Warning{WarnConfusable, WarnMixedScript, WarnIDN}},
		// The kanji 一 for the long vowel mark ー.
		{in: "https://xn--eckuc6a2ec6f855y.jp", unicodeHost: "マイナポ一タル.jp",
			reg: "マイナポ一タル.jp", regA: "xn--eckuc6a2ec6f855y.jp", looksLike: "マイナポータル.jp",
			warnings: []Warning{WarnConfusable, WarnIDN}},
		{in: "https://xn--a-kju.jp", unicodeHost: "aー.jp",
			reg: "aー.jp", regA: "xn--a-kju.jp", looksLike: "a-.jp",
			warnings: []Warning{WarnConfusable, WarnIDN}},
		{in: "https://xn--qi7cdauna.com", unicodeHost: "ｇｏｏｇｌｅ.com",
			reg: "ｇｏｏｇｌｅ.com", regA: "xn--qi7cdauna.com", looksLike: "google.com",
			warnings: []Warning{WarnConfusable, WarnIDN}},
		{in: "https://xn--abc-fn0a.com", unicodeHost: "ab\u200dc.com",
			reg: "ab\u200dc.com", regA: "xn--abc-fn0a.com", looksLike: "abc.com",
			warnings: []Warning{WarnConfusable, WarnIDN}},
		{in: "https://github.io", unicodeHost: "github.io", warnings: []Warning{WarnNoRegistrableDomain}},
		{in: "https://intranet", unicodeHost: "intranet", warnings: []Warning{WarnNoRegistrableDomain}},
		{in: "https://203.0.113.7", unicodeHost: "203.0.113.7", warnings: []Warning{WarnIPAddress}},
		{in: "https://[2001:db8::1]:8443", unicodeHost: "[2001:db8::1]", port: "8443", warnings: []Warning{WarnIPAddress}},
		{in: "http://localhost:8080", unicodeHost: "localhost", port: "8080", warnings: []Warning{WarnDevelopment}},
		{in: "https://localhost", unicodeHost: "localhost", warnings: []Warning{WarnDevelopment}},
		{in: "http://127.0.0.1:3000", unicodeHost: "127.0.0.1", port: "3000", warnings: []Warning{WarnIPAddress, WarnDevelopment}},
		{in: "http://127.45.6.7", unicodeHost: "127.45.6.7", warnings: []Warning{WarnIPAddress, WarnDevelopment}},
		{in: "http://[::1]:5173", unicodeHost: "[::1]", port: "5173", warnings: []Warning{WarnIPAddress, WarnDevelopment}},
		{in: "https://[1:0:0:2::3]", unicodeHost: "[1:0:0:2::3]", warnings: []Warning{WarnIPAddress}},
		{in: "https://[1:2:3:4:5:6:7:8]", unicodeHost: "[1:2:3:4:5:6:7:8]", warnings: []Warning{WarnIPAddress}},
	}
	for _, tt := range tests {
		o, err := Analyze(tt.in)
		if err != nil {
			t.Errorf("Analyze(%q): %v", tt.in, err)
			continue
		}
		if o.UnicodeHost != tt.unicodeHost || o.Port != tt.port || o.RegistrableDomain != tt.reg ||
			o.RegistrableDomainASCII != tt.regA || o.LooksLike != tt.looksLike {
			t.Errorf("Analyze(%q) = host %q port %q reg %q/%q looks %q; want %q %q %q/%q %q", tt.in,
				o.UnicodeHost, o.Port, o.RegistrableDomain, o.RegistrableDomainASCII, o.LooksLike,
				tt.unicodeHost, tt.port, tt.reg, tt.regA, tt.looksLike)
		}
		if !reflect.DeepEqual(o.Warnings, tt.warnings) {
			t.Errorf("Analyze(%q) warnings = %v, want %v", tt.in, o.Warnings, tt.warnings)
		}
		if o.Serialized != tt.in || o.IDN != o.Has(WarnIDN) || o.Development != o.Has(WarnDevelopment) ||
			o.IPAddress != o.Has(WarnIPAddress) {
			t.Errorf("Analyze(%q) flags disagree with warnings: %+v", tt.in, o)
		}
	}
}

func TestAnalyzeRefuses(t *testing.T) {
	tests := []struct {
		in   string
		want *Error
	}{
		{"", ErrEmpty},
		{"https://" + strings.Repeat("a", MaxLength), ErrTooLong},
		{"null", ErrOpaque},
		{"example.com", ErrScheme},
		{"ftp://example.com", ErrScheme},
		{"chrome-extension://abcdefghijklmnopabcdefghijklmnop", ErrScheme},
		{"javascript://example.com", ErrScheme},
		{"HTTPS://example.com", ErrNotSerialized},
		{"http://example.com", ErrInsecure},
		{"http://192.168.1.10", ErrInsecure},
		{"http://[::ffff:7f00:1]", ErrHost}, // IPv4 dressed as IPv6: a second spelling
		// Accepted by browsers, refused by the login, as by its token
		// (host/relyingparty/authtoken): second spellings of a site.
		{"https://login.example.com.", ErrHost},
		{"https://my_host.example.com", ErrHost},
		{"https://-example.com", ErrHost},
		{"https://example-.com", ErrHost},
		{"http://localhost.example.com", ErrInsecure},
		{"https://user:pass@example.com", ErrUserinfo},
		{"https://example.com@evil.example", ErrUserinfo},
		{"https://evil.example/@example.com", ErrPath},
		{"https://example.com/", ErrPath},
		{"https://example.com/login", ErrPath},
		{"https://example.com?x", ErrPath},
		{"https://example.com#x", ErrPath},
		{"https://", ErrHost},
		{"https://:443", ErrHost},
		{"https://exa mple.com", ErrHost},
		{"https://例え.jp", ErrHost},
		{"https://a..b", ErrHost},
		{"https://" + strings.Repeat("a", 64) + ".com", ErrHost},
		{"https://[::1", ErrHost},
		{"https://[::1]x", ErrHost},
		{"https://[fe80::1%25eth0]", ErrHost},
		{"https://[1.2.3.4]", ErrHost},
		{"https://Example.com", ErrNotSerialized},
		{"https://example.com:", ErrNotSerialized},
		{"https://example.com:443", ErrNotSerialized},
		{"http://localhost:80", ErrNotSerialized},
		{"https://example.com:08443", ErrNotSerialized},
		{"https://0x7f.1", ErrNotSerialized},
		{"https://127.1", ErrNotSerialized},
		{"https://127.0.0.1.", ErrHost},
		{"https://[0:0::1]", ErrNotSerialized},
		{"https://[::FFFF:1]", ErrNotSerialized},
		{"https://[::ffff:1.2.3.4]", ErrNotSerialized},
		{"https://[1::2:3:4:5:6:7]", ErrNotSerialized},
		{"https://[1:0:0:2:0:0:0:3]", ErrNotSerialized},
		{"https://[::ffff:1.2.3]", ErrHost},
		{"https://[1:2:3:4:5:6:7:8:9]", ErrHost},
		{"https://[1:2:3:4:5:6:7]", ErrHost},
		{"https://[::1::]", ErrHost},
		{"https://[12345::]", ErrHost},
		{"https://[]", ErrHost},
		{"https://example.com:0", ErrPort},
		{"https://example.com:65536", ErrPort},
		{"https://example.com:http", ErrPort},
		{"https://xn--zz.com", ErrIDN},
		{"https://xn--abc-.com", ErrHost},            // a label ending in "-"
		{"https://xn--abcdef-re3c.com", ErrIDN},      // "abc∕def": a slash lookalike is not a letter
		{"https://xn--2-ieuwdvb0fc0h3f0.jp", ErrIDN}, // not canonical
	}
	for _, tt := range tests {
		o, err := Analyze(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("Analyze(%q) = %+v, %v; want %v", tt.in, o, err, tt.want.Reason)
		}
		var e *Error
		if errors.As(err, &e) && len(e.Origin) > 100 {
			t.Errorf("Analyze(%q): error quotes %d bytes of input", tt.in, len(e.Origin))
		}
	}
}

func TestErrorMessageNamesReasonAndInput(t *testing.T) {
	_, err := Analyze("https://example.com/path")
	if got, want := err.Error(), `origin: PATH: "https://example.com/path"`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}
