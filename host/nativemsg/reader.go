package nativemsg

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Reader reads length-prefixed messages from a stream, one at a time. It is
// not safe for concurrent use: a stream has one reader.
type Reader struct {
	r   io.Reader
	max int
	hdr [headerLen]byte
	// buf is reused from message to message, so that a caller that clears
	// the returned slice clears the only copy the Reader holds (the host
	// relies on this to wipe PINs), and so that an idle host holds one
	// buffer, not one per message.
	buf  []byte
	dead bool // the stream ended mid-message; only EOF follows
}

// NewReader returns a Reader of messages of at most maxSize bytes; maxSize <= 0
// means DefaultMaxInbound.
func NewReader(r io.Reader, maxSize int) *Reader {
	if maxSize <= 0 {
		maxSize = DefaultMaxInbound
	}
	return &Reader{r: r, max: maxSize}
}

// MaxSize is the largest payload the Reader accepts.
func (r *Reader) MaxSize() int { return r.max }

// ReadMessage returns the next message's payload. The slice is only valid
// until the next call, which reuses its memory; the caller may clear it.
//
// At the end of the stream between two messages it returns io.EOF. It returns
// ErrTruncated when the stream ends inside a message, and io.EOF after that.
// ErrTooLarge, ErrEmpty, ErrInvalidUTF8 and ErrNotJSON concern one message
// only: the Reader has consumed it whole and the next call reads the next one.
// With ErrInvalidUTF8 and ErrNotJSON the payload is returned too, so that the
// caller can say what was wrong with it; with ErrTooLarge, its first
// TooLargePrefix bytes, from which a request id may still be read.
func (r *Reader) ReadMessage() ([]byte, error) {
	if r.dead {
		return nil, io.EOF
	}
	if n, err := io.ReadFull(r.r, r.hdr[:]); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, r.fail(fmt.Errorf("%w: %d of %d length bytes: %v", ErrTruncated, n, headerLen, err))
	}
	size := uint64(byteOrder.Uint32(r.hdr[:]))
	if size == 0 {
		return nil, ErrEmpty
	}
	if size > uint64(r.max) {
		// Read the payload and drop it: the length prefix was well formed,
		// so the stream stays in step and the next message can be served.
		// Its first bytes are kept: they usually hold the request id,
		// which lets the caller answer the right request.
		head := r.buffer(min(int(size), TooLargePrefix))
		n, err := io.ReadFull(r.r, head)
		if err == nil {
			var m int64
			m, err = io.CopyN(io.Discard, r.r, int64(size)-int64(n))
			n += int(m)
		}
		if err != nil {
			clear(head)
			return nil, r.fail(fmt.Errorf("%w: oversize message of %d bytes ended after %d: %v", ErrTruncated, size, n, err))
		}
		return head, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, size, r.max)
	}
	msg := r.buffer(int(size))
	if n, err := io.ReadFull(r.r, msg); err != nil {
		clear(msg)
		return nil, r.fail(fmt.Errorf("%w: %d of %d payload bytes: %v", ErrTruncated, n, size, err))
	}
	if !utf8.Valid(msg) {
		return msg, ErrInvalidUTF8
	}
	if !json.Valid(msg) {
		return msg, fmt.Errorf("%w: %w", ErrNotJSON, syntaxError(msg))
	}
	return msg, nil
}

// buffer returns the reusable buffer cut to n bytes, growing it if needed.
func (r *Reader) buffer(n int) []byte {
	if cap(r.buf) < n {
		// The old buffer may hold an earlier message: wipe it before
		// letting it go, so no stale copy of a secret waits for the GC.
		clear(r.buf[:cap(r.buf)])
		r.buf = make([]byte, max(n, min(r.max, 4096)))
	}
	return r.buf[:n]
}

func (r *Reader) fail(err error) error {
	r.dead = true
	return err
}

// syntaxError describes why msg is not JSON by position only: the payload may
// hold a secret, so no part of it goes into the error.
func syntaxError(msg []byte) error {
	var v any
	err := json.Unmarshal(msg, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("syntax error at byte %d", se.Offset)
	}
	return errors.New("syntax error")
}
