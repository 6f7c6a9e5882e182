package jpki

import (
	"errors"
	"fmt"
)

// Errors a caller can act on. Test with errors.Is; PINError and StatusError
// carry details and are matched with errors.As.
var (
	// ErrNoReader: no PC/SC reader is connected (or the named reader is gone).
	ErrNoReader = errors.New("jpki: no card reader")
	// ErrNoCard: the reader is empty.
	ErrNoCard = errors.New("jpki: no card in the reader")
	// ErrNotMyNumberCard: the card has no JPKI applet, or its token info is not
	// that of a My Number card.
	ErrNotMyNumberCard = errors.New("jpki: not a My Number card")
	// ErrCardRemoved: the card left the reader during the operation.
	ErrCardRemoved = errors.New("jpki: card removed")
	// ErrCardReset: another party reset the card during the session; selection
	// and PIN state are gone.
	ErrCardReset = errors.New("jpki: card was reset")
	// ErrPINBlocked: the PIN has no tries left. Only the municipal office can
	// unblock it. No VERIFY is sent once this is known.
	ErrPINBlocked = errors.New("jpki: PIN blocked")
	// ErrBadPINFormat: the PIN is not in the form the card accepts. Nothing was
	// sent to the card and no try was used.
	ErrBadPINFormat = errors.New("jpki: bad PIN format")
	// ErrSecurityStatus: the card refused because the PIN was not verified in
	// this session (SW 69 82).
	ErrSecurityStatus = errors.New("jpki: security status not satisfied")
	// ErrFileNotFound: the card has no such file or applet (SW 6A 82).
	ErrFileNotFound = errors.New("jpki: file not found")
	// ErrMalformedResponse: the card's answer does not have the expected shape.
	ErrMalformedResponse = errors.New("jpki: malformed card response")
)

// PINError reports a wrong PIN and how many tries are left (at least 1; a
// wrong PIN that leaves none is ErrPINBlocked).
type PINError struct {
	Retries int
}

func (e *PINError) Error() string {
	return fmt.Sprintf("jpki: wrong PIN, %d tries left", e.Retries)
}

// StatusError is a status word the operation did not expect.
type StatusError struct {
	Op string // the command that got it, e.g. "SELECT EF 000A"
	SW uint16
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("jpki: %s: unexpected status word %04X", e.Op, e.SW)
}

// Is makes the well-known status words match their sentinel errors, so that
// callers can use errors.Is without caring which command produced them.
func (e *StatusError) Is(target error) bool {
	switch target {
	case ErrSecurityStatus:
		return e.SW == SWSecurityStatusNotSatisfied
	case ErrFileNotFound:
		return e.SW == SWFileNotFound
	case ErrPINBlocked:
		return isBlockedSW(e.SW)
	}
	return false
}
