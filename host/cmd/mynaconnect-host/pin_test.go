package main

import (
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/pinleak"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/vcard"
	"github.com/mynaconnect/mynaconnect/host/vcard/vcardtest"
)

func TestPCSCThePINNeverAppearsInTheHostOutput(t *testing.T) {
	const right, wrong, malformed = "7319", "8264", "46a1"
	d, h := ready(t)
	plug(t, d, 0, vcardtest.NewCard(t, func(c *vcard.Config) { c.AuthPIN.Value = right }))
	h.waitState(d.ReaderName(0), "mynumber")
	h.fails("authenticate", authParams(wrong), protocol.CodePINWrong)
	h.ok("authenticate", authParams(right), nil)
	h.fails("authenticate", authParams(malformed), protocol.CodePINFormat)
	h.fails("authenticate", authParams(wrong, "unknown", true), protocol.CodeBadRequest)
	h.send([]byte(`{"id":99,"method":"authenticate","params":{"pin":"` + wrong + `"`))
	if m := h.response(5 * time.Second); m.Error == nil || m.Error.Code != protocol.CodeBadRequest {
		t.Fatalf("not JSON: %+v", m)
	}
	h.stdin.Close()
	<-h.exited

	pinleak.Check(t, []byte(h.stdout.String()), h.stderr.String(), right, wrong, malformed)
}
