package nativemsg

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
)

// FuzzReader feeds arbitrary bytes to a Reader twice: as a raw stream, where
// it must never panic nor return a message that breaks its promises, and as
// the payload of one well-formed frame followed by a sentinel frame, which it
// must always reach: whatever one message holds, the stream stays in sync.
func FuzzReader(f *testing.F) {
	f.Add([]byte(`{"id":1,"method":"hello"}`), uint16(0))
	f.Add([]byte("\x00\x00\x00\x00"), uint16(4))
	f.Add([]byte("\xff\xff\xff\xff{}"), uint16(16))
	f.Add([]byte("\"\xff\""), uint16(0))
	f.Add([]byte(`{} {}`), uint16(2))
	f.Add([]byte{}, uint16(1))
	const sentinel = `{"sentinel":true}`
	f.Fuzz(func(t *testing.T, data []byte, maxSize uint16) {
		limit := int(maxSize)
		if limit == 0 {
			limit = DefaultMaxInbound
		}

		r := NewReader(bytes.NewReader(data), int(maxSize))
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatalf("more results than input bytes: the reader is not advancing")
			}
			msg, err := r.ReadMessage()
			if err == io.EOF || errors.Is(err, ErrTruncated) {
				break
			}
			if err == nil && (len(msg) > limit || !json.Valid(msg)) {
				t.Fatalf("returned a %d-byte message over the %d cap or not JSON", len(msg), limit)
			}
		}

		stream := append(append(frameBytes(data), frameBytes([]byte(sentinel))...), frameBytes([]byte(`1`))...)
		r = NewReader(bytes.NewReader(stream), max(int(maxSize), len(sentinel)))
		msg, err := r.ReadMessage()
		switch {
		case err == nil:
			if !bytes.Equal(msg, data) {
				t.Fatalf("message = %q, want %q", msg, data)
			}
		case errors.Is(err, ErrTooLarge), errors.Is(err, ErrEmpty), errors.Is(err, ErrNotJSON), errors.Is(err, ErrInvalidUTF8):
		default:
			t.Fatalf("a complete frame gave %v", err)
		}
		if msg, err := r.ReadMessage(); err != nil || string(msg) != sentinel {
			t.Fatalf("after the fuzzed frame: %q, %v; the stream lost sync", msg, err)
		}
		if msg, err := r.ReadMessage(); err != nil || string(msg) != "1" {
			t.Fatalf("last frame: %q, %v", msg, err)
		}
		if _, err := r.ReadMessage(); err != io.EOF {
			t.Fatalf("end of stream: %v, want io.EOF", err)
		}
	})
}

func frameBytes(payload []byte) []byte {
	return append(byteOrder.AppendUint32(nil, uint32(len(payload))), payload...)
}
