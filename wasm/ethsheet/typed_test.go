package ethsheet

import (
	"strings"
	"testing"
)

const mail = `{
  "types": {
    "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
      {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
    "Person": [{"name": "name", "type": "string"}, {"name": "wallets", "type": "address[]"}],
    "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person[2]"},
      {"name": "contents", "type": "string"}, {"name": "amount", "type": "uint256"},
      {"name": "delta", "type": "int64"}, {"name": "ok", "type": "bool"}, {"name": "tag", "type": "bytes4"},
      {"name": "blob", "type": "bytes"}]
  },
  "primaryType": "Mail",
  "domain": {"name": "Ether Mail", "version": "1", "chainId": %CHAIN%,
    "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
  "message": {
    "from": {"name": "Cow", "wallets": ["0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"]},
    "to": [{"name": "Bob", "wallets": []}, {"name": "Alice\n\u202eevil", "wallets": ["0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB", "0xB0B0b0b0b0b0B000000000000000000000000000"]}],
    "contents": "Hello, Bob!", "amount": "1000000000000000000000", "delta": -42, "ok": true,
    "tag": "0x12345678", "blob": "0x"
  }
}`

func typed(chain string) string { return strings.Replace(mail, "%CHAIN%", chain, 1) }

func TestTypedData(t *testing.T) {
	s, err := TypedData(request(t, "https://example.com", "ja"), typed("1337"), fromJSON)
	if err != nil {
		t.Fatal(err)
	}
	if s.PrimaryType != "Mail" || s.VerifyingContract != "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC" ||
		s.DomainChainID != 1337 || !s.HasDomainChainID || s.ChainMismatch || codes(s) != "" {
		t.Errorf("sheet %+v", s)
	}
	fields := map[string]string{}
	for _, f := range s.Sent[0].Fields {
		fields[f.Key] = f.Value
	}
	if fields["domainName"] != "Ether Mail" || fields["domainVersion"] != "1" ||
		fields["domainChainId"] != "MynaConnect dev chain（チェーンID 1337）" || fields["primaryType"] != "Mail" {
		t.Errorf("domain fields %q", fields)
	}
	got := map[string]string{}
	var walk func(e *Entry)
	walk = func(e *Entry) {
		got[e.Path] = e.Name + "=" + e.Value
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(s.Sent[0].Tree)
	want := map[string]string{
		"":               "Mail=",
		"from":           "from=",
		"from.name":      "name=Cow",
		"from.wallets":   "wallets=",
		"from.wallets.0": "1=0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
		"to":             "to=",
		"to.0":           "1=",
		"to.0.name":      "name=Bob",
		"to.0.wallets":   "wallets=",
		"to.1":           "2=",
		"to.1.name":      `name=Alice` + "\n" + `\u202eevil`,
		"to.1.wallets":   "wallets=",
		"to.1.wallets.0": "1=0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB",
		"to.1.wallets.1": "2=0xB0B0b0b0b0b0B000000000000000000000000000",
		"contents":       "contents=Hello, Bob!",
		"amount":         "amount=1,000,000,000,000,000,000,000",
		"delta":          "delta=-42",
		"ok":             "ok=true",
		"tag":            "tag=0x12345678",
		"blob":           "blob=0x",
	}
	if len(got) != len(want) {
		t.Errorf("%d entries, want %d: %q", len(got), len(want), got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("entry %q = %q, want %q", k, got[k], v)
		}
	}
}

func TestTypedDataChain(t *testing.T) {
	tests := []struct {
		chain    string
		mismatch bool
		shown    string
	}{
		{"1337", false, "MynaConnect dev chain (chain ID 1337)"},
		{`"1337"`, false, "MynaConnect dev chain (chain ID 1337)"},
		{`"0x539"`, false, "MynaConnect dev chain (chain ID 1337)"},
		{"1", true, "1 (not the network you are using)"},
		{`"9007199254740992"`, true, "9007199254740992 (not the network you are using)"},
	}
	for _, tt := range tests {
		s, err := TypedData(request(t, "https://example.com", "en"), typed(tt.chain), fromJSON)
		if err != nil {
			t.Errorf("chainId %s: %v", tt.chain, err)
			continue
		}
		if s.ChainMismatch != tt.mismatch || s.Sent[0].Fields[2].Value != tt.shown {
			t.Errorf("chainId %s: mismatch %v, shown %q", tt.chain, s.ChainMismatch, s.Sent[0].Fields[2].Value)
		}
		if tt.mismatch && (codes(s) != "CHAIN_MISMATCH" || s.Header.Warnings[0].Severity != "danger") {
			t.Errorf("chainId %s: warnings %q", tt.chain, codes(s))
		}
	}
	// No chainId in the domain: nothing to compare.
	s, err := TypedData(request(t, "https://example.com", "ja"), strings.Replace(typed("1"), `"chainId": 1,`, "", 1), fromJSON)
	if err != nil || s.HasDomainChainID || s.ChainMismatch {
		t.Errorf("no chainId: %v %+v", err, s)
	}
}

func TestTypedDataRefused(t *testing.T) {
	tests := []struct{ name, text string }{
		{"16 digits", typed("1234567890123456")},
		{"fraction", typed("1.0")},
		{"exponent", typed("1e3")},
		{"negative exponent", typed("-1E-3")},
		{"big amount as a number", strings.Replace(typed("1"), `"1000000000000000000000"`, "1000000000000000000000", 1)},
		{"not JSON", "{"},
		{"not an object", "[]"},
		{"no types", `{"primaryType": "A", "domain": {}, "message": {}}`},
		{"no primaryType", `{"types": {"A": []}, "domain": {}, "message": {}}`},
		{"no domain", `{"types": {"A": []}, "primaryType": "A", "message": {}}`},
		{"no message", `{"types": {"A": []}, "primaryType": "A", "domain": {}}`},
		{"primaryType not in types", `{"types": {"A": []}, "primaryType": "B", "domain": {}, "message": {}}`},
		{"types entry without type", `{"types": {"A": [{"name": "x"}]}, "primaryType": "A", "domain": {}, "message": {"x": 1}}`},
		{"missing field", `{"types": {"A": [{"name": "x", "type": "uint8"}]}, "primaryType": "A", "domain": {}, "message": {}}`},
		{"undefined type", `{"types": {"A": [{"name": "x", "type": "Foo"}]}, "primaryType": "A", "domain": {}, "message": {"x": 1}}`},
		{"bad address", `{"types": {"A": [{"name": "x", "type": "address"}]}, "primaryType": "A", "domain": {}, "message": {"x": "0x12"}}`},
		{"bytes4 of 3 bytes", `{"types": {"A": [{"name": "x", "type": "bytes4"}]}, "primaryType": "A", "domain": {}, "message": {"x": "0x123456"}}`},
		{"bytes33", `{"types": {"A": [{"name": "x", "type": "bytes33"}]}, "primaryType": "A", "domain": {}, "message": {"x": "0x00"}}`},
		{"uint7", `{"types": {"A": [{"name": "x", "type": "uint7"}]}, "primaryType": "A", "domain": {}, "message": {"x": 1}}`},
		{"uint08", `{"types": {"A": [{"name": "x", "type": "uint08"}]}, "primaryType": "A", "domain": {}, "message": {"x": 1}}`},
		{"int264", `{"types": {"A": [{"name": "x", "type": "int264"}]}, "primaryType": "A", "domain": {}, "message": {"x": 1}}`},
		{"uint+8", `{"types": {"A": [{"name": "x", "type": "uint+8"}]}, "primaryType": "A", "domain": {}, "message": {"x": 1}}`},
		{"negative uint", `{"types": {"A": [{"name": "x", "type": "uint8"}]}, "primaryType": "A", "domain": {}, "message": {"x": -1}}`},
		{"uint as words", `{"types": {"A": [{"name": "x", "type": "uint8"}]}, "primaryType": "A", "domain": {}, "message": {"x": "ten"}}`},
		{"bool as string", `{"types": {"A": [{"name": "x", "type": "bool"}]}, "primaryType": "A", "domain": {}, "message": {"x": "true"}}`},
		{"fixed array of the wrong length", `{"types": {"A": [{"name": "x", "type": "uint8[2]"}]}, "primaryType": "A", "domain": {}, "message": {"x": [1]}}`},
		{"array that is not", `{"types": {"A": [{"name": "x", "type": "uint8[]"}]}, "primaryType": "A", "domain": {}, "message": {"x": 1}}`},
		{"bad verifyingContract", `{"types": {"A": []}, "primaryType": "A", "domain": {"verifyingContract": "0x1"}, "message": {}}`},
		{"bad chainId", `{"types": {"A": []}, "primaryType": "A", "domain": {"chainId": "one"}, "message": {}}`},
		{"negative chainId", `{"types": {"A": []}, "primaryType": "A", "domain": {"chainId": -1}, "message": {}}`},
		{"chainId over 2^53", `{"types": {"A": []}, "primaryType": "A", "domain": {"chainId": "9007199254740993"}, "message": {}}`},
		{"chainId of 17 digits", `{"types": {"A": []}, "primaryType": "A", "domain": {"chainId": "0x1000000000000000"}, "message": {}}`},
		{"bad salt", `{"types": {"A": []}, "primaryType": "A", "domain": {"salt": "0x01"}, "message": {}}`},
		{"self-nesting too deep", `{"types": {"A": [{"name": "a", "type": "A[]"}]}, "primaryType": "A", "domain": {}, "message": ` +
			strings.Repeat(`{"a": [`, 40) + strings.Repeat(`]}`, 40) + `}`},
		{"too large", `{"x": "` + strings.Repeat("a", MaxBytes) + `"}`},
	}
	for _, tt := range tests {
		_, err := TypedData(request(t, "https://example.com", "ja"), tt.text, fromJSON)
		if e, ok := err.(*Error); !ok || e.Reason != ReasonBadTypedData {
			t.Errorf("%s: %v, want BAD_TYPED_DATA", tt.name, err)
		}
	}
}

func TestScanNumbers(t *testing.T) {
	tests := []struct {
		text string
		ok   bool
	}{
		{`{"a": 123456789012345, "b": -123456789012345, "c": 0, "d": -0}`, true},
		{`{"a": "1.5e400 and 12345678901234567890 in a string", "b": "\"1.5\""}`, true},
		{`{"a\\": 1}`, true},
		{`[0001]`, true}, // not JSON: JSON.parse refuses it, not this scan
		{`{"a": 1234567890123456}`, false},
		{`{"a": 1.5}`, false},
		{`{"a": 1E2}`, false},
		{`[1,2,3.0]`, false},
	}
	for _, tt := range tests {
		if err := ScanNumbers(tt.text); (err == nil) != tt.ok {
			t.Errorf("ScanNumbers(%s) = %v, want ok=%v", tt.text, err, tt.ok)
		}
	}
}
