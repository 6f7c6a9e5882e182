package main

import (
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/testbed/pinleak"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

func TestPCSCThePINNeverAppearsInTheHostOutput(t *testing.T) {
	const right, wrong, malformed = "7319", "8264", "46a1"
	d, h := ready(t)
	plug(t, d, 0, vcardtest.NewCard(t, func(c *vcard.Config) { c.AuthPIN.Value = right }))
	h.WaitState(d.ReaderName(0), "mynumber")
	h.Fails("authenticate", authParams(wrong), failure.PINWrong)
	h.OK("authenticate", authParams(right), nil)
	h.Fails("authenticate", authParams(malformed), failure.PINFormat)
	h.Fails("authenticate", authParams(wrong, "unknown", true), failure.BadRequest)
	h.SendRaw(`{"id":99,"method":"authenticate","params":{"pin":"` + wrong + `"`)
	if m := h.ResponseWithin(5 * time.Second); m.Error == nil || m.Error.Code != failure.BadRequest {
		t.Fatalf("not JSON: %+v", m)
	}
	h.stdin.Close()
	<-h.exited

	pinleak.Check(t, h.Output(), h.stderr.String(), right, wrong, malformed)
}
