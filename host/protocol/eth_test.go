package protocol

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/failure"
)

const (
	testSHA  = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	testAddr = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" // EIP-55's own example
)

// signBase is the members every signing method needs, with one replaced or
// removed (value "-") or one added.
func signBase(extra ...string) string {
	m := map[string]string{
		"chainId": `1337`, "account": `"` + testAddr + `"`, "certificateSha256": `"` + testSHA + `"`, "pin": `"1234"`,
	}
	order := []string{"chainId", "account", "certificateSha256", "pin"}
	for i := 0; i+1 < len(extra); i += 2 {
		if _, ok := m[extra[i]]; !ok {
			order = append(order, extra[i])
		}
		m[extra[i]] = extra[i+1]
	}
	var parts []string
	for _, k := range order {
		if m[k] != "-" {
			parts = append(parts, fmt.Sprintf("%q:%s", k, m[k]))
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// signerCases are the failures of the members shared by the signing
// methods; each method's table adds its payload member.
func signerCases(payload ...string) []struct{ params, field string } {
	with := func(extra ...string) string { return signBase(append(payload, extra...)...) }
	return []struct{ params, field string }{
		{with(), ""},
		{with("reader", `"Virtual PCD 00 00"`), ""},
		{with("account", `"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"`), ""},               // all lower: no checksum to check
		{with("account", `"0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"`), ""},               // all upper
		{with("certificateSha256", `"`+strings.ToUpper(testSHA)+`"`), ""},                   // hex either case
		{with("chainId", "-"), "params.chainId"},                                            // missing
		{with("chainId", `"1337"`), "params.chainId"},                                       // a string
		{with("chainId", `-1`), "params.chainId"},                                           // negative
		{with("chainId", `1.5`), "params.chainId"},                                          // fraction
		{with("chainId", `9007199254740992`), "params.chainId"},                             // over 2^53-1
		{with("account", "-"), "params.account"},                                            // missing
		{with("account", `"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"`), "params.account"}, // bad checksum
		{with("account", `"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"`), "params.account"},   // no 0x
		{with("account", `"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"`), "params.account"},   // 19 bytes
		{with("account", `"0xzaAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"`), "params.account"}, // not hex
		{with("account", `20`), "params.account"},                                           // a number
		{with("certificateSha256", "-"), "params.certificateSha256"},                        // required here
		{with("certificateSha256", `"`+testSHA[:62]+`"`), "params.certificateSha256"},       // short
		{with("certificateSha256", `"`+testSHA[:63]+`g"`), "params.certificateSha256"},      // not hex
		{with("pin", "-"), "params.pin"},
		{with("pin", `1234`), "params.pin"},
		{with("reader", `""`), "params.reader"},
		{with("reader", `"`+strings.Repeat("r", 257)+`"`), "params.reader"},
		{with("hash", `"00"`), "params.hash"},               // no digest, ever
		{with("origin", `"https://a.jp"`), "params.origin"}, // the page's origin is never a parameter
		{with("chainId", `null`), "params.chainId"},
	}
}

func checkSignDecode(t *testing.T, name string, decode func([]byte) (EthSignParams, *Error), cases []struct{ params, field string }) {
	t.Helper()
	for _, tt := range cases {
		p, err := decode([]byte(tt.params))
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s %.90s: %v", name, tt.params, err)
		case tt.field != "" && (err == nil || err.Code != failure.BadRequest || err.Field != tt.field):
			t.Errorf("%s %.90s: err = %v, want BAD_REQUEST on %s", name, tt.params, err, tt.field)
		case tt.field != "" && p.PIN != nil:
			t.Errorf("%s %.90s: a PIN was returned with the error", name, tt.params)
		case tt.field == "" && (string(p.PIN) != "1234" || p.ChainID != 1337 || len(p.CertificateSHA256) != 32):
			t.Errorf("%s %.90s: decoded %+v", name, tt.params, p)
		}
	}
}

func TestDecodeEthSignMessage(t *testing.T) {
	cases := append(signerCases("message", `"0x68656c6c6f"`),
		struct{ params, field string }{signBase("message", `"0x"`), ""}, // empty message
		struct{ params, field string }{signBase("message", `"0x`+strings.Repeat("ab", MaxMessageLen)+`"`), ""},
		struct{ params, field string }{signBase("message", `"0x`+strings.Repeat("ab", MaxMessageLen+1)+`"`), "params.message"},
		struct{ params, field string }{signBase(), "params.message"},                          // missing
		struct{ params, field string }{signBase("message", `"hello"`), "params.message"},      // text, not hex
		struct{ params, field string }{signBase("message", `"0x123"`), "params.message"},      // odd digits
		struct{ params, field string }{signBase("message", `"68656c6c6f"`), "params.message"}, // no 0x
		struct{ params, field string }{signBase("message", `[104]`), "params.message"},
		struct{ params, field string }{signBase("message", `"0x00", "typedData": "{}"`), "params.typedData"},
	)
	checkSignDecode(t, "ethSignMessage", DecodeEthSignMessage, cases)

	p, err := DecodeEthSignMessage([]byte(signBase("message", `"0x68656c6c6f"`)))
	if err != nil || string(p.Message) != "hello" || p.Account[0] != 0x5a || p.Account[19] != 0xed {
		t.Errorf("decoded %q %x, %v", p.Message, p.Account, err)
	}
	if _, err := DecodeEthSignMessage(nil); err == nil || err.Field != "params" {
		t.Errorf("no params: %v", err)
	}
}

func TestDecodeEthSignTypedData(t *testing.T) {
	cases := append(signerCases("typedData", `"{\"types\":{}}"`),
		struct{ params, field string }{signBase("typedData", `"`+strings.Repeat("x", MaxTypedDataLen)+`"`), ""}, // the wallet parses it
		struct{ params, field string }{signBase("typedData", `"`+strings.Repeat("x", MaxTypedDataLen+1)+`"`), "params.typedData"},
		struct{ params, field string }{signBase("typedData", `{"types":{}}`), "params.typedData"}, // an object, not its text
		struct{ params, field string }{signBase(), "params.typedData"},
		struct{ params, field string }{signBase("typedData", `"{}"`, "message", `"0x"`), "params.message"},
	)
	checkSignDecode(t, "ethSignTypedData", DecodeEthSignTypedData, cases)
	p, _ := DecodeEthSignTypedData([]byte(signBase("typedData", `"{\"a\":\"\u00e9\"}"`)))
	if string(p.TypedData) != `{"a":"é"}` {
		t.Errorf("typedData = %q, want the JSON string's text", p.TypedData)
	}
}

func TestDecodeEthSendCalls(t *testing.T) {
	const to = `"to":"` + testAddr + `"`
	calls := func(cs ...string) string { return "[" + strings.Join(cs, ",") + "]" }
	var many []string
	for range MaxCalls + 1 {
		many = append(many, "{"+to+"}")
	}
	tests := []struct{ params, field string }{
		{sendBase("calls", calls("{"+to+"}")), ""},
		{sendBase("calls", calls("{"+to+`,"value":"0x0","data":"0x"}`)), ""},
		{sendBase("calls", calls("{"+to+`,"value":"0xde0b6b3a7640000","data":"0xa9059cbb"}`, "{"+to+"}")), ""},
		{sendBase("calls", calls(many[:MaxCalls]...)), ""},
		{sendBase("calls", calls("{"+to+`,"value":"0x`+strings.Repeat("f", 64)+`"}`)), ""}, // 2^256-1
		{sendBase(), "params.calls"},
		{sendBase("calls", calls()), "params.calls"},
		{sendBase("calls", calls(many...)), "params.calls"},
		{sendBase("calls", `{"to":"`+testAddr+`"}`), "params.calls"},
		{sendBase("calls", calls(`{}`)), "params.calls[0].to"},
		{sendBase("calls", calls("{"+to+"}", `{"to":"0x12"}`)), "params.calls[1].to"},
		{sendBase("calls", calls("{"+to+`,"value":"0x01"}`)), "params.calls[0].value"},                           // leading zero
		{sendBase("calls", calls("{"+to+`,"value":"0x"}`)), "params.calls[0].value"},                             // no digits
		{sendBase("calls", calls("{"+to+`,"value":"10"}`)), "params.calls[0].value"},                             // decimal
		{sendBase("calls", calls("{"+to+`,"value":10}`)), "params.calls[0].value"},                               // a number
		{sendBase("calls", calls("{"+to+`,"value":"0x1`+strings.Repeat("0", 64)+`"}`)), "params.calls[0].value"}, // over 256 bits
		{sendBase("calls", calls("{"+to+`,"data":"0xabc"}`)), "params.calls[0].data"},
		{sendBase("calls", calls("{"+to+`,"data":"0x`+strings.Repeat("00", maxCallDataLen+1)+`"}`)), "params.calls[0].data"},
		{sendBase("calls", calls("{"+to+`,"gas":"0x5208"}`)), "params.calls[0].gas"},
		{sendBase("calls", calls("{"+to+`,"to":"`+testAddr+`"}`)), "params.calls[0].to"}, // twice
		{sendBase("calls", calls("{"+to+"}"), "pin", `"12"`), ""},                        // format is the card service's check
		{sendBase("calls", calls("{"+to+"}"), "pin", "-"), "params.pin"},
		{sendBase("calls", calls("{"+to+"}"), "from", `"`+testAddr+`"`), "params.from"},
		{sendBase("calls", calls("{"+to+"}"), "fee", "-"), "params.fee"},
		{sendBase("calls", calls("{"+to+"}"), "fee", strings.Replace(testFee, `"0x88b8"`, `"35000"`, 1)), "params.fee.callGasLimit"},
		{sendBase("calls", calls("{"+to+"}"), "fee", strings.Replace(testFee, `"0x88b8"`, `"0x10000000000"`, 1)), "params.fee.callGasLimit"},
		{sendBase("calls", calls("{"+to+"}"), "fee", strings.Replace(testFee, `{`, `{"paymaster":"0x",`, 1)), "params.fee.paymaster"},
		{sendBase("calls", calls("{"+to+"}"), "fee", strings.Replace(testFee, `,"maxPriorityFeePerGas":"0x3b9aca00"`, ``, 1)), "params.fee.maxPriorityFeePerGas"},
	}
	for _, tt := range tests {
		p, err := DecodeEthSendCalls([]byte(tt.params))
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%.120s: %v", tt.params, err)
		case tt.field != "" && (err == nil || err.Field != tt.field):
			t.Errorf("%.120s: err = %v, want one on %s", tt.params, err, tt.field)
		case tt.field != "" && (p.PIN != nil || p.Calls != nil):
			t.Errorf("%.120s: a PIN or calls returned with the error", tt.params)
		}
	}
	p, err := DecodeEthSendCalls([]byte(sendBase("calls", calls("{"+to+`,"value":"0xde0b6b3a7640000","data":"0xa9059cbb"}`))))
	if err != nil || len(p.Calls) != 1 || p.Calls[0].Value.String() != "1000000000000000000" || fmt.Sprintf("%x", p.Calls[0].Data) != "a9059cbb" {
		t.Errorf("decoded %+v, %v", p, err)
	}
	p, _ = DecodeEthSendCalls([]byte(sendBase("calls", calls("{"+to+"}"))))
	if p.Calls[0].Value == nil || p.Calls[0].Value.Sign() != 0 || p.Calls[0].Data != nil {
		t.Errorf("defaults: value %v, data %x", p.Calls[0].Value, p.Calls[0].Data)
	}
	if f := p.Fee; f.CallGasLimit != 35000 || f.Gas() != 215000 || f.MaxCost().String() != "430000000000000" || f.MaxPriorityFeePerGas.Int64() != 1e9 {
		t.Errorf("fee %+v, max cost %s", f, f.MaxCost())
	}
	if b, err := json.Marshal(p.Fee); err != nil || string(b) != testFee {
		t.Errorf("the fee marshals to %s (%v), want %s", b, err, testFee)
	}

	// A fee paid through a paymaster: all of its members or none; its gas counts in Gas and MaxCost.
	paid := `{"callGasLimit":"0x88b8","feeToken":"` + testAddr + `","maxFeePerGas":"0x77359400","maxPriorityFeePerGas":"0x3b9aca00","maxTokenCost":"0x64",` +
		`"paymaster":"` + testAddr + `","paymasterPostOpGasLimit":"0x1388","paymasterVerificationGasLimit":"0x1388","preVerificationGas":"0xc350",` +
		`"tokenPerNative":"0x10","verificationGasLimit":"0x1fbd0"}` // keys sorted, as encoding/json writes a map
	p, err = DecodeEthSendCalls([]byte(sendBase("calls", calls("{"+to+"}"), "fee", paid)))
	if err != nil || p.Fee.Paymaster == nil || p.Fee.Paymaster.MaxTokenCost.Int64() != 100 || p.Fee.Paymaster.TokenPerNative.Int64() != 16 || p.Fee.Gas() != 225000 {
		t.Fatalf("a paymaster's fee: %+v, %v", p.Fee, err)
	}
	if b, err := json.Marshal(p.Fee); err != nil || string(b) != paid {
		t.Errorf("a paymaster's fee marshals to %s (%v), want %s", b, err, paid)
	}
	for _, member := range []string{`"maxTokenCost":"0x64",`, `"paymaster":"` + testAddr + `",`, `"tokenPerNative":"0x10",`} {
		if _, err := DecodeEthSendCalls([]byte(sendBase("calls", calls("{"+to+"}"), "fee", strings.Replace(paid, member, "", 1)))); err == nil || err.Field != "params.fee.paymaster" {
			t.Errorf("a paymaster's fee without %s: %v", member, err)
		}
	}
	if _, err := DecodeEthSendCalls([]byte(sendBase("calls", calls("{"+to+"}"), "fee", strings.Replace(paid, `"paymasterPostOpGasLimit":"0x1388"`, `"paymasterPostOpGasLimit":"0x10000000000"`, 1)))); err == nil || err.Field != "params.fee.paymasterPostOpGasLimit" {
		t.Errorf("a paymaster's gas over 2^40: %v", err)
	}
}

// testFee: 215,000 gas at 2 gwei, as ethPrepareCalls answers it (keys sorted, as encoding/json writes a map).
const testFee = `{"callGasLimit":"0x88b8","maxFeePerGas":"0x77359400","maxPriorityFeePerGas":"0x3b9aca00","preVerificationGas":"0xc350","verificationGasLimit":"0x1fbd0"}`

// sendBase is signBase with a fee.
func sendBase(extra ...string) string { return signBase(append([]string{"fee", testFee}, extra...)...) }

func TestDecodeEthPrepareCalls(t *testing.T) {
	const base = `"chainId":1337,"account":"` + testAddr + `","certificateSha256":"` + testSHA + `"`
	const call = `"calls":[{"to":"` + testAddr + `","value":"0x1"}]`
	p, err := DecodeEthPrepareCalls([]byte(`{` + base + `,` + call + `}`))
	if err != nil || p.ChainID != 1337 || len(p.Calls) != 1 || p.Calls[0].Value.Int64() != 1 {
		t.Errorf("decoded %+v, %v", p, err)
	}
	for params, field := range map[string]string{
		`{` + base + `}`: "params.calls",
		`{` + base + `,` + call + `,"pin":"1234"}`: "params.pin", // no PIN goes to a preparation
		`{` + call + `}`: "params.chainId",
	} {
		if _, err := DecodeEthPrepareCalls([]byte(params)); err == nil || err.Field != field {
			t.Errorf("%s: %v, want an error on %s", params, err, field)
		}
	}
}

func TestDecodeEthRPC(t *testing.T) {
	tests := []struct{ params, field string }{
		{`{"chainId":1,"method":"eth_blockNumber"}`, ""},
		{`{"chainId":1,"method":"eth_getBalance","params":["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed","latest"]}`, ""},
		{`{"chainId":1,"method":"eth_sendRawTransaction","params":[]}`, ""}, // the wallet refuses it, not the decoder
		{`{"method":"eth_blockNumber"}`, "params.chainId"},
		{`{"chainId":1}`, "params.method"},
		{`{"chainId":1,"method":"` + strings.Repeat("m", 65) + `"}`, "params.method"},
		{`{"chainId":1,"method":"eth_call","params":{"to":"0x"}}`, "params.params"},
		{`{"chainId":1,"method":"eth_call","params":"[]"}`, "params.params"},
		{`{"chainId":1,"method":"eth_call","params":["` + strings.Repeat("a", MaxRPCParamsLen) + `"]}`, "params.params"},
		{`{"chainId":1,"method":"eth_call","id":1}`, "params.id"},
	}
	for _, tt := range tests {
		_, err := DecodeEthRPC([]byte(tt.params))
		if tt.field == "" && err != nil || tt.field != "" && (err == nil || err.Field != tt.field) {
			t.Errorf("%.80s: err = %v, want field %q", tt.params, err, tt.field)
		}
	}
	msg := []byte(`{"chainId":1,"method":"eth_getBalance","params":["0xab","latest"]}`)
	p, _ := DecodeEthRPC(msg)
	clear(msg)
	if string(p.Params) != `["0xab","latest"]` {
		t.Errorf("params = %s after the message was cleared, want a copy", p.Params)
	}
}

func TestDecodeEthAccount(t *testing.T) {
	tests := []struct{ params, field string }{
		{`{"chainId":1337}`, ""},
		{`{"chainId":1337,"reader":"Virtual PCD 00 00"}`, ""},
		{`{}`, "params.chainId"},
		{`{"chainId":1337,"account":"0x00"}`, "params.account"},
		{`{"chainId":1337,"history":true}`, ""},
		{`{"chainId":1337,"history":false}`, ""},
		{`{"chainId":1337,"history":"true"}`, "params.history"},
		{`{"chainId":1337,"history":1}`, "params.history"},
		{`{"chainId":1337,"history":null}`, "params.history"},
		{`{"chainId":1337,"History":true}`, "params.History"},
	}
	for _, tt := range tests {
		p, err := DecodeEthAccount([]byte(tt.params))
		if tt.field == "" && (err != nil || p.ChainID != 1337) || tt.field != "" && (err == nil || err.Field != tt.field) {
			t.Errorf("%s: %+v, %v; want field %q", tt.params, p, err, tt.field)
		}
		if tt.field == "" && p.History != strings.Contains(tt.params, "true") {
			t.Errorf("%s: history %v", tt.params, p.History)
		}
	}
	if _, err := DecodeEthAccount(nil); err == nil || err.Field != "params" {
		t.Errorf("no params: %v", err)
	}
}
