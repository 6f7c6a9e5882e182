package router

import (
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

func TestEveryMethodButHelloRequiresTheHandshake(t *testing.T) {
	h := newHarness(t, options{})
	for _, m := range []string{"version", "listReaders", "readAuthCertificate", "authPinStatus", "authenticate"} {
		h.Fails(m, nil, failure.HandshakeRequired)
	}
	var hello protocol.HelloResult
	h.OK("hello", map[string]any{"protocol": 1, "extensionVersion": "0.1.0"}, &hello)
	if hello.Protocol != 1 || hello.HostVersion != "0.1.0-test" || strings.Join(hello.Methods, ",") != strings.Join(protocol.Methods, ",") {
		t.Errorf("hello = %+v", hello)
	}
	var v protocol.VersionResult
	h.OK("version", nil, &v)
	if v.HostVersion != "0.1.0-test" || v.Protocol != 1 || v.GoVersion == "" {
		t.Errorf("version = %+v", v)
	}
}

func TestHelloWithAnUnsupportedProtocolIsAVersionMismatch(t *testing.T) {
	h := newHarness(t, options{})
	e := h.Fails("hello", map[string]any{"protocol": 2, "extensionVersion": "9.0.0"}, failure.VersionMismatch)
	if len(e.SupportedProtocols) != 1 || e.SupportedProtocols[0] != 1 || e.HostVersion != "0.1.0-test" {
		t.Errorf("VERSION_MISMATCH = %+v, want supportedProtocols [1] and the host version", e)
	}
	h.Fails("version", nil, failure.HandshakeRequired)
	h.Hello()
	h.OK("version", nil, nil)
}

func TestMalformedMessagesAreAnsweredAndServingGoesOn(t *testing.T) {
	big := strings.Repeat("x", 70<<10)
	tests := []struct {
		name  string
		msg   string
		id    int // -1: id null
		code  failure.Code
		field string
	}{
		{"not JSON", `{"id":1,`, -1, failure.BadRequest, ""},
		{"not an object", `[1,2]`, -1, failure.BadRequest, ""},
		{"missing id", `{"method":"version"}`, -1, failure.BadRequest, "id"},
		{"negative id", `{"id":-1,"method":"version"}`, -1, failure.BadRequest, "id"},
		{"fractional id", `{"id":1.5,"method":"version"}`, -1, failure.BadRequest, "id"},
		{"string id", `{"id":"1","method":"version"}`, -1, failure.BadRequest, "id"},
		{"id over 2^53", `{"id":9007199254740992,"method":"version"}`, -1, failure.BadRequest, "id"},
		{"duplicate id member", `{"id":3,"id":3,"method":"version"}`, -1, failure.BadRequest, "id"},
		{"unknown envelope field", `{"id":4,"method":"version","extra":1}`, 4, failure.BadRequest, "extra"},
		{"missing method", `{"id":5}`, 5, failure.BadRequest, "method"},
		{"method not a string", `{"id":6,"method":5}`, 6, failure.BadRequest, "method"},
		{"params not an object", `{"id":7,"method":"version","params":[]}`, 7, failure.BadRequest, "params"},
		{"params of a method without any", `{"id":8,"method":"version","params":{"x":1}}`, 8, failure.BadRequest, "params.x"},
		{"null params member", `{"id":9,"method":"readAuthCertificate","params":{"reader":null}}`, 9, failure.BadRequest, "params.reader"},
		{"empty reader", `{"id":10,"method":"authPinStatus","params":{"reader":""}}`, 10, failure.BadRequest, "params.reader"},
		{"hello protocol as a string", `{"id":11,"method":"hello","params":{"protocol":"1","extensionVersion":"0.1.0"}}`, 11, failure.BadRequest, "params.protocol"},
		{"hello without extensionVersion", `{"id":12,"method":"hello","params":{"protocol":1}}`, 12, failure.BadRequest, "params.extensionVersion"},
		{"hello without params", `{"id":13,"method":"hello"}`, 13, failure.BadRequest, "params"},
		{"authenticate without pin", `{"id":14,"method":"authenticate","params":{"origin":"https://a.jp","challengeNonce":"x"}}`, 14, failure.BadRequest, "params.pin"},
		{"pin as a number", `{"id":15,"method":"authenticate","params":{"origin":"https://a.jp","challengeNonce":"x","pin":1234}}`, 15, failure.BadRequest, "params.pin"},
		{"origin as a number", `{"id":16,"method":"authenticate","params":{"origin":1,"challengeNonce":"x","pin":"1234"}}`, 16, failure.BadRequest, "params.origin"},
		{"unknown authenticate field", `{"id":17,"method":"authenticate","params":{"origin":"https://a.jp","challengeNonce":"x","pin":"1234","amount":1}}`, 17, failure.BadRequest, "params.amount"},
		{"certificateSha256 not hex", `{"id":18,"method":"authenticate","params":{"origin":"https://a.jp","challengeNonce":"x","pin":"1234","certificateSha256":"zz"}}`, 18, failure.BadRequest, "params.certificateSha256"},
		{"trailing data", `{"id":19,"method":"version"} {"id":20}`, 19, failure.BadRequest, ""},
		{"unknown method", `{"id":21,"method":"eth_sign","params":{}}`, 21, failure.UnknownMethod, ""},
		{"oversize with the id first", `{"id":22,"method":"version","params":{"x":"` + big + `"}}`, 22, failure.MessageTooLarge, ""},
		{"oversize without an id first", `{"method":"version","id":23,"params":{"x":"` + big + `"}}`, -1, failure.MessageTooLarge, ""},
		{"empty message", ``, -1, failure.BadRequest, ""},
		{"invalid UTF-8", "{\"id\":24,\"method\":\"\xff\"}", -1, failure.BadRequest, ""},
	}
	h := newHarness(t, options{})
	h.Hello()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.t = t
			h.SendRaw(tt.msg)
			r := h.Response()
			switch {
			case tt.id < 0 && r.ID != nil:
				t.Errorf("id = %d, want null", *r.ID)
			case tt.id >= 0 && (r.ID == nil || *r.ID != uint64(tt.id)):
				t.Errorf("id = %v, want %d", r.ID, tt.id)
			}
			if r.Error == nil || r.Error.Code != tt.code || r.Error.Field != tt.field {
				t.Fatalf("error = %+v, want %s on field %q", r.Error, tt.code, tt.field)
			}
			if r.Error.Message == "" {
				t.Errorf("%s without a message", r.Error.Code)
			}
			// The host keeps serving.
			h.OK("version", nil, nil)
		})
	}
}

func TestAnIDStillInFlightIsRefused(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	h.insert(reader0, vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = slowSign }), "mynumber")
	h.SendRaw(`{"id":5,"method":"authenticate","params":{"origin":"` + testOrigin + `","challengeNonce":"` + testNonce + `","pin":"1234"}}`)
	h.SendRaw(`{"id":5,"method":"version"}`)
	r := h.Response()
	if r.ID == nil || *r.ID != 5 || r.Error == nil || r.Error.Code != failure.BadRequest || r.Error.Field != "id" {
		t.Fatalf("second request with id 5: %+v, want BAD_REQUEST on id", r)
	}
	if r := h.Response(); r.ID == nil || *r.ID != 5 || r.Error != nil {
		t.Fatalf("the authenticate with id 5: %+v", r)
	}
	h.SendRaw(`{"id":5,"method":"version"}`) // free again
	if r := h.Response(); r.Error != nil {
		t.Fatalf("id 5 after its request finished: %v", r.Error)
	}
}
