// Package cards is the host's card service: it keeps track of the readers
// and the cards in them, and runs card operations (read the auth
// certificate, read the PIN counter, log in, sign) one at a time.
//
// Operations are plain blocking calls. They take turns in one line, first
// come, first served (line.go), because a card session is exclusive and a
// reader serves one client at a time (ARCHITECTURE.md, rule 5); a caller
// whose deadline passes while it waits never touches the card. Each
// operation opens its own session, connected exclusively, and closes it
// with a reset, so no verified PIN outlives it. A card that stops answering
// is CARD_MUTE after Config.MuteAfter, and stays so until it leaves the
// reader. Reader listings never wait for the line: they come from the
// state the monitor keeps, which follows the backend's presence reports.
//
// The service talks to PC/SC through a Backend; package pcscbackend adapts
// host/pcsc to it, and package virtual provides in-process virtual readers
// for tests.
package cards

import (
	"context"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// Backend is the PC/SC side of the service.
//
// Errors are reported with the sentinels callers match on: jpki.ErrNoReader
// for an unknown reader, jpki.ErrNoCard for an empty one, jpki.ErrReaderBusy when
// another program holds the card, jpki.ErrNoService when the PC/SC service
// cannot be reached.
type Backend interface {
	// Watch calls changed with the status of every reader, first at once
	// and then after every change, until ctx is done (it returns nil) or
	// the PC/SC service fails (it returns why). Calls do not overlap.
	Watch(ctx context.Context, changed func([]ReaderStatus)) error
	// Connect opens an exclusive session with the card in reader.
	Connect(reader string) (Session, error)
}

// Session is an exclusive connection to one card.
type Session interface {
	// Transmit sends one APDU; see jpki.Transport. A card that left the
	// reader gives jpki.ErrCardRemoved, a reset by another party
	// jpki.ErrCardReset.
	jpki.Transport
	// Reconnect re-establishes the session after jpki.ErrCardReset.
	Reconnect() error
	// Close ends the session and resets the card, so that no verified PIN
	// survives it.
	Close() error
}

// ReaderStatus is what a Backend reports about one reader.
type ReaderStatus struct {
	Name        string
	CardPresent bool
	// Mute reports a card that does not answer (inserted the wrong way
	// round, dirty contacts, not a chip card).
	Mute bool
	// InUse reports that some program, maybe this one, is connected to the
	// card. The service only uses its transitions: a card another program
	// held may be free now.
	InUse bool
	// Insertions counts the cards inserted into the reader since the
	// backend started, when the backend can tell; a change with CardPresent
	// true both times means the card was swapped between two reports.
	Insertions uint64
}

// State is what the service knows about the card in a reader.
type State string

// Reader states.
const (
	StateEmpty    State = "empty"    // no card
	StateCard     State = "card"     // a card, not identified (yet, or identification failed)
	StateMyNumber State = "mynumber" // a My Number card
	StateOther    State = "other"    // a card without the JPKI applet or with another token
	StateBusy     State = "busy"     // another program holds the card exclusively
	StateMute     State = "mute"     // a card that does not answer
)

// Reader is the service's view of one reader.
type Reader struct {
	Name  string
	State State
	// AuthPINRetries is the auth PIN's tries left as last seen, or -1 when
	// unknown. Only meaningful for StateMyNumber.
	AuthPINRetries int
}

// authPINMaxTries is what a correct auth PIN resets the counter to on a real
// card (jpki-card.md). The service records it after a correct PIN instead
// of spending two more APDUs to read it back.
const authPINMaxTries = 3
