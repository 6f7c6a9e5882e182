package protocol

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/failure"
)

func TestParseRequest(t *testing.T) {
	tests := []struct {
		msg     string
		id      uint64
		idKnown bool
		method  string
		params  string
		field   string // "" for success
	}{
		{`{"id":1,"method":"hello","params":{"protocol":1}}`, 1, true, "hello", `{"protocol":1}`, ""},
		{` { "method" : "version" , "id" : 0 } `, 0, true, "version", "", ""},
		{`{"id":9007199254740991,"method":"x"}`, 1<<53 - 1, true, "x", "", ""},
		{`{"id":9007199254740992,"method":"x"}`, 0, false, "", "", "id"},
		{`{"id":01,"method":"x"}`, 0, false, "", "", "id"}, // not valid JSON either; belt and braces
		{`{"id":1e0,"method":"x"}`, 0, false, "", "", "id"},
		{`{"id":null,"method":"x"}`, 0, false, "", "", "id"},
		{`{"method":"x","id":2,"params":null}`, 2, true, "", "", "params"},
		{`{"method":"x","id":3,"params":"a"}`, 3, true, "", "", "params"},
		{`{"id":4,"method":"x","Method":"y"}`, 4, true, "", "", "Method"},
		{`{"id":5,"method":"x","method":"y"}`, 0, false, "", "", "method"},
		{`{"id":6,"method":""}`, 6, true, "", "", ""},
		{`"hello"`, 0, false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			req, idKnown, err := ParseRequest([]byte(tt.msg))
			wantErr := tt.field != "" || tt.msg == `"hello"`
			if (err != nil) != wantErr {
				t.Fatalf("err = %v, want error: %v", err, wantErr)
			}
			if err != nil {
				if err.Code != failure.BadRequest || err.Field != tt.field {
					t.Errorf("err = %+v, want BAD_REQUEST on %q", err, tt.field)
				}
				if idKnown != tt.idKnown || idKnown && req.ID != tt.id {
					t.Errorf("id = %d (known %v), want %d (known %v)", req.ID, idKnown, tt.id, tt.idKnown)
				}
				return
			}
			if req.ID != tt.id || req.Method != tt.method || string(req.Params) != tt.params {
				t.Errorf("got %d %q %s", req.ID, req.Method, req.Params)
			}
		})
	}
}

func TestDecodeAuthenticate(t *testing.T) {
	const sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	tests := []struct {
		params string
		field  string
	}{
		{`{"origin":"https://a.jp","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":"1234"}`, ""},
		{`{"origin":"https://a.jp","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":"1234","reader":"R","certificateSha256":"` + sha + `"}`, ""},
		{`{"origin":"https://a.jp","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":"1234","certificateSha256":"` + strings.ToUpper(sha) + `"}`, ""},
		{`{"origin":"https://a.jp","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}`, "params.pin"},
		{`{"challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":"1234"}`, "params.origin"},
		{`{"origin":"https://a.jp","pin":"1234"}`, "params.challengeNonce"},
		{`{"origin":"https://a.jp","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":["1234"]}`, "params.pin"},
		{`{"origin":"https://a.jp","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":"1234","certificateSha256":"` + sha[:62] + `"}`, "params.certificateSha256"},
		{`{"origin":"https://a.jp","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":"1234","hash":"00"}`, "params.hash"},
		{`{"origin":"https://a.jp","challengeNonce":"` + strings.Repeat("a", 5000) + `","pin":"1234"}`, "params.challengeNonce"},
		// Checked here, once, where the request enters the host.
		{`{"origin":"https://a.jp/","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":"1234"}`, "params.origin"},
		{`{"origin":"https://a.jp","challengeNonce":"short","pin":"1234"}`, "params.challengeNonce"},
	}
	for _, tt := range tests {
		p, err := DecodeAuthenticate([]byte(tt.params))
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: %v", tt.params, err)
		case tt.field != "" && (err == nil || err.Field != tt.field):
			t.Errorf("%.60s: err = %v, want one on %s", tt.params, err, tt.field)
		case tt.field != "" && p.PIN != nil:
			t.Errorf("%.60s: a PIN was returned with the error", tt.params)
		}
	}
}

func TestTheDecodedPINIsACopyOfTheMessage(t *testing.T) {
	msg := []byte(`{"origin":"https://a.jp","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":"4821"}`)
	p, err := DecodeAuthenticate(msg)
	if err != nil {
		t.Fatal(err)
	}
	clear(msg) // what the router does once the request is decoded
	if string(p.PIN) != "4821" {
		t.Fatalf("PIN = %q after the message was cleared", []byte(p.PIN))
	}
	p.PIN.Clear()
	if string(p.PIN) != "\x00\x00\x00\x00" {
		t.Errorf("Clear left %q", []byte(p.PIN))
	}
}

func TestAPINNeverPrints(t *testing.T) {
	pin := PIN("4821")
	for _, f := range []string{"%v", "%s", "%x", "%X", "%q", "%#v", "%d"} {
		if s := fmt.Sprintf(f, pin); strings.Contains(s, "4821") || strings.Contains(s, "34383231") || strings.Contains(s, "52") {
			t.Errorf("Sprintf(%q) = %q", f, s)
		}
	}
	if b, err := json.Marshal(struct{ P PIN }{pin}); err == nil {
		t.Errorf("json.Marshal = %s, want an error", b)
	}
}

func TestPeekID(t *testing.T) {
	tests := []struct {
		prefix string
		id     uint64
		ok     bool
	}{
		{`{"id":42,"method":"authenticate","params":{"origin":"https://`, 42, true},
		{` {  "id" : 7 }`, 7, true},
		{`{"method":"x","id":1`, 0, false},
		{`{"id":12`, 0, false}, // maybe cut inside the number
		{`{"id":"1",`, 0, false},
		{`[{"id":1}]`, 0, false},
	}
	for _, tt := range tests {
		id, ok := PeekID([]byte(tt.prefix))
		if id != tt.id || ok != tt.ok {
			t.Errorf("PeekID(%q) = %d, %v; want %d, %v", tt.prefix, id, ok, tt.id, tt.ok)
		}
	}
}

func TestRecoverTrailing(t *testing.T) {
	tests := []struct {
		msg string
		id  uint64
		ok  bool
	}{
		{`{"id":3,"method":"version"} {"id":4}`, 3, true},
		{`{"id":3,"method":"version"}x`, 3, true},
		{`{"id":3,"method":"version"`, 0, false},
		{`{"method":"version"} 1`, 0, false},
		{`nonsense`, 0, false},
	}
	for _, tt := range tests {
		id, err, ok := RecoverTrailing([]byte(tt.msg))
		if id != tt.id || ok != tt.ok || ok && (err == nil || err.Code != failure.BadRequest) {
			t.Errorf("RecoverTrailing(%q) = %d, %v, %v", tt.msg, id, err, ok)
		}
	}
}

// FuzzParseRequest checks that decoding never panics and that a request it
// accepts has an id JavaScript can hold.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(`{"id":1,"method":"authenticate","params":{"origin":"https://a.jp","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":"1234"}}`))
	f.Add([]byte(`{"id":1,"method":"hello","params":{"protocol":1,"extensionVersion":"0.1.0"}}`))
	f.Add([]byte(`{"a":{"b":[1,"]}",{"c":"\"}"}]},"id":2,"method":"x"}`))
	f.Add([]byte(`{"id":4,"method":"ethSignHandover","params":{"chainId":1337,"account":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","certificateSha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","pin":"1234"}}`))
	f.Add([]byte(`{"id":3,"method":"ethSendCalls","params":{"chainId":1337,"account":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","certificateSha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","pin":"1234","calls":[{"to":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","value":"0x1","data":"0x00"}],"fee":{"callGasLimit":"0x88b8","verificationGasLimit":"0x1fbd0","preVerificationGas":"0xc350","maxFeePerGas":"0x77359400","maxPriorityFeePerGas":"0x3b9aca00"}}}`))
	f.Add([]byte(`{"id":4,"method":"ethSignMessage","params":{"chainId":1,"account":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed","certificateSha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","pin":"1234","message":"0x"}}`))
	f.Add([]byte(`{"id":5,"method":"ethRpc","params":{"chainId":1,"method":"eth_call","params":[{"to":"0x00"},"latest"]}}`))
	f.Fuzz(func(t *testing.T, msg []byte) {
		PeekID(msg)
		RecoverTrailing(msg)
		if !json.Valid(msg) {
			return // the framing layer rejects these before ParseRequest
		}
		req, _, err := ParseRequest(msg)
		if err == nil {
			if req.ID > 1<<53-1 {
				t.Fatalf("id %d accepted", req.ID)
			}
			DecodeHello(req.Params)
			DecodeReaderParams(req.Params)
			DecodeNoParams(req.Params)
			if p, err := DecodeAuthenticate(req.Params); err != nil && p.PIN != nil {
				t.Fatal("PIN returned with an error")
			}
			DecodeEthAccount(req.Params)
			if p, err := DecodeEthRPC(req.Params); err == nil && p.Params != nil && !json.Valid(p.Params) {
				t.Fatalf("ethRpc params %q accepted", p.Params)
			}
			for _, decode := range []func([]byte) (EthSignParams, *Error){DecodeEthSignMessage, DecodeEthSignTypedData} {
				if p, err := decode(req.Params); err != nil && p.PIN != nil {
					t.Fatal("PIN returned with an error")
				}
			}
			p, err := DecodeEthSendCalls(req.Params)
			switch {
			case err != nil && (p.PIN != nil || p.Calls != nil):
				t.Fatal("PIN or calls returned with an error")
			case err == nil && (len(p.Calls) == 0 || len(p.Calls) > MaxCalls):
				t.Fatalf("%d calls accepted", len(p.Calls))
			}
			for _, c := range p.Calls {
				if c.Value == nil || c.Value.Sign() < 0 || c.Value.BitLen() > 256 {
					t.Fatalf("value %v accepted", c.Value)
				}
			}
			if h, err := DecodeEthSignHandover(req.Params); err != nil && h.PIN != nil {
				t.Fatal("PIN returned with an error")
			}
		}
	})
}

// The PIN is read by its own reader, never through encoding/json (which
// would leave a Go string copy behind): an escaped digit stays escaped, as
// decodePIN copies the raw characters.
func TestThePINIsReadRawInEveryMethod(t *testing.T) {
	const escaped = `"\u0031234"`
	p, err := DecodeAuthenticate([]byte(`{"origin":"https://a.jp","challengeNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":` + escaped + `}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(p.PIN) != escaped[1:len(escaped)-1] {
		t.Errorf("authenticate PIN = %q, want the raw characters", []byte(p.PIN))
	}
	s, err := DecodeEthSignMessage([]byte(`{"chainId":1,"account":"0x0000000000000000000000000000000000000001","certificateSha256":"` +
		strings.Repeat("ab", 32) + `","pin":` + escaped + `,"message":"0x"}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(s.PIN) != escaped[1:len(escaped)-1] {
		t.Errorf("ethSignMessage PIN = %q, want the raw characters", []byte(s.PIN))
	}
	h, err := DecodeEthSignHandover([]byte(`{"chainId":1,"account":"0x0000000000000000000000000000000000000001","certificateSha256":"` +
		strings.Repeat("ab", 32) + `","pin":` + escaped + `}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(h.PIN) != escaped[1:len(escaped)-1] {
		t.Errorf("ethSignHandover PIN = %q, want the raw characters", []byte(h.PIN))
	}
}
