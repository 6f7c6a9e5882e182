package ethsheet

import (
	"encoding/hex"
	"strings"
	"testing"
)

func hexOf(s string) string { return "0x" + hex.EncodeToString([]byte(s)) }

const siweBody = " wants you to sign in with your Ethereum account:\n" + account + "\n\nSign in to Example.\n\n" +
	"URI: %URI%\nVersion: 1\nChain ID: 1337\nNonce: 32891756\nIssued At: 2026-01-01T00:00:00Z"

func siwe(domain, uri string) string { return domain + strings.Replace(siweBody, "%URI%", uri, 1) }

func TestMessage(t *testing.T) {
	tests := []struct {
		name, origin, message string
		encoding, shown       string
		siwe, mismatch        bool
		warning, badge        string
	}{
		{"empty", "https://example.com", "0x", "text", "（空のメッセージ）", false, false, "", ""},
		{"text with newlines", "https://example.com", hexOf("こんにちは\nline 2\r\n\tend"), "text", "こんにちは\nline 2\r\n\tend", false, false, "", ""},
		{"binary", "https://example.com", "0xdeadbeef00", "hex", "0xdeadbeef00", false, false, "BINARY_MESSAGE", ""},
		{"invalid UTF-8", "https://example.com", hexOf("abc\xff"), "hex", hexOf("abc\xff"), false, false, "BINARY_MESSAGE", ""},
		{"NUL", "https://example.com", hexOf("pay\x00 1"), "hex", hexOf("pay\x00 1"), false, false, "BINARY_MESSAGE", ""},
		{"escape", "https://example.com", hexOf("a\x1b[2Jb"), "hex", hexOf("a\x1b[2Jb"), false, false, "BINARY_MESSAGE", ""},
		{"C1 control", "https://example.com", hexOf("a\u0085b"), "hex", hexOf("a\u0085b"), false, false, "BINARY_MESSAGE", ""},
		{"bidi override", "https://example.com", hexOf("send \u202e0001 yen"), "hex", hexOf("send \u202e0001 yen"), false, false, "BINARY_MESSAGE", ""},
		{"SIWE for this site", "https://example.com", hexOf(siwe("example.com", "https://example.com/login")),
			"text", siwe("example.com", "https://example.com/login"), true, false, "", "example.comへのログイン"},
		{"SIWE with scheme and port", "http://localhost:3000", hexOf(siwe("http://localhost:3000", "http://localhost:3000/")),
			"text", "", true, false, "", "localhostへのログイン"},
		{"SIWE URI with the default port", "https://example.com", hexOf(siwe("example.com", "https://EXAMPLE.com:443/x")),
			"text", "", true, false, "", "example.comへのログイン"},
		{"SIWE in Unicode", "https://xn--r8jz45g.jp", hexOf(siwe("例え.jp", "https://xn--r8jz45g.jp")),
			"text", "", true, false, "IDN", "例え.jpへのログイン"},
		{"SIWE for another site", "https://evil.example", hexOf(siwe("bank.example", "https://bank.example/login")),
			"text", "", true, true, "SIWE_MISMATCH", ""},
		{"SIWE domain right, URI elsewhere", "https://example.com", hexOf(siwe("example.com", "https://bank.example/")),
			"text", "", true, true, "SIWE_MISMATCH", ""},
		{"SIWE on another port", "https://example.com", hexOf(siwe("example.com:8443", "https://example.com:8443/")),
			"text", "", true, true, "SIWE_MISMATCH", ""},
		{"SIWE with the wrong scheme", "http://localhost", hexOf(siwe("https://localhost", "http://localhost/")),
			"text", "", true, true, "SIWE_MISMATCH", ""},
		{"SIWE with userinfo in the URI", "https://example.com", hexOf(siwe("example.com", "https://example.com@bank.example/")),
			"text", "", true, true, "SIWE_MISMATCH", ""},
		{"SIWE without a URI", "https://example.com", hexOf("example.com" + siweHeader + "\n" + account),
			"text", "", true, true, "SIWE_MISMATCH", ""},
		{"SIWE with CRLF", "https://example.com", hexOf("example.com" + siweHeader + "\r\n" + account + "\r\nURI: https://example.com\r\n"),
			"text", "", true, false, "", "example.comへのログイン"},
		{"not SIWE: header not on the first line", "https://example.com", hexOf("hello\nexample.com" + siweHeader),
			"text", "", false, false, "", ""},
	}
	for _, tt := range tests {
		s, err := Message(request(t, tt.origin, "ja"), tt.message)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if s.Encoding != tt.encoding || s.SIWE != tt.siwe || s.SIWEMismatch != tt.mismatch || codes(s) != tt.warning {
			t.Errorf("%s: encoding %s siwe %v mismatch %v warnings %q; want %s %v %v %q",
				tt.name, s.Encoding, s.SIWE, s.SIWEMismatch, codes(s), tt.encoding, tt.siwe, tt.mismatch, tt.warning)
		}
		if want := (len(tt.message) - 2) / 2; s.Bytes != want {
			t.Errorf("%s: %d bytes, want %d", tt.name, s.Bytes, want)
		}
		if got := s.Sent[0].Fields[0].Value; tt.shown != "" && got != tt.shown {
			t.Errorf("%s: shown %q, want %q", tt.name, got, tt.shown)
		}
		badge := ""
		for _, b := range s.Header.Badges {
			if b.Key == "siwe-login" {
				badge = b.Text
			}
		}
		if badge != tt.badge {
			t.Errorf("%s: login badge %q, want %q", tt.name, badge, tt.badge)
		}
	}
}

func TestMessageMismatchNamesTheDomain(t *testing.T) {
	s, err := Message(request(t, "https://evil.example", "en"), hexOf(siwe("bank.example\u202e", "https://bank.example")))
	if err != nil {
		t.Fatal(err)
	}
	// The bidi control makes the whole message hex: no SIWE reading at all.
	if s.Encoding != "hex" || s.SIWE {
		t.Errorf("a message with a bidi control read as %s, siwe %v", s.Encoding, s.SIWE)
	}
	s, _ = Message(request(t, "https://evil.example", "en"), hexOf(siwe("bank.example", "https://bank.example")))
	w := s.Header.Warnings[0]
	if w.Detail.Before+w.Detail.Value+w.Detail.After != "This message logs in to “bank.example”." || w.Severity != "danger" {
		t.Errorf("warning %+v", w)
	}
}

func TestMessageRefused(t *testing.T) {
	for _, m := range []string{"", "hello", "0x1", "0xzz", "deadbeef", "0x" + string(make([]byte, 2*MaxBytes+2))} {
		_, err := Message(request(t, "https://example.com", "ja"), m)
		if e, ok := err.(*Error); !ok || e.Reason != ReasonBadMessage {
			t.Errorf("Message(%.20q): %v, want BAD_MESSAGE", m, err)
		}
	}
}

func TestVisible(t *testing.T) {
	if got := visible("a\u202eb\x00c\nd"); got != `a\u202eb\u0000c`+"\nd" {
		t.Errorf("visible = %q", got)
	}
}
