package ethsheet

import (
	"strings"
	"testing"
)

func TestCallsShowTheMostTheFeeCanBe(t *testing.T) {
	s, err := Calls(request(t, "https://example.com", "ja"), []CallInput{{To: bob, Value: "0x1"}}, devFee)
	if err != nil {
		t.Fatal(err)
	}
	if s.Fee.Gas != 215_000 || s.Fee.MaxCost.String() != "430000000000000" || s.Fee.High || codes(s) != "" {
		t.Errorf("fee %+v, warnings %q", s.Fee, codes(s))
	}
	root := Render(s)
	fee := find(t, root, "data-item", "fee")
	if got := find(t, fee, "data-field", "maxFee").TextContent(); !strings.Contains(got, "0.00043 ETH") {
		t.Errorf("max fee reads %q", got)
	}
	if got := find(t, fee, "data-field", "gasLimit").TextContent(); !strings.Contains(got, "215,000") {
		t.Errorf("gas limit reads %q", got)
	}
}

// A page that sends 1 wei to a contract that burns gas on receipt: the
// sheet warns that the fee is high for what the call does.
func TestCallsWarnWhenTheGasIsFarAboveWhatTheCallsNeed(t *testing.T) {
	tests := []struct {
		name    string
		calls   []CallInput
		callGas string
		high    bool
	}{
		{"transfer with ordinary gas", []CallInput{{To: bob, Value: "0x1"}}, "0x88b8", false},
		{"1 wei with a million gas", []CallInput{{To: bob, Value: "0x1"}}, "0xf4240", true},
		{"token transfer at its budget", []CallInput{{To: jpyc, Data: "0xa9059cbb" + word32(bob[2:]) + word32("1")}}, "0x249f0", false},
		{"unknown call with a million gas", []CallInput{{To: bob, Data: "0xdeadbeef"}}, "0xf4240", false},
		{"two transfers share their budgets", []CallInput{{To: bob, Value: "0x1"}, {To: bob, Value: "0x2"}}, "0x30d40", false},
	}
	for _, tt := range tests {
		fee := devFee
		fee.CallGasLimit = tt.callGas
		s, err := Calls(request(t, "https://example.com", "en"), tt.calls, fee)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if s.Fee.High != tt.high || strings.Contains(codes(s), "HIGH_FEE") != tt.high {
			t.Errorf("%s: high %v, warnings %q", tt.name, s.Fee.High, codes(s))
		}
	}
}

func TestCallsRefuseAFeeTheyCannotShowExactly(t *testing.T) {
	for name, change := range map[string]func(*FeeInput){
		"missing":              func(f *FeeInput) { *f = FeeInput{} },
		"gas of 2^40":          func(f *FeeInput) { f.CallGasLimit = "0x10000000000" },
		"decimal gas":          func(f *FeeInput) { f.PreVerificationGas = "50000" },
		"tip above the fee":    func(f *FeeInput) { f.MaxPriorityFeePerGas = "0x77359401" },
		"cost over 2^256":      func(f *FeeInput) { f.MaxFeePerGas = "0x" + strings.Repeat("f", 64) },
		"fee not a quantity":   func(f *FeeInput) { f.MaxFeePerGas = "two gwei" },
		"verification missing": func(f *FeeInput) { f.VerificationGasLimit = "" },
	} {
		fee := devFee
		change(&fee)
		if _, err := Calls(request(t, "https://example.com", "ja"), []CallInput{{To: bob}}, fee); err == nil || err.(*Error).Reason != ReasonBadArguments {
			t.Errorf("%s: %v, want BAD_ARGUMENTS", name, err)
		}
	}
}

// paidFee is devFee paid through a paymaster in test JPYC: at most 214.52 JPYC.
func paidFee() FeeInput {
	f := devFee
	f.Paymaster, f.FeeToken = "0x00000000000000000000000000000000000fee00", jpyc
	f.PaymasterVerificationGasLimit, f.PaymasterPostOpGasLimit = "0x249f0", "0x13880"
	f.TokenPerNative, f.MaxTokenCost = "0x69e10de76676d0800000", "0xba10dcc8fbb9e0000" // 214.519341543308787712
	return f
}

// A fee paid in JPYC through a paymaster reads as yen: the most it takes, in JPYC and in yen, and who takes
// it; no ETH. Its gas counts in the operation's gas.
func TestCallsShowAFeeInJPYC(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		s, err := Calls(request(t, "https://example.com", lang), []CallInput{{To: bob, Value: "0x1"}}, paidFee())
		if err != nil {
			t.Fatal(err)
		}
		if s.Fee.Gas != 215_000+150_000+80_000 || s.Fee.Token == nil || s.Fee.MaxTokenCost != "214.52" {
			t.Fatalf("fee %+v", s.Fee)
		}
		fee := find(t, Render(s), "data-item", "fee")
		if got := find(t, fee, "data-field", "maxFee").TextContent(); !strings.Contains(got, "214.52 JPYC") || !strings.Contains(got, "¥214.52") && !strings.Contains(got, "214.52円") {
			t.Errorf("%s: max fee reads %q", lang, got)
		}
		if got := find(t, fee, "data-field", "paymaster").TextContent(); !strings.Contains(strings.ToLower(strings.ReplaceAll(got, " ", "")), "fee00") {
			t.Errorf("%s: the payee reads %q", lang, got)
		}
		if got := find(t, fee, "data-field", "maxFee").TextContent(); strings.Contains(got, "ETH") {
			t.Errorf("%s: the most of a fee in JPYC is in ETH: %q", lang, got)
		}
	}
}

func TestCallsRefuseAPaymasterFeeTheyCannotShowExactly(t *testing.T) {
	for name, change := range map[string]func(*FeeInput){
		"no maxTokenCost":          func(f *FeeInput) { f.MaxTokenCost = "" },
		"no paymaster":             func(f *FeeInput) { f.Paymaster = "" },
		"a token not the chain's":  func(f *FeeInput) { f.FeeToken = bob },
		"paymaster not an address": func(f *FeeInput) { f.Paymaster = "0x12" },
		"paymaster gas of 2^40":    func(f *FeeInput) { f.PaymasterPostOpGasLimit = "0x10000000000" },
		"decimal maxTokenCost":     func(f *FeeInput) { f.MaxTokenCost = "214" },
	} {
		fee := paidFee()
		change(&fee)
		if _, err := Calls(request(t, "https://example.com", "ja"), []CallInput{{To: bob}}, fee); err == nil || err.(*Error).Reason != ReasonBadArguments {
			t.Errorf("%s: %v, want BAD_ARGUMENTS", name, err)
		}
	}
}
