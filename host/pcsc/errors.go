package pcsc

import (
	"errors"
	"fmt"

	"github.com/ebfe/scard"
	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// ErrClosed: the session was used after Close. The failures a caller can
// act on are jpki's (ErrNoService, ErrNoReader, ErrNoCard, ErrCardRemoved,
// ErrCardReset, ErrReaderBusy, ErrCardMute, ErrNotMyNumberCard), each
// named once, here, from the PC/SC code; test for them with errors.Is.
var ErrClosed = errors.New("pcsc: session is closed")

// meaning returns the error a caller can act on for a PC/SC failure, or nil
// when the code means nothing beyond "PC/SC failed".
func meaning(err error) error {
	var code scard.Error
	if !errors.As(err, &code) {
		return nil
	}
	switch code {
	case scard.ErrNoService, scard.ErrServiceStopped:
		return jpki.ErrNoService
	case scard.ErrNoReadersAvailable, scard.ErrUnknownReader, scard.ErrReaderUnavailable:
		return jpki.ErrNoReader
	case scard.ErrNoSmartcard:
		return jpki.ErrNoCard
	case scard.ErrRemovedCard:
		return jpki.ErrCardRemoved
	case scard.ErrResetCard:
		return jpki.ErrCardReset
	case scard.ErrSharingViolation:
		return jpki.ErrReaderBusy
	case scard.ErrUnresponsiveCard, scard.ErrUnpoweredCard, scard.ErrInvalidAtr:
		return jpki.ErrCardMute
	case scard.ErrUnsupportedCard, scard.ErrCardUnsupported, scard.ErrProtoMismatch:
		// The reader could not agree T=0 or T=1 with the card, which every
		// My Number card speaks.
		return jpki.ErrNotMyNumberCard
	}
	return nil
}

// wrap describes a failed PC/SC call: the operation, the reader, what the
// failure means to the caller when it means something, and the PC/SC error.
func wrap(op, reader string, err error) error {
	return wrapAs(op, reader, meaning(err), err)
}

// wrapAs is wrap with the meaning chosen by the caller, for the places where
// the same PC/SC code means something else (a reader vanishing mid-session
// takes the card with it).
func wrapAs(op, reader string, m, err error) error {
	where := "pcsc: " + op
	if reader != "" {
		where += fmt.Sprintf(" %q", reader)
	}
	if m == nil || errors.Is(err, m) {
		return fmt.Errorf("%s: %w", where, err)
	}
	return fmt.Errorf("%s: %w: %w", where, m, err)
}

// serviceLost reports whether the PC/SC service has gone away. pcsc-lite
// reports a daemon that dies under a call in progress as a transport error
// (SCARD_F_COMM_ERROR), not as SCARD_E_NO_SERVICE; a fresh context tells.
func serviceLost() bool {
	sc, err := scard.EstablishContext()
	if err != nil {
		return meaning(err) == jpki.ErrNoService
	}
	sc.Release()
	return false
}

// wrapLost is wrap for a failure on an established context, which may mean
// that the service went away.
func wrapLost(op, reader string, err error) error {
	if meaning(err) == nil && serviceLost() {
		return wrapAs(op, reader, jpki.ErrNoService, err)
	}
	return wrap(op, reader, err)
}
