package cards

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of the service. Card errors come as jpki's (ErrNoReader, ErrNoCard,
// ErrNotMyNumberCard, ErrCardRemoved, ErrCardReset, ErrPINBlocked,
// ErrBadPINFormat, *PINError, *StatusError); authtoken's ErrBadOrigin and
// ErrBadNonce report a bad login request.
var (
	// ErrPCSCUnavailable: the PC/SC service (pcscd) cannot be reached.
	ErrPCSCUnavailable = errors.New("cards: PC/SC service unavailable")
	// ErrReaderBusy: another program holds the card exclusively.
	ErrReaderBusy = errors.New("cards: reader in use by another program")
	// ErrCardMute: a card is in the reader but does not answer.
	ErrCardMute = errors.New("cards: the card does not respond")
	// ErrQueueFull: too many operations are waiting for the card.
	ErrQueueFull = errors.New("cards: too many card operations waiting")
	// ErrTimeout: the operation did not finish before its deadline.
	ErrTimeout = errors.New("cards: card operation timed out")
	// ErrCardChanged: the card's auth certificate is not the one the caller
	// named; nothing was sent.
	ErrCardChanged = errors.New("cards: the card's certificate is not the one shown")
	// ErrClosed: the service is shutting down.
	ErrClosed = errors.New("cards: service closed")
	// ErrBadSignature: the card's signature does not verify with the key
	// of its own certificate.
	ErrBadSignature = errors.New("cards: the card's signature does not match its certificate")
	// ErrReaderRequired: several readers hold a My Number card and the
	// request did not name one. The error is a *ReaderRequiredError.
	ErrReaderRequired = errors.New("cards: several My Number cards present")
)

// ReaderRequiredError lists the readers a request could have meant.
type ReaderRequiredError struct {
	Readers []string
}

func (e *ReaderRequiredError) Error() string {
	return fmt.Sprintf("cards: several My Number cards present (%s): name a reader", strings.Join(e.Readers, ", "))
}

// Is makes errors.Is(err, ErrReaderRequired) match.
func (e *ReaderRequiredError) Is(target error) bool { return target == ErrReaderRequired }
