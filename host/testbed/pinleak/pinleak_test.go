package pinleak

import (
	"encoding/binary"
	"fmt"
	"testing"
)

// recorder keeps what Check reports instead of failing the test.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func frame(msg string) []byte {
	return append(binary.NativeEndian.AppendUint32(nil, uint32(len(msg))), msg...)
}

func TestCheckFindsEachFormAndIgnoresBase64Blobs(t *testing.T) {
	tests := []struct {
		name   string
		stdout []byte
		stderr string
		leaks  int
	}{
		{"clean", frame(`{"id":1,"result":{}}`), "authenticate: ok", 0},
		{"as typed in stdout", frame(`{"id":1,"error":{"message":"pin 7319"}}`), "", 1},
		{"hex in the log", nil, "sent 37333139", 1},
		{"a longer number around it", nil, "id 173190", 1},
		{"hex beside other text", nil, "SW for 37333139", 1},
		{"Go byte slice", nil, "data [55 51 49 57]", 1},
		{"in both places", frame(`{"id":1,"error":{"message":"7319"}}`), "7319", 2},
		{"in a log timestamp", nil, "mynaconnect-host: 2026/11/22 23:56:48.973190 id 3 hello: ok (7319µs)", 0},
		{"in a timestamp without a date", nil, "09:34:19.157319 id 3 hello: ok", 0},
		{"after a timestamp without a date", nil, "09:34:19.156353 pin 7319", 1},
		{"in the process id", nil, "mynaconnect-host: 2026/11/22 23:56:48.556353 version 0.1.0, pid 17319, started", 0},
		{"after a log timestamp", nil, "mynaconnect-host: 2026/11/22 23:56:48.556353 pin 7319", 1},
		{"inside a signature only", frame(`{"id":1,"result":{"token":{"signature":"ab7319cd"}}}`), "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{TB: t}
			Check(r, tt.stdout, tt.stderr, "7319")
			if len(r.errors) != tt.leaks {
				t.Errorf("%d leaks reported, want %d: %q", len(r.errors), tt.leaks, r.errors)
			}
		})
	}
}
