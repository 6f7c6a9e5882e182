// Package pinleak is for tests: it looks for a PIN in everything the host
// wrote — its framed JSON on stdout and its log on stderr — in every form a
// careless log line could give it (as typed, hex either case, Go's byte
// slice formatting). The rule it checks: the PIN is never logged, stored or
// returned.
package pinleak

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/nativemsg"
)

// Check fails t for every form of every pin found in stdout (the host's
// framed messages) or stderr (its log).
func Check(t testing.TB, stdout []byte, stderr string, pins ...string) {
	t.Helper()
	out := withoutBlobs(t, stdout)
	log := withoutLogNumbers(stderr)
	for _, where := range []struct{ name, text string }{{"stdout", out}, {"stderr", log}} {
		for _, pin := range pins {
			if leak := form(where.text, pin); leak != "" {
				t.Errorf("the host's %s contains PIN %s as %q", where.name, pin, leak)
			}
		}
	}
}

// form returns the form in which pin appears in text, or "".
func form(text, pin string) string {
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

// logNumbers matches the numbers the host's log carries by itself: the
// timestamp of every line, with or without its date (microseconds give
// four-digit runs at random), its process id and the durations it reports.
var logNumbers = regexp.MustCompile(`(\d{4}/\d{2}/\d{2} )?\d{2}:\d{2}:\d{2}(\.\d+)?|pid \d+|\(\d+(\.\d+)?[µm]?s\)`)

// withoutLogNumbers returns the host's log with those numbers cut out.
func withoutLogNumbers(stderr string) string {
	return logNumbers.ReplaceAllString(stderr, "")
}

// withoutBlobs returns the host's stdout with the base64 certificates and
// signatures cut out: random base64 contains four-digit runs by chance.
func withoutBlobs(t testing.TB, out []byte) string {
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
			t.Fatalf("pinleak: the host wrote %q: %v", msg, err)
		}
		for _, blob := range blobs(v) {
			text = strings.ReplaceAll(text, blob, "")
		}
	}
}

// blobs returns the base64 values of certificate and signature members,
// however deep.
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
