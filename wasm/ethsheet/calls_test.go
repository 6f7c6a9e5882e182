package ethsheet

import (
	"strings"
	"testing"
)

func TestCalls(t *testing.T) {
	transfer := "0xa9059cbb" + word32(bob[2:])
	approve := "0x095ea7b3" + word32(bob[2:])
	tests := []struct {
		name    string
		calls   []CallInput
		want    []Call // Kind, To, Token, Amount, Unlimited, From, Recipient, Spender
		shown   string // the ja amount or data field of the first call
		warning string
	}{
		{"native value", []CallInput{{To: bob, Value: "0x6f05b59d3b20000"}},
			[]Call{{Kind: KindNative, To: bob, Token: "ETH", Amount: "0.5"}}, "0.5 ETH", ""},
		{"native, no value", []CallInput{{To: bob, Data: "0x"}},
			[]Call{{Kind: KindNative, To: bob, Token: "ETH", Amount: "0"}}, "0 ETH", ""},
		{"JPYC transfer in yen", []CallInput{{To: jpyc, Data: transfer + word32("5150ae84a8cdf00000")}},
			[]Call{{Kind: KindTransfer, To: jpyc, Token: "JPYC", Amount: "1500", Recipient: bob}}, "1,500 JPYC（1,500円）", ""},
		{"known token without fiat", []CallInput{{To: other, Data: transfer + word32("2faf080")}},
			[]Call{{Kind: KindTransfer, To: other, Token: "USDC", Amount: "50", Recipient: bob}}, "50 USDC", ""},
		{"approve", []CallInput{{To: jpyc, Data: approve + word32("de0b6b3a7640000")}},
			[]Call{{Kind: KindApprove, To: jpyc, Token: "JPYC", Amount: "1", Spender: bob}}, "1 JPYC（1円）", ""},
		{"unlimited approve", []CallInput{{To: jpyc, Data: approve + strings.Repeat("f", 64)}},
			[]Call{{Kind: KindApprove, To: jpyc, Token: "JPYC", Unlimited: true, Spender: bob,
				Amount: "115792089237316195423570985008687907853269984665640564039457.584007913129639935"}},
			"無制限", "UNLIMITED_APPROVAL"},
		{"approve of 2^255 is unlimited", []CallInput{{To: jpyc, Data: approve + "8" + strings.Repeat("0", 63)}},
			[]Call{{Kind: KindApprove, To: jpyc, Token: "JPYC", Unlimited: true, Spender: bob,
				Amount: "57896044618658097711785492504343953926634992332820282019728.792003956564819968"}},
			"無制限", "UNLIMITED_APPROVAL"},
		{"transferFrom", []CallInput{{To: jpyc, Data: "0x23b872dd" + word32(other[2:]) + word32(bob[2:]) + word32("de0b6b3a7640000")}},
			[]Call{{Kind: KindTransferFrom, To: jpyc, Token: "JPYC", Amount: "1", From: other, Recipient: bob}}, "1 JPYC（1円）", ""},
		{"unknown token: raw amount", []CallInput{{To: bob, Data: transfer + word32("3e8")}},
			[]Call{{Kind: KindTransfer, To: bob, Amount: "1000", Recipient: bob}}, "1,000（単位不明）", "UNKNOWN_TOKEN"},
		{"call to self", []CallInput{{To: strings.ToLower(account), Data: "0x12345678"}},
			[]Call{{Kind: KindSelf, To: strings.ToLower(account)}}, "0x12345678", "CALL_TO_SELF"},
		{"value to self is still self", []CallInput{{To: account, Value: "0x1"}},
			[]Call{{Kind: KindSelf, To: account}}, "0x", "CALL_TO_SELF"},
		{"unknown selector", []CallInput{{To: jpyc, Data: "0xdeadbeef" + word32("1")}},
			[]Call{{Kind: KindUnknown, To: jpyc}}, "0xdeadbeef" + word32("1"), "UNKNOWN_CALL"},
		{"transfer one byte short", []CallInput{{To: jpyc, Data: transfer + word32("1")[:62]}},
			[]Call{{Kind: KindUnknown, To: jpyc}}, transfer + word32("1")[:62], "UNKNOWN_CALL"},
		{"transfer with a trailing word", []CallInput{{To: jpyc, Data: transfer + word32("1") + word32("1")}},
			[]Call{{Kind: KindUnknown, To: jpyc}}, transfer + word32("1") + word32("1"), "UNKNOWN_CALL"},
		{"address word with dirty bits", []CallInput{{To: jpyc, Data: "0xa9059cbb" + "01" + word32(bob[2:])[2:] + word32("1")}},
			[]Call{{Kind: KindUnknown, To: jpyc}}, "0xa9059cbb" + "01" + word32(bob[2:])[2:] + word32("1"), "UNKNOWN_CALL"},
	}
	for _, tt := range tests {
		s, err := Calls(request(t, "https://example.com", "ja"), tt.calls, devFee)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		for i, c := range s.Calls {
			w := tt.want[i]
			if c.Kind != w.Kind || c.To != w.To || c.Token != w.Token || c.Amount != w.Amount || c.Unlimited != w.Unlimited ||
				c.From != w.From || c.Recipient != w.Recipient || c.Spender != w.Spender {
				t.Errorf("%s: call %+v\nwant %+v", tt.name, c, w)
			}
		}
		if got := codes(s); got != tt.warning {
			t.Errorf("%s: warnings %q, want %q", tt.name, got, tt.warning)
		}
		shown := ""
		for _, f := range s.Sent[0].Fields {
			if f.Key == "amount" || (f.Key == "data" && shown == "") {
				shown = f.Value
			}
		}
		if shown != tt.shown {
			t.Errorf("%s: shown %q, want %q", tt.name, shown, tt.shown)
		}
	}
}

func TestCallsBatch(t *testing.T) {
	s, err := Calls(request(t, "https://example.com", "ja"), []CallInput{
		{To: jpyc, Data: "0x095ea7b3" + word32(bob[2:]) + strings.Repeat("f", 64)},
		{To: bob, Value: "0x1", Data: "0xdeadbeef"},
		{To: bob, Data: "0xa9059cbb" + word32(bob[2:]) + word32("1")},
	}, devFee)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(s); got != "UNLIMITED_APPROVAL,UNKNOWN_CALL,UNKNOWN_TOKEN" {
		t.Errorf("warnings %q", got)
	}
	if s.Batch != "3件の操作をまとめて送信します。すべてが実行されるか、どれも実行されないかのどちらかです。" {
		t.Errorf("batch notice %q", s.Batch)
	}
	if s.Sent[0].Label != "1. トークンの使用許可" || s.Sent[1].Label != "2. コントラクトの呼び出し" {
		t.Errorf("labels %q, %q", s.Sent[0].Label, s.Sent[1].Label)
	}
	// The value sent with a call that has data is shown too.
	value := ""
	for _, f := range s.Sent[1].Fields {
		if f.Key == "value" {
			value = f.Value
		}
	}
	if value != "0.000000000000000001 ETH" {
		t.Errorf("value with data shown as %q", value)
	}
}

func TestCallsRefused(t *testing.T) {
	many := make([]CallInput, MaxCalls+1)
	for i := range many {
		many[i] = CallInput{To: bob}
	}
	tests := []struct {
		name  string
		calls []CallInput
	}{
		{"no calls", nil},
		{"too many", many},
		{"no to (contract creation)", []CallInput{{Data: "0x6080"}}},
		{"short to", []CallInput{{To: bob[:41]}}},
		{"value not hex", []CallInput{{To: bob, Value: "100"}}},
		{"value empty hex", []CallInput{{To: bob, Value: "0x"}}},
		{"value over 256 bits", []CallInput{{To: bob, Value: "0x1" + strings.Repeat("0", 64)}}},
		{"data odd length", []CallInput{{To: bob, Data: "0x123"}}},
		{"data not hex", []CallInput{{To: bob, Data: "0xzz"}}},
		{"data without 0x", []CallInput{{To: bob, Data: "a9059cbb"}}},
		{"data too large", []CallInput{{To: bob, Data: "0x" + strings.Repeat("00", MaxBytes+1)}}},
	}
	for _, tt := range tests {
		_, err := Calls(request(t, "https://example.com", "ja"), tt.calls, devFee)
		if e, ok := err.(*Error); !ok || e.Reason != ReasonBadCalls {
			t.Errorf("%s: %v, want BAD_CALLS", tt.name, err)
		}
	}
	r := request(t, "https://example.com", "ja")
	r.Account = "0x1234"
	if _, err := Calls(r, []CallInput{{To: bob}}, devFee); err == nil || err.(*Error).Reason != ReasonBadArguments {
		t.Errorf("bad account: %v", err)
	}
	r = request(t, "https://example.com", "ja")
	r.Chain.Tokens = []Token{{Address: "0x12", Symbol: "X"}}
	if _, err := Calls(r, []CallInput{{To: bob}}, devFee); err == nil || err.(*Error).Reason != ReasonBadArguments {
		t.Errorf("bad token: %v", err)
	}
}
