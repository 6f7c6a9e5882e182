package eip712

import (
	"errors"
	"strings"
	"testing"
)

// permit is an ERC-2612 Permit: the kind of typed data an attacker wants
// signed while the sheet shows something harmless.
const permit = `{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
"Permit":[{"name":"owner","type":"address"},{"name":"spender","type":"address"},{"name":"value","type":"uint256"},{"name":"nonce","type":"uint256"},{"name":"deadline","type":"uint256"}]},
"primaryType":"Permit","domain":{"name":"JPY Coin","version":"1","chainId":1337,"verifyingContract":"0xE7C3D8C9a439feDe00D2600032D5dB0Be71C3c29"},
"message":{"owner":"0x1111111111111111111111111111111111111111","spender":"0x2222222222222222222222222222222222222222","value":"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff","nonce":0,"deadline":"99999999999"}}`

// greeting is harmless typed data.
const greeting = `{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"Greeting":[{"name":"text","type":"string"}]},
"primaryType":"Greeting","domain":{"name":"Hello"},"message":{"text":"hi"}}`

func TestDecodeReadsValidTypedData(t *testing.T) {
	td, err := Decode(permit)
	if err != nil {
		t.Fatal(err)
	}
	if td.PrimaryType != "Permit" || len(td.Message.Children) != 5 || len(td.Domain.Children) != 4 {
		t.Fatalf("read %+v", td)
	}
	if v, _ := td.DomainField("chainId"); v != "1337" {
		t.Errorf("chainId %q", v)
	}
	if got := td.Message.Children[2].Value; got != "115792089237316195423570985008687907853269984665640564039457584007913129639935" {
		t.Errorf("value %q", got)
	}
	if got := td.Message.Children[4]; got.Name != "deadline" || got.Value != "99999999999" || got.Type != "uint256" {
		t.Errorf("deadline %+v", got)
	}
	if _, err := Decode(greeting); err != nil {
		t.Fatal(err)
	}
}

// TestDecodeRefusesEveryVariantTheSheetAndHostCouldReadApart: each text is
// one a lenient parser reads differently from another (the attack of a
// page that shows a greeting and gets a Permit signed), or one that is
// not EIP-712; all are refused, with the path that says where.
func TestDecodeRefusesEveryVariantTheSheetAndHostCouldReadApart(t *testing.T) {
	g := func(old, new string) string {
		if !strings.Contains(greeting, old) {
			t.Fatalf("greeting has no %q", old)
		}
		return strings.Replace(greeting, old, new, 1)
	}
	p := func(old, new string) string {
		if !strings.Contains(permit, old) {
			t.Fatalf("permit has no %q", old)
		}
		return strings.Replace(permit, old, new, 1)
	}
	tests := []struct {
		name, text, path, detail string
	}{
		// The review's attack: case-variant top-level members.
		{"PrimaryType beside primaryType", g(`"primaryType":"Greeting"`, `"primaryType":"Greeting","PrimaryType":"Permit"`), "", `unknown member "PrimaryType"`},
		{"Domain beside domain", g(`"domain":{"name":"Hello"}`, `"domain":{"name":"Hello"},"Domain":{"name":"JPY Coin"}`), "", `unknown member "Domain"`},
		{"Unicode-folded message", g(`"message":{"text":"hi"}`, `"message":{"text":"hi"},"me\u017f\u017fage":{"text":"x"}`), "", `unknown member "me\u017f\u017fage"`},
		{"Kelvin-sign types beside types", g(`"types"`, `"types":{},"\u212Aypes"`), "", `unknown member "\u212aypes"`},
		{"only case variant", g(`"primaryType"`, `"PRIMARYTYPE"`), "primaryType", "is missing"},
		// Exact duplicates at every level.
		{"duplicate top level", g(`"primaryType":"Greeting"`, `"primaryType":"Greeting","primaryType":"Greeting"`), "", "appears twice"},
		{"duplicate domain member", g(`"domain":{"name":"Hello"}`, `"domain":{"name":"Hello","name":"JPY Coin"}`), "", "appears twice"},
		{"duplicate message member", g(`{"text":"hi"}`, `{"text":"hi","text":"bye"}`), "", "appears twice"},
		{"duplicate type", g(`"Greeting":[{"name":"text","type":"string"}]`, `"Greeting":[{"name":"text","type":"string"}],"Greeting":[]`), "", "appears twice"},
		{"duplicate field entry member", g(`{"name":"text","type":"string"}`, `{"name":"text","type":"string","type":"uint256"}`), "", "appears twice"},
		{"duplicate field name", g(`{"name":"text","type":"string"}`, `{"name":"text","type":"string"},{"name":"text","type":"string"}`), "types.Greeting.1.name", "appears twice"},
		// Unknown members below the top.
		{"unknown domain member", g(`"domain":{"name":"Hello"}`, `"domain":{"name":"Hello","chainID":1}`), "domain", `unknown member "chainID"`},
		{"unknown message member", g(`{"text":"hi"}`, `{"text":"hi","Text":"x"}`), "message", `unknown member "Text"`},
		{"unknown field entry member", g(`{"name":"text","type":"string"}`, `{"name":"text","type":"string","note":""}`), "types.Greeting.0", "unknown member"},
		{"missing message member", g(`{"text":"hi"}`, `{}`), "message.text", "is missing"},
		// Types.
		{"no EIP712Domain", g(`"EIP712Domain":[{"name":"name","type":"string"}],`, ``), "types", "EIP712Domain is missing"},
		{"domain out of order", p(`{"name":"name","type":"string"},{"name":"version","type":"string"}`, `{"name":"version","type":"string"},{"name":"name","type":"string"}`), "types.EIP712Domain.1", "in that order"},
		{"domain field wrong type", g(`[{"name":"name","type":"string"}],"Greeting"`, `[{"name":"name","type":"bytes32"}],"Greeting"`), "types.EIP712Domain.0", "in that order"},
		{"domain foreign field", g(`[{"name":"name","type":"string"}],"Greeting"`, `[{"name":"name","type":"string"},{"name":"owner","type":"address"}],"Greeting"`), "types.EIP712Domain.1", "in that order"},
		{"unused type", g(`"Greeting":[`, `"Unused":[],"Greeting":[`), "types.Unused", "not used"},
		{"undefined type", g(`"type":"string"}]},`, `"type":"Mail"}]},`), "types.Greeting.0.type", "not a defined type"},
		{"atomic type name", g(`"Greeting":[`, `"uint256":[],"Greeting":[`), "types", "atomic type"},
		{"type name not identifier", g(`"Greeting"`, `"Greet ing"`), "types", "not an identifier"},
		{"bad size", g(`"type":"string"}]},`, `"type":"uint7"}]},`), "types.Greeting.0.type", "not a defined type"},
		{"bytes33", g(`"type":"string"}]},`, `"type":"bytes33"}]},`), "types.Greeting.0.type", "not a defined type"},
		{"array of zero", g(`"type":"string"}]},`, `"type":"string[0]"}]},`), "types.Greeting.0.type", "not a defined type"},
		{"array leading zero", g(`"type":"string"}]},`, `"type":"string[01]"}]},`), "types.Greeting.0.type", "not a defined type"},
		{"primaryType EIP712Domain", g(`"primaryType":"Greeting"`, `"primaryType":"EIP712Domain"`), "primaryType", "cannot be EIP712Domain"},
		{"primaryType unknown", g(`"primaryType":"Greeting"`, `"primaryType":"Permit"`), "primaryType", "not one of the types"},
		{"empty domain", g(`"EIP712Domain":[{"name":"name","type":"string"}]`, `"EIP712Domain":[]`), "domain", "unknown member"},
		// Values.
		{"null value", g(`"text":"hi"`, `"text":null`), "message.text", "got null"},
		{"bool as string", strings.NewReplacer(`"type":"string"}]},`, `"type":"bool"}]},`, `"text":"hi"`, `"text":"false"`).Replace(greeting), "message.text", "true or false"},
		{"uint over 2^256", p(`"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"`, `"0x1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"`), "message.value", "integer"},
		{"uint negative", p(`"nonce":0`, `"nonce":-1`), "message.nonce", "integer"},
		{"decimal string over 2^256", p(`"99999999999"`, `"`+strings.Repeat("9", 78)+`"`), "message.deadline", "integer"},
		{"number over 15 digits", p(`"nonce":0`, `"nonce":1234567890123456`), "", "more than 15 digits"},
		{"fraction", p(`"nonce":0`, `"nonce":1.0`), "", "not written as an integer"},
		{"exponent", p(`"nonce":0`, `"nonce":1e3`), "", "not written as an integer"},
		{"hex uppercase X", p(`"99999999999"`, `"0X1"`), "message.deadline", "integer"},
		{"plus sign", p(`"99999999999"`, `"+1"`), "message.deadline", "integer"},
		{"bad address", p(`"0x1111111111111111111111111111111111111111"`, `"0x111111111111111111111111111111111111111"`), "message.owner", "address"},
		{"chainId too large", p(`"chainId":1337`, `"chainId":"0x10000000000000000000000000000000000000000000000000000000000000000"`), "domain.chainId", "integer"},
		// JSON that JSON.parse and encoding/json read differently.
		{"lone high surrogate", g(`"hi"`, `"\ud800"`), "", "lone surrogate"},
		{"lone low surrogate", g(`"hi"`, `"\udc00x"`), "", "lone surrogate"},
		{"invalid UTF-8", g(`"hi"`, "\"\xff\""), "", "invalid UTF-8"},
		{"raw control character", g(`"hi"`, "\"a\x01\""), "", "control character"},
		{"trailing text", greeting + "{}", "", "text after"},
		{"trailing comma", g(`{"text":"hi"}`, `{"text":"hi",}`), "", "member name"},
		{"single quotes", g(`"hi"`, `'hi'`), "", "unexpected character"},
		{"BOM", "\ufeff" + greeting, "", "unexpected character"},
		{"leading zero", p(`"nonce":0`, `"nonce":01`), "", "leading zero"},
		{"too deep", strings.Repeat("[", 65) + strings.Repeat("]", 65), "", "nested more than 64"},
		{"not an object", `[]`, "", "not a JSON object"},
		{"too long", `"` + strings.Repeat("a", MaxBytes) + `"`, "", "over 32 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.text)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode accepted it (err %v)", err)
			}
			if e.Path != tt.path || !strings.Contains(e.Detail, tt.detail) {
				t.Errorf("error %q at %q; want %q at %q", e.Detail, e.Path, tt.detail, tt.path)
			}
		})
	}
}

func TestDecodeIntegerRanges(t *testing.T) {
	tests := []struct {
		typ, value, want string // want "" means refused
	}{
		{"uint8", `255`, "255"}, {"uint8", `256`, ""}, {"uint8", `"0xff"`, "255"}, {"uint8", `"0x0100"`, ""},
		{"int8", `127`, "127"}, {"int8", `128`, ""}, {"int8", `-128`, "-128"}, {"int8", `-129`, ""},
		{"int8", `"-128"`, "-128"}, {"int8", `"0x80"`, ""}, {"int8", `-0`, "0"}, {"int", `"-1"`, "-1"},
		{"int256", `"-57896044618658097711785492504343953926634992332820282019728792003956564819968"`, "-57896044618658097711785492504343953926634992332820282019728792003956564819968"},
		{"int256", `"57896044618658097711785492504343953926634992332820282019728792003956564819968"`, ""},
		{"uint", `"007"`, "7"}, {"uint256", `"0x"`, ""}, {"uint256", `""`, ""}, {"uint256", `true`, ""},
		{"bytes32", `"0x` + strings.Repeat("ab", 32) + `"`, "0x" + strings.Repeat("ab", 32)},
		{"bytes32", `"0x` + strings.Repeat("ab", 31) + `"`, ""}, {"bytes", `"0x"`, "0x"}, {"bytes", `"0x1"`, ""},
		{"bytes1", `"0x01"`, "0x01"}, {"string", `"\u00e9\n"`, "é\n"}, {"string", `1`, ""},
	}
	for _, tt := range tests {
		text := `{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"T":[{"name":"v","type":"` + tt.typ + `"}]},"primaryType":"T","domain":{"name":"x"},"message":{"v":` + tt.value + `}}`
		td, err := Decode(text)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%s %s accepted as %q", tt.typ, tt.value, td.Message.Children[0].Value)
		case tt.want != "" && err != nil:
			t.Errorf("%s %s refused: %v", tt.typ, tt.value, err)
		case tt.want != "" && td.Message.Children[0].Value != tt.want:
			t.Errorf("%s %s read as %q, want %q", tt.typ, tt.value, td.Message.Children[0].Value, tt.want)
		}
	}
}

func TestDecodeArraysAndNestedStructs(t *testing.T) {
	text := `{"types":{"EIP712Domain":[{"name":"chainId","type":"uint256"}],
"Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person[]"},{"name":"grid","type":"uint8[2][]"}],
"Person":[{"name":"name","type":"string"},{"name":"wallets","type":"address[]"}]},
"primaryType":"Mail","domain":{"chainId":"0x539"},
"message":{"from":{"name":"Cow","wallets":[]},"to":[{"name":"Bob","wallets":["0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"]}],"grid":[[1,2],[3,4],[5,6]]}}`
	td, err := Decode(text)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := td.DomainField("chainId"); v != "1337" {
		t.Errorf("chainId %q", v)
	}
	grid := td.Message.Children[2]
	if len(grid.Children) != 3 || grid.Children[2].Type != "uint8[2]" || grid.Children[2].Children[1].Value != "6" {
		t.Errorf("grid %+v", grid)
	}
	if _, err := Decode(strings.Replace(text, `[5,6]`, `[5,6,7]`, 1)); err == nil || err.(*Error).Path != "message.grid.2" {
		t.Errorf("a uint8[2] of 3 items: %v", err)
	}
	// A recursive type is legal EIP-712; its depth is bounded.
	rec := `{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"N":[{"name":"next","type":"N[]"}]},"primaryType":"N","domain":{"name":"x"},"message":` +
		strings.Repeat(`{"next":[`, 20) + strings.Repeat(`]}`, 20) + `}`
	if _, err := Decode(rec); err == nil || !strings.Contains(err.Error(), "too deep") {
		t.Errorf("20 levels of recursion: %v", err)
	}
}

func TestQuoteShowsEveryCharacter(t *testing.T) {
	for in, want := range map[string]string{
		"abc":                   `"abc"`,
		"me\u017fage":           `"me\u017fage"`,
		"a\u202eb":              `"a\u202eb"`,
		"\U0001F600":            `"\u{01f600}"`,
		`q"\`:                   `"q\u0022\u005c"`,
		strings.Repeat("x", 41): `"` + strings.Repeat("x", 40) + `…"`,
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}
