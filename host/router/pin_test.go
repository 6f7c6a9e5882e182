package router

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/nativemsg"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/vcard"
	"github.com/mynaconnect/mynaconnect/host/vcard/vcardtest"
)

func TestThePINNeverAppearsInWhatTheHostWrites(t *testing.T) {
	const right, wrong, malformed, stray = "7319", "8264", "46a1", "5083"
	h := newHarness(t, options{})
	h.hello()
	h.insert(reader0, vcardtest.NewCard(t, func(c *vcard.Config) { c.AuthPIN.Value = right }), "mynumber")

	h.fails("authenticate", authParams(wrong), protocol.CodePINWrong)
	h.ok("authenticate", authParams(right), nil)
	h.fails("authenticate", authParams(malformed), protocol.CodePINFormat)
	h.fails("authenticate", authParams(stray, "extra", 1), protocol.CodeBadRequest)
	h.fails("authenticate", map[string]any{"origin": "http://evil.example", "challengeNonce": testNonce, "pin": stray}, protocol.CodeBadOrigin)
	for _, msg := range []string{
		`{"id":90,"method":"authenticate","params":{"pin":"` + stray + `"}} trailing`,
		`{"id":91,"method":"authenticate","params":{"pin":"` + stray + `"`,
		`{"id":92,"method":"authenticate","params":{"pin":"` + stray + `","x":"` + strings.Repeat("x", 70<<10) + `"}}`,
		`{"id":93,"method":"authenticate","params":{"pin":"` + stray + `","pin":"` + stray + `"}}`,
	} {
		h.sendRaw(msg)
		if r := h.response(); r.Error == nil {
			t.Fatalf("%.40s...: no error", msg)
		}
	}
	h.ok("version", nil, nil)

	out := withoutBlobs(t, []byte(h.stdout.String()))
	for _, where := range []struct{ name, text string }{{"stdout", out}, {"the log", h.stderr.String()}} {
		for _, pin := range []string{right, wrong, malformed, stray} {
			if leak := pinForm(where.text, pin); leak != "" {
				t.Errorf("%s contains PIN %s as %q", where.name, pin, leak)
			}
		}
	}
}

// pinForm returns the form in which pin appears in text, or "".
func pinForm(text, pin string) string {
	forms := []string{
		pin,
		hex.EncodeToString([]byte(pin)),
		strings.ToUpper(hex.EncodeToString([]byte(pin))),
		strings.Trim(fmt.Sprint([]byte(pin)), "[]"),
	}
	for _, f := range forms {
		if strings.Contains(text, f) {
			return f
		}
	}
	return ""
}

// withoutBlobs returns the host's output with the base64 certificates and
// signatures cut out: random base64 contains four-digit runs by chance.
func withoutBlobs(t *testing.T, out []byte) string {
	t.Helper()
	text := string(out)
	rd := nativemsg.NewReader(bytes.NewReader(out), nativemsg.DefaultMaxOutbound)
	for {
		msg, err := rd.ReadMessage()
		if err != nil {
			break
		}
		var v any
		if err := json.Unmarshal(msg, &v); err != nil {
			t.Fatal(err)
		}
		for _, blob := range blobs(v) {
			text = strings.ReplaceAll(text, blob, "")
		}
	}
	return text
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
