package ethsheet

import (
	"github.com/mynaconnect/mynaconnect/wasm/ethtext"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mynaconnect/mynaconnect/wasm/origin"
)

// FuzzDecodeCall: any call data either decodes to a kind whose arguments
// are really in it, or is refused with BAD_CALLS; nothing panics.
func FuzzDecodeCall(f *testing.F) {
	f.Add(bob, "0x1", "0x")
	f.Add(jpyc, "", "0xa9059cbb"+word32(bob[2:])+word32("3e8"))
	f.Add(jpyc, "0x0", "0x095ea7b3"+word32(bob[2:])+strings.Repeat("f", 64))
	f.Add(jpyc, "", "0x23b872dd"+word32(bob[2:])+word32(other[2:])+word32("1"))
	f.Add(account, "", "0x1234")
	f.Add(recoveryAddr, "", setGuardiansData(1, 0, bob, other))
	f.Add(recoveryAddr, "", "0x0ba234d6")
	f.Fuzz(func(t *testing.T, to, value, data string) {
		r := Request{Self: true, Account: account, Chain: devChain, Protection: &Protection{Recovery: recoveryAddr}}
		c, err := decodeCall(CallInput{To: to, Value: value, Data: data}, &r)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Reason != ReasonBadCalls {
				t.Fatalf("error %v is not BAD_CALLS", err)
			}
			return
		}
		switch c.Kind {
		case KindNative:
			if len(c.data) != 0 || c.Amount == "" {
				t.Fatalf("native call %+v", c)
			}
		case KindTransfer, KindApprove, KindTransferFrom:
			want := 68
			if c.Kind == KindTransferFrom {
				want = 100
			}
			if len(c.data) != want || !strings.Contains(strings.ToLower(data), strings.TrimPrefix(c.Recipient+c.Spender, "0x")) {
				t.Fatalf("%s from %d bytes of data: %+v", c.Kind, len(c.data), c)
			}
		case KindSelf:
			if !sameFold(to, account) {
				t.Fatalf("self call to %s", to)
			}
		case KindSetGuardians:
			if !sameFold(to, recoveryAddr) || c.Threshold < 1 || c.Threshold > len(c.Guardians) ||
				strings.ToLower(data) != strings.ToLower(setGuardiansData(c.Threshold, int(c.Delay), c.Guardians...)) {
				t.Fatalf("setGuardians from %x: %+v", c.data, c)
			}
		case KindCancelRecovery, KindCancelGuardiansChange:
			if !sameFold(to, recoveryAddr) || len(c.data) != 4 {
				t.Fatalf("%s from %x", c.Kind, c.data)
			}
		case KindUnknown:
		default:
			t.Fatalf("kind %q", c.Kind)
		}
		if data != "" && ethtext.EncodeHex(c.data) != strings.ToLower(data) {
			t.Fatalf("data %q read as %x", data, c.data)
		}
	})
}

// FuzzMessage: a message is text exactly when it is valid UTF-8 without
// hidden characters; the bytes count is the input's; SIWE is only ever
// read from text.
func FuzzMessage(f *testing.F) {
	f.Add([]byte("hello\nworld"))
	f.Add([]byte{0xde, 0xad, 0, 0xff})
	f.Add([]byte(siwe("example.com", "https://example.com")))
	f.Add([]byte("a\u202eb"))
	r := request(f, "https://example.com", "ja")
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > MaxBytes {
			return
		}
		s, err := Message(r, ethtext.EncodeHex(b))
		if err != nil {
			t.Fatal(err)
		}
		text := utf8.Valid(b) && !strings.ContainsFunc(string(b), hidden)
		if (s.Encoding == "text") != text || s.Bytes != len(b) || (s.SIWE && !text) || (s.SIWEMismatch && !s.SIWE) {
			t.Fatalf("%q: encoding %s bytes %d siwe %v/%v", b, s.Encoding, s.Bytes, s.SIWE, s.SIWEMismatch)
		}
	})
}

// FuzzSIWE: whatever the message says, a match means its domain and URI
// name the origin's host.
func FuzzSIWE(f *testing.F) {
	f.Add("example.com", "https://example.com/login", "https://example.com")
	f.Add("localhost:3000", "http://localhost:3000", "http://localhost:3000")
	f.Add("bank.example", "https://bank.example", "https://evil.example")
	f.Fuzz(func(t *testing.T, domain, uri, o string) {
		a, err := origin.Analyze(o)
		if err != nil {
			return
		}
		text := domain + siweHeader + "\n" + account + "\n\nURI: " + uri + "\n"
		d, u, ok := parseSIWE(text)
		if !ok {
			if !strings.Contains(domain, "\n") && !strings.Contains(domain, "\r") {
				t.Fatalf("not read as SIWE: %q", text)
			}
			return
		}
		if siweMatches(d, u, a) && !strings.Contains(strings.ToLower(d), strings.ToLower(a.ASCIIHost)) &&
			!strings.Contains(d, a.UnicodeHost) {
			t.Fatalf("domain %q matched %s", d, o)
		}
	})
}
