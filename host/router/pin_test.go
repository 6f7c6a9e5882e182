package router

import (
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/testbed/pinleak"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

func TestThePINNeverAppearsInWhatTheHostWrites(t *testing.T) {
	const right, wrong, malformed, stray = "7319", "8264", "46a1", "5083"
	h := newHarness(t, options{})
	h.Hello()
	h.insert(reader0, vcardtest.NewCard(t, func(c *vcard.Config) { c.AuthPIN.Value = right }), "mynumber")

	h.Fails("authenticate", authParams(wrong), failure.PINWrong)
	h.OK("authenticate", authParams(right), nil)
	h.Fails("authenticate", authParams(malformed), failure.PINFormat)
	h.Fails("authenticate", authParams(stray, "extra", 1), failure.BadRequest)
	h.Fails("authenticate", map[string]any{"origin": "http://evil.example", "challengeNonce": testNonce, "pin": stray}, failure.BadOrigin)
	for _, msg := range []string{
		`{"id":90,"method":"authenticate","params":{"pin":"` + stray + `"}} trailing`,
		`{"id":91,"method":"authenticate","params":{"pin":"` + stray + `"`,
		`{"id":92,"method":"authenticate","params":{"pin":"` + stray + `","x":"` + strings.Repeat("x", 70<<10) + `"}}`,
		`{"id":93,"method":"authenticate","params":{"pin":"` + stray + `","pin":"` + stray + `"}}`,
	} {
		h.SendRaw(msg)
		if r := h.Response(); r.Error == nil {
			t.Fatalf("%.40s...: no error", msg)
		}
	}
	h.OK("version", nil, nil)

	pinleak.Check(t, h.Output(), h.stderr.String(), right, wrong, malformed, stray)
}
