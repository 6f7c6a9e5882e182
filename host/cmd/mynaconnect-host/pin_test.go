package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/nativemsg"
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

	out := withoutBlobs(t, []byte(h.stdout.String()))
	for _, where := range []struct{ name, text string }{{"stdout", out}, {"stderr", h.stderr.String()}} {
		for _, pin := range []string{right, wrong, malformed} {
			for _, form := range []string{pin, hex.EncodeToString([]byte(pin)), strings.ToUpper(hex.EncodeToString([]byte(pin))), strings.Trim(fmt.Sprint([]byte(pin)), "[]")} {
				if strings.Contains(where.text, form) {
					t.Errorf("%s contains PIN %s as %q", where.name, pin, form)
				}
			}
		}
	}
}

// withoutBlobs returns the host's stdout with the base64 certificates and
// signatures cut out: random base64 holds four-digit runs by chance.
func withoutBlobs(t *testing.T, out []byte) string {
	t.Helper()
	text := string(out)
	rd := nativemsg.NewReader(bytes.NewReader(out), nativemsg.DefaultMaxOutbound)
	for {
		msg, err := rd.ReadMessage()
		if err != nil {
			return text
		}
		var v any
		if err := json.Unmarshal(msg, &v); err != nil {
			t.Fatal(err)
		}
		for _, blob := range blobs(v) {
			text = strings.ReplaceAll(text, blob, "")
		}
	}
}

func blobs(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && (k == "certificate" || k == "unverifiedCertificate" || k == "signature") {
				out = append(out, s)
			}
			out = append(out, blobs(x)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, blobs(x)...)
		}
	}
	return out
}
