package jpki

import (
	"fmt"

	"github.com/mynaconnect/mynaconnect/host/failure"
)

// Errors a caller can act on, each named once where it is detected and
// carrying its protocol code (failure.CodeOf). Test with errors.Is;
// PINError and StatusError carry details and are matched with errors.As.
//
// The transport's failures are here too, so that the PC/SC transport and
// the in-process virtual reader report the same values.
var (
	// ErrNoService: the PC/SC service is not running (pcscd on Linux and
	// macOS; on Windows the Smart Card service, which also stops when the
	// last reader is unplugged, so there it often means "no reader").
	ErrNoService = failure.New(failure.PCSCUnavailable, "jpki: the PC/SC service (pcscd) is not running")
	// ErrNoReader: no PC/SC reader is connected (or the named reader is gone).
	ErrNoReader = failure.New(failure.NoReader, "jpki: no card reader")
	// ErrNoCard: the reader is empty.
	ErrNoCard = failure.New(failure.NoCard, "jpki: no card in the reader")
	// ErrNotMyNumberCard: the card has no JPKI applet, or its token info is not
	// that of a My Number card.
	ErrNotMyNumberCard = failure.New(failure.NotMyNumberCard, "jpki: not a My Number card")
	// ErrCardRemoved: the card left the reader during the operation.
	ErrCardRemoved = failure.New(failure.CardRemoved, "jpki: card removed")
	// ErrCardReset: another party reset the card during the session; selection
	// and PIN state are gone.
	ErrCardReset = failure.New(failure.CardReset, "jpki: card was reset")
	// ErrReaderBusy: another application is connected to the card, so it
	// cannot be held exclusively. The transport does not wait for it to let
	// go: pcsc-lite does not announce the end of another client's
	// connection, so a wait could only poll. Ask the person to close the
	// other application (a PKCS#11 module in a browser, the JPKI client
	// software) and try again.
	ErrReaderBusy = failure.New(failure.ReaderBusy, "jpki: the card is in use by another application")
	// ErrCardMute: a card is in the reader but does not answer: inserted the
	// wrong way round, dirty contacts, or not a chip card at all.
	ErrCardMute = failure.New(failure.CardMute, "jpki: the card in the reader does not respond")
	// ErrPINBlocked: the PIN has no tries left. Only the municipal office can
	// unblock it. No VERIFY is sent once this is known.
	ErrPINBlocked = failure.New(failure.PINBlocked, "jpki: PIN blocked")
	// ErrBadPINFormat: the PIN is not in the form the card accepts. Nothing was
	// sent to the card and no try was used.
	ErrBadPINFormat = failure.New(failure.PINFormat, "jpki: bad PIN format")
	// ErrSecurityStatus: the card refused because the PIN was not verified in
	// this session (SW 69 82).
	ErrSecurityStatus = failure.New(failure.CardError, "jpki: security status not satisfied")
	// ErrFileNotFound: the card has no such file or applet (SW 6A 82).
	ErrFileNotFound = failure.New(failure.CardError, "jpki: file not found")
	// ErrMalformedResponse: the card's answer does not have the expected shape.
	ErrMalformedResponse = failure.New(failure.CardError, "jpki: malformed card response")
)

// PINError reports a wrong PIN and how many tries are left (at least 1; a
// wrong PIN that leaves none is ErrPINBlocked).
type PINError struct {
	Retries int
}

func (e *PINError) Error() string {
	return fmt.Sprintf("jpki: wrong PIN, %d tries left", e.Retries)
}

// Code is PIN_WRONG.
func (e *PINError) Code() failure.Code { return failure.PINWrong }

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

// Code is PIN_BLOCKED for the status words of a blocked PIN and CARD_ERROR
// for every other: the status word is read once, here.
func (e *StatusError) Code() failure.Code {
	if isBlockedSW(e.SW) {
		return failure.PINBlocked
	}
	return failure.CardError
}
