package vcard

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// maxFrame is the largest payload a 2-byte length can announce.
const maxFrame = 0xFFFF

// readFrame reads one vpcd frame, a 2-byte big-endian length and that many
// bytes, into buf (at least maxFrame long) and returns the payload.
func readFrame(r io.Reader, buf []byte) ([]byte, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint16(hdr[:]))
	if _, err := io.ReadFull(r, buf[:n]); err != nil {
		return nil, fmt.Errorf("frame of %d bytes cut short: %w", n, err)
	}
	return buf[:n], nil
}

// writeFrame sends payload as one vpcd frame in a single write.
func writeFrame(w io.Writer, payload []byte) error {
	if len(payload) > maxFrame {
		return fmt.Errorf("frame of %d bytes is too long", len(payload))
	}
	b := make([]byte, 2, 2+len(payload))
	binary.BigEndian.PutUint16(b, uint16(len(payload)))
	_, err := w.Write(append(b, payload...))
	return err
}

// isEOF reports a connection the peer closed, at a frame boundary or not.
func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
