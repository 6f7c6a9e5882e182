package protocol

import (
	"errors"
	"fmt"
)

// PIN holds a PIN taken from a request. It is a byte slice, never a Go
// string, so that its owner can zero it (Clear) once the card has seen it;
// strings are immutable and linger until the garbage collector reuses them.
//
// Every way of printing or marshalling a PIN prints a placeholder, so that a
// stray log line or error cannot leak it.
type PIN []byte

// Clear overwrites the PIN with zeros.
func (p PIN) Clear() { clear(p) }

// String returns a placeholder.
func (p PIN) String() string { return "[PIN]" }

// GoString returns a placeholder.
func (p PIN) GoString() string { return "[PIN]" }

// Format prints a placeholder whatever the verb: %x or %q must not leak the
// PIN either.
func (p PIN) Format(f fmt.State, _ rune) { fmt.Fprint(f, "[PIN]") }

// MarshalJSON refuses: a PIN never goes back out.
func (p PIN) MarshalJSON() ([]byte, error) {
	return nil, errors.New("protocol: a PIN is never marshalled")
}

// decodeMember reads the PIN member with decodePIN.
func (p *PIN) decodeMember(field string, raw []byte, _ wireOptions) *Error {
	pin, err := decodePIN(field, raw)
	*p = pin
	return err
}

// decodePIN copies the characters of a JSON string into a new PIN without
// unescaping them: a PIN is four ASCII digits, which never need escapes, so
// a string with a backslash simply fails the format check later. Going
// through encoding/json would leave a Go string copy behind.
func decodePIN(field string, raw []byte) (PIN, *Error) {
	if len(raw) < 2 || raw[0] != '"' {
		return nil, badField(field, "want a string of 4 digits, got %s", kindOf(raw))
	}
	inner := raw[1 : len(raw)-1]
	pin := make(PIN, len(inner))
	copy(pin, inner)
	return pin, nil
}
