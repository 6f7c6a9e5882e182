package nativemsg

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"
)

// Writer writes length-prefixed messages. It is safe for concurrent use: each
// message goes out whole, in one Write call, never interleaved with another.
type Writer struct {
	mu  sync.Mutex
	w   io.Writer
	max int
	buf []byte
}

// NewWriter returns a Writer of messages of at most maxSize bytes; maxSize <= 0
// means DefaultMaxOutbound.
func NewWriter(w io.Writer, maxSize int) *Writer {
	if maxSize <= 0 {
		maxSize = DefaultMaxOutbound
	}
	return &Writer{w: w, max: maxSize}
}

// MaxSize is the largest payload the Writer sends.
func (w *Writer) MaxSize() int { return w.max }

// WriteMessage writes one message. It refuses, without writing anything, a
// payload that is empty, over the cap (ErrTooLarge) or not JSON: the browser
// would close the port on any of them.
func (w *Writer) WriteMessage(msg []byte) error {
	switch {
	case len(msg) == 0:
		return ErrEmpty
	case len(msg) > w.max:
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(msg), w.max)
	case !utf8.Valid(msg): // json.Valid lets invalid UTF-8 pass inside strings
		return fmt.Errorf("%w: refusing to send it", ErrInvalidUTF8)
	case !json.Valid(msg):
		return fmt.Errorf("%w: refusing to send it", ErrNotJSON)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = byteOrder.AppendUint32(w.buf[:0], uint32(len(msg)))
	w.buf = append(w.buf, msg...)
	_, err := w.w.Write(w.buf)
	clear(w.buf)
	if err != nil {
		return fmt.Errorf("nativemsg: write %d-byte message: %w", len(msg), err)
	}
	return nil
}

// WriteJSON marshals v and writes it as one message.
func (w *Writer) WriteJSON(v any) error {
	msg, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("nativemsg: marshal message: %w", err)
	}
	return w.WriteMessage(msg)
}
