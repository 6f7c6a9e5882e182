package nativemsg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
)

// frame builds one message as a browser sends it.
func frame(payload string) []byte {
	return append(binary.NativeEndian.AppendUint32(nil, uint32(len(payload))), payload...)
}

// header builds a length prefix alone.
func header(n uint32) []byte { return binary.NativeEndian.AppendUint32(nil, n) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

type readResult struct {
	msg string
	err error
}

func readAll(r *Reader) []readResult {
	var out []readResult
	for i := 0; i < 10000; i++ {
		msg, err := r.ReadMessage()
		if err == io.EOF {
			return out
		}
		res := readResult{err: err}
		if err == nil {
			res.msg = string(msg)
		}
		out = append(out, res)
	}
	panic("reader never reached EOF")
}

func TestReaderReadsFramesAndReportsEachFaultAlone(t *testing.T) {
	big := `"` + strings.Repeat("x", 100) + `"`
	tests := []struct {
		name   string
		max    int
		stream []byte
		want   []readResult
	}{
		{"empty stream is a clean EOF", 0, nil, nil},
		{"one message", 0, frame(`{"id":1}`), []readResult{{msg: `{"id":1}`}}},
		{"two messages", 0, cat(frame(`1`), frame(`[2]`)), []readResult{{msg: "1"}, {msg: "[2]"}}},
		{"message exactly at the cap", 10, frame(`"12345678"`), []readResult{{msg: `"12345678"`}}},
		{"oversize then valid stays in sync", 10, cat(frame(big), frame(`{}`)),
			[]readResult{{err: ErrTooLarge}, {msg: "{}"}}},
		{"zero length then valid", 0, cat(header(0), frame(`true`)),
			[]readResult{{err: ErrEmpty}, {msg: "true"}}},
		{"not JSON then valid", 0, cat(frame(`{"id":1`), frame(`{}`)),
			[]readResult{{err: ErrNotJSON}, {msg: "{}"}}},
		{"trailing data is not JSON", 0, cat(frame(`{} {}`), frame(`{}`)),
			[]readResult{{err: ErrNotJSON}, {msg: "{}"}}},
		{"invalid UTF-8 then valid", 0, cat(frame("\"\xff\xfe\""), frame(`{}`)),
			[]readResult{{err: ErrInvalidUTF8}, {msg: "{}"}}},
		{"truncated header", 0, []byte{1, 0}, []readResult{{err: ErrTruncated}}},
		{"truncated payload", 0, cat(header(10), []byte(`{"a"`)), []readResult{{err: ErrTruncated}}},
		{"truncated oversize payload", 10, cat(header(1000), []byte(big)), []readResult{{err: ErrTruncated}}},
		{"huge declared length that never comes", 0, cat(frame(`1`), header(0xFFFFFFFF)),
			[]readResult{{msg: "1"}, {err: ErrTruncated}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(NewReader(bytes.NewReader(tt.stream), tt.max))
			if len(got) != len(tt.want) {
				t.Fatalf("got %d results %v, want %d %v", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if got[i].msg != tt.want[i].msg || !errors.Is(got[i].err, tt.want[i].err) {
					t.Errorf("result %d = %q, %v; want %q, %v", i, got[i].msg, got[i].err, tt.want[i].msg, tt.want[i].err)
				}
			}
		})
	}
}

func TestReaderDefaultCapIs64KiB(t *testing.T) {
	r := NewReader(bytes.NewReader(nil), 0)
	if r.MaxSize() != 64<<10 {
		t.Errorf("MaxSize() = %d, want %d", r.MaxSize(), 64<<10)
	}
	payload := `"` + strings.Repeat("a", 64<<10-2) + `"`
	r = NewReader(bytes.NewReader(cat(frame(payload), frame(payload+" "))), 0)
	if msg, err := r.ReadMessage(); err != nil || len(msg) != 64<<10 {
		t.Fatalf("message at the default cap: %d bytes, %v", len(msg), err)
	}
	if _, err := r.ReadMessage(); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("one byte over the default cap: %v, want ErrTooLarge", err)
	}
}

func TestReaderReturnsThePrefixOfAnOversizeMessage(t *testing.T) {
	payload := `{"id":7,"method":"authenticate","params":{"origin":"` + strings.Repeat("o", 200) + `"}}`
	r := NewReader(bytes.NewReader(cat(frame(payload), frame(`{}`))), 100)
	head, err := r.ReadMessage()
	if !errors.Is(err, ErrTooLarge) || string(head) != payload[:TooLargePrefix] {
		t.Fatalf("got %q, %v; want the first %d bytes and ErrTooLarge", head, err, TooLargePrefix)
	}
	if msg, err := r.ReadMessage(); err != nil || string(msg) != "{}" {
		t.Fatalf("next message: %q, %v", msg, err)
	}
}

func TestReaderNotJSONErrorHidesThePayload(t *testing.T) {
	r := NewReader(bytes.NewReader(frame(`{"pin":"9876"`)), 0)
	_, err := r.ReadMessage()
	if !errors.Is(err, ErrNotJSON) || strings.Contains(err.Error(), "9876") {
		t.Fatalf("err = %v, want ErrNotJSON without the payload", err)
	}
}

func TestReaderReusesAndWipesItsBuffer(t *testing.T) {
	r := NewReader(bytes.NewReader(cat(frame(`"secret"`), frame(`"`+strings.Repeat("b", 5000)+`"`))), 0)
	first, err := r.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadMessage(); err != nil {
		t.Fatal(err)
	}
	// The second message outgrew the first buffer: the old one is wiped.
	if bytes.Contains(first[:cap(first)], []byte("secret")) {
		t.Errorf("the outgrown buffer still holds the first message")
	}
}

func TestWriterFramesAndRefusesBadMessages(t *testing.T) {
	tests := []struct {
		name    string
		max     int
		msg     string
		wantErr error
	}{
		{"valid", 0, `{"id":1,"result":{}}`, nil},
		{"at the cap", 3, `"a"`, nil},
		{"over the cap", 3, `"ab"`, ErrTooLarge},
		{"empty", 0, ``, ErrEmpty},
		{"not JSON", 0, `{`, ErrNotJSON},
		{"invalid UTF-8 in a string", 0, "\"\xff\"", ErrInvalidUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := NewWriter(&out, tt.max).WriteMessage([]byte(tt.msg))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			want := []byte(nil)
			if tt.wantErr == nil {
				want = frame(tt.msg)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("wrote %q, want %q", out.Bytes(), want)
			}
		})
	}
}

func TestWriterDefaultCapIs512KiB(t *testing.T) {
	w := NewWriter(io.Discard, 0)
	if w.MaxSize() != 512<<10 {
		t.Errorf("MaxSize() = %d, want %d", w.MaxSize(), 512<<10)
	}
	if err := w.WriteMessage([]byte(`"` + strings.Repeat("a", 512<<10) + `"`)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the default cap: %v, want ErrTooLarge", err)
	}
}

func TestWriterConcurrentMessagesNeverInterleave(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, 0)
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := map[string]string{"w": strings.Repeat(string(rune('a'+i)), 300+i)}
			for range each {
				if err := w.WriteJSON(msg); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	got := readAll(NewReader(&out, 0))
	if len(got) != writers*each {
		t.Fatalf("read %d messages, want %d", len(got), writers*each)
	}
	for _, m := range got {
		if m.err != nil {
			t.Fatalf("interleaved output: %v", m.err)
		}
	}
}

func TestWriterOutputReadsBack(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, 0)
	msgs := []string{`{"id":1}`, `{"event":"readersChanged","data":{"readers":[]}}`, `"日本語"`}
	for _, m := range msgs {
		if err := w.WriteMessage([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	got := readAll(NewReader(&out, 0))
	for i, m := range msgs {
		if got[i].msg != m || got[i].err != nil {
			t.Errorf("message %d = %q, %v; want %q", i, got[i].msg, got[i].err, m)
		}
	}
}
