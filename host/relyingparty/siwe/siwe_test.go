package siwe_test

import (
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/siwe"
)

// EIP-4361's example message, with every optional field.
const full = `https://example.com wants you to sign in with your Ethereum account:
0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2

I accept the ExampleOrg Terms of Service: https://example.com/tos

URI: https://example.com/login
Version: 1
Chain ID: 1
Nonce: 32891756
Issued At: 2021-09-30T16:25:24Z
Expiration Time: 2021-10-01T16:25:24.5+09:00
Not Before: 2021-09-30T16:25:24Z
Request ID: req-1%20a
Resources:
- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/
- https://example.com/my-web2-claim.json`

const minimal = `127.0.0.1:8765 wants you to sign in with your Ethereum account:
0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2


URI: http://127.0.0.1:8765
Version: 1
Chain ID: 1337
Nonce: abcdefgh
Issued At: 2027-01-01T00:00:00Z`

func TestParse(t *testing.T) {
	m, err := siwe.Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	want := &siwe.Message{
		Scheme:         "https",
		Domain:         "example.com",
		Address:        mustAddress(t, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"),
		Statement:      "I accept the ExampleOrg Terms of Service: https://example.com/tos",
		URI:            "https://example.com/login",
		Version:        "1",
		ChainID:        1,
		Nonce:          "32891756",
		IssuedAt:       time.Date(2021, 9, 30, 16, 25, 24, 0, time.UTC),
		ExpirationTime: time.Date(2021, 10, 1, 7, 25, 24, 5e8, time.UTC),
		NotBefore:      time.Date(2021, 9, 30, 16, 25, 24, 0, time.UTC),
		RequestID:      "req-1%20a",
		Resources:      []string{"ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/", "https://example.com/my-web2-claim.json"},
	}
	if err := siwe.Compare(want, m); err != nil || m.Scheme != want.Scheme || m.ChainID != want.ChainID {
		t.Errorf("Parse(full) = %+v: %v", m, err)
	}
	if got := m.String(); got != full {
		t.Errorf("String() = %q, want the message parsed", got)
	}
	m, err = siwe.Parse(minimal)
	if err != nil {
		t.Fatal(err)
	}
	if m.Statement != "" || m.Domain != "127.0.0.1:8765" || m.ChainID != 1337 || m.String() != minimal {
		t.Errorf("Parse(minimal) = %+v", m)
	}
}

func TestParseRejects(t *testing.T) {
	line := func(old, new string) string { return strings.Replace(full, old, new, 1) }
	tests := []struct{ name, msg string }{
		{"empty", ""},
		{"CRLF line ends", strings.ReplaceAll(full, "\n", "\r\n")},
		{"trailing newline", full + "\n"},
		{"no header", line(" wants you to sign in", " wants you to log in")},
		{"user information in the domain", line("https://example.com wants", "https://user@example.com wants")},
		{"a path in the domain", line("https://example.com wants", "https://example.com/x wants")},
		{"an empty port", line("https://example.com wants", "https://example.com: wants")},
		{"a port too large", line("https://example.com wants", "https://example.com:65536 wants")},
		{"a bad scheme", line("https://example.com wants", "1ttps://example.com wants")},
		{"address not checksummed", line("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2")},
		{"address too short", line("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc")},
		{"no blank line after the address", line("Cc2\n\n", "Cc2\n")},
		{"a statement with a newline", line("Terms of Service:", "Terms\nof Service:")},
		{"a statement with non-ASCII", line("ExampleOrg", "ExampleOrg へ")},
		{"no blank line after the statement", line("tos\n\n", "tos\n")},
		{"URI relative", line("URI: https://example.com/login", "URI: /login")},
		{"URI with a space", line("URI: https://example.com/login", "URI: https://example.com/lo gin")},
		{"version 2", line("Version: 1", "Version: 2")},
		{"chain id 0", line("Chain ID: 1", "Chain ID: 0")},
		{"chain id with a leading zero", line("Chain ID: 1", "Chain ID: 01")},
		{"chain id too large", line("Chain ID: 1", "Chain ID: 99999999999999999999")},
		{"nonce too short", line("Nonce: 32891756", "Nonce: 3289175")},
		{"nonce with a dash", line("Nonce: 32891756", "Nonce: 3289-1756")},
		{"issued at without a zone", line("Issued At: 2021-09-30T16:25:24Z", "Issued At: 2021-09-30T16:25:24")},
		{"issued at hour 24", line("Issued At: 2021-09-30T16:25:24Z", "Issued At: 2021-09-30T24:00:00Z")},
		{"fields out of order", line("Version: 1\nChain ID: 1", "Chain ID: 1\nVersion: 1")},
		{"a field twice", line("Nonce: 32891756", "Nonce: 32891756\nNonce: 32891756")},
		{"an unknown field", line("Request ID: req-1%20a", "Request ID: req-1%20a\nColour: blue")},
		{"resources: empty", line("Resources:\n- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/\n- https://example.com/my-web2-claim.json", "Resources:")},
		{"resources: not a URI", line("- https://example.com/my-web2-claim.json", "- my web2 claim")},
		{"request id with a space", line("Request ID: req-1%20a", "Request ID: req 1")},
		{"too long", line("tos\n", "tos"+strings.Repeat("s", 20000)+"\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m, err := siwe.Parse(tt.msg); err == nil {
				t.Errorf("Parse accepted it: %+v", m)
			}
		})
	}
}

func TestNew(t *testing.T) {
	now := time.Date(2027, 1, 1, 9, 0, 0, 123456789, time.FixedZone("JST", 9*3600))
	addr := siwe.Address{19: 0xaa}
	m, err := siwe.New("http://127.0.0.1:8765", addr, 1337, "Sign in to test - sign.", now, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if m.Domain != "127.0.0.1:8765" || m.URI != "http://127.0.0.1:8765" || m.Version != "1" || m.ChainID != 1337 || m.Address != addr {
		t.Errorf("New = %+v", m)
	}
	if want := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC); m.IssuedAt != want || m.ExpirationTime != want.Add(5*time.Minute) {
		t.Errorf("issued %v, expires %v", m.IssuedAt, m.ExpirationTime)
	}
	if len(m.Nonce) < 8 {
		t.Errorf("nonce %q", m.Nonce)
	}
	if other, _ := siwe.New("http://127.0.0.1:8765", addr, 1337, "", now, time.Minute); other.Nonce == m.Nonce {
		t.Error("two messages have one nonce")
	}
	for _, bad := range []struct{ origin, statement string }{
		{"http://127.0.0.1:8765/path", ""},
		{"127.0.0.1:8765", ""},
		{"http://127.0.0.1:8765", "ようこそ"},
	} {
		if _, err := siwe.New(bad.origin, addr, 1, bad.statement, now, time.Minute); err == nil {
			t.Errorf("New(%q, statement %q) succeeded", bad.origin, bad.statement)
		}
	}
}

// A message that parses reads back the same from its String form, and the other way round.
func FuzzParse(f *testing.F) {
	f.Add(full)
	f.Add(minimal)
	f.Add(strings.Replace(minimal, "+", "", 1))
	f.Add("a wants you to sign in with your Ethereum account:\n0x0000000000000000000000000000000000000000\n\nx\n\nURI: a:\nVersion: 1\nChain ID: 1\nNonce: 00000000\nIssued At: 2000-01-01T00:00:00+01:00\nResources:\n- a:b")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := siwe.Parse(s)
		if err != nil {
			return
		}
		again, err := siwe.Parse(m.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %+v, whose String %q does not parse: %v", s, m, m.String(), err)
		}
		if err := siwe.Compare(m, again); err != nil || m.Scheme != again.Scheme || !reflect.DeepEqual(m.Resources, again.Resources) {
			t.Fatalf("%q → %+v → %q → %+v (%v)", s, m, m.String(), again, err)
		}
		if again.String() != m.String() {
			t.Fatalf("String is not stable: %q, then %q", m.String(), again.String())
		}
	})
}

// Compare names the first field that differs, in the order a relying party cares about.
func TestCompare(t *testing.T) {
	issued, err := siwe.Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(m *siwe.Message)
		want error
	}{
		{"the same", func(*siwe.Message) {}, nil},
		{"domain", func(m *siwe.Message) { m.Domain = "evil.example" }, siwe.ErrWrongDomain},
		{"scheme", func(m *siwe.Message) { m.Scheme = "http" }, siwe.ErrWrongDomain},
		{"URI", func(m *siwe.Message) { m.URI = "https://example.com/other" }, siwe.ErrWrongURI},
		{"chain", func(m *siwe.Message) { m.ChainID = 5 }, siwe.ErrWrongChain},
		{"nonce", func(m *siwe.Message) { m.Nonce = "00000000" }, siwe.ErrWrongNonce},
		{"address", func(m *siwe.Message) { m.Address = siwe.Address{1} }, siwe.ErrWrongAddress},
		{"domain before address", func(m *siwe.Message) { m.Address = siwe.Address{1}; m.Domain = "x" }, siwe.ErrWrongDomain},
		{"statement", func(m *siwe.Message) { m.Statement = "Pay" }, siwe.ErrAltered},
		{"issued at", func(m *siwe.Message) { m.IssuedAt = m.IssuedAt.Add(time.Second) }, siwe.ErrAltered},
		{"expiration", func(m *siwe.Message) { m.ExpirationTime = time.Time{} }, siwe.ErrAltered},
		{"not before", func(m *siwe.Message) { m.NotBefore = m.NotBefore.Add(-time.Hour) }, siwe.ErrAltered},
		{"request id", func(m *siwe.Message) { m.RequestID = "" }, siwe.ErrAltered},
		{"resources", func(m *siwe.Message) { m.Resources = m.Resources[:1] }, siwe.ErrAltered},
		{"the same instant in another zone", func(m *siwe.Message) { m.IssuedAt = m.IssuedAt.In(time.FixedZone("JST", 9*3600)) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := siwe.Parse(full)
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(got)
			if err := siwe.Compare(issued, got); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Compare = %v, want %v", err, tt.want)
			}
		})
	}
}

func mustAddress(t *testing.T, s string) siwe.Address {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 20 {
		t.Fatalf("bad address %q", s)
	}
	return siwe.Address(b)
}

// The examples of EIP-55 itself.
func TestAddressHexIsEIP55(t *testing.T) {
	for _, want := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
		"0x52908400098527886E0F7030069857D2E4169EE7",
		"0xde709f2102306220921060314715629080e2fb77",
	} {
		if got := mustAddress(t, want).Hex(); got != want {
			t.Errorf("Hex() = %s, want %s", got, want)
		}
	}
}
