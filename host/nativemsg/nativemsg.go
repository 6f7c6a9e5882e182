// Package nativemsg reads and writes the framing of browser native messaging:
// each message is a 4-byte length in the machine's native byte order followed
// by that many bytes of UTF-8 JSON.
//
// Both directions have a size cap. Chrome refuses host-to-browser messages over
// 1 MB and may send up to 4 GB the other way; the host needs neither, so it
// sets its own, smaller caps and turns anything larger into an error that
// leaves the stream in sync.
package nativemsg

import (
	"encoding/binary"
	"errors"
)

// Default size caps of a message payload, header excluded.
const (
	// DefaultMaxInbound caps browser-to-host messages. The largest request
	// the host protocol has is a few hundred bytes.
	DefaultMaxInbound = 64 << 10
	// DefaultMaxOutbound caps host-to-browser messages, well under Chrome's
	// 1 MB limit; a certificate and a signature fit many times over.
	DefaultMaxOutbound = 512 << 10
)

// TooLargePrefix is how many leading bytes of an oversize message a Reader
// returns with ErrTooLarge.
const TooLargePrefix = 64

// headerLen is the size of the length prefix.
const headerLen = 4

// byteOrder is the order browsers use for the length prefix: the host's own.
var byteOrder = binary.NativeEndian

// Errors a Reader or Writer returns. Test with errors.Is: the returned errors
// wrap these with the sizes involved.
var (
	// ErrTooLarge: the message is over the size cap. A Reader has read and
	// discarded its payload, so the next message can still be read.
	ErrTooLarge = errors.New("nativemsg: message too large")
	// ErrEmpty: the length prefix is zero. Browsers never send an empty
	// message: there is no JSON in it.
	ErrEmpty = errors.New("nativemsg: empty message")
	// ErrTruncated: the stream ended inside a message (in its length prefix
	// or payload). No further message can follow.
	ErrTruncated = errors.New("nativemsg: stream ended inside a message")
	// ErrInvalidUTF8: the payload is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("nativemsg: message is not valid UTF-8")
	// ErrNotJSON: the payload is UTF-8 but not one JSON value.
	ErrNotJSON = errors.New("nativemsg: message is not valid JSON")
)
