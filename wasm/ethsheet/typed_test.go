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
	s, err := TypedData(request(t, "https://example.com", "ja"), typed("1337"))
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
		s, err := TypedData(request(t, "https://example.com", "en"), typed(tt.chain))
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
	s, err := TypedData(request(t, "https://example.com", "ja"), strings.NewReplacer(`"chainId": 1,`, "", `{"name": "chainId", "type": "uint256"}, `, "").Replace(typed("1")))
	if err != nil || s.HasDomainChainID || s.ChainMismatch {
		t.Errorf("no chainId: %v %+v", err, s)
	}
}

// TestTypedDataRefused: what eip712.Decode refuses (its own tests list
// every rule) is a BAD_TYPED_DATA with Decode's reason, and so is a chain id
// no JavaScript number holds.
func TestTypedDataRefused(t *testing.T) {
	tests := []struct{ name, text, detail string }{
		{"case-variant primaryType", strings.Replace(typed("1"), `"primaryType": "Mail",`, `"primaryType": "Mail", "PrimaryType": "Person",`, 1), `unknown member "PrimaryType"`},
		{"duplicate domain", strings.Replace(typed("1"), `"domain": {`, `"domain": {}, "domain": {`, 1), "appears twice"},
		{"16 digits", typed("1234567890123456"), "more than 15 digits"},
		{"not JSON", "{", "not JSON"},
		{"chainId over 2^53", typed(`"9007199254740993"`), "larger than a chain id"},
	}
	for _, tt := range tests {
		_, err := TypedData(request(t, "https://example.com", "ja"), tt.text)
		if e, ok := err.(*Error); !ok || e.Reason != ReasonBadTypedData || !strings.Contains(e.Detail, tt.detail) {
			t.Errorf("%s: %v, want BAD_TYPED_DATA with %q", tt.name, err, tt.detail)
		}
	}
}
