package cards

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mynaconnect/mynaconnect/host/failure"
)

// Errors of the service, each carrying its protocol code. Card and reader
// errors come as jpki's (ErrNoService, ErrNoReader, ErrNoCard,
// ErrNotMyNumberCard, ErrCardRemoved, ErrCardReset, ErrReaderBusy,
// ErrCardMute, ErrPINBlocked, ErrBadPINFormat, *PINError, *StatusError);
// authtoken's ErrBadOrigin and ErrBadNonce report a bad login request.
var (
	// ErrQueueFull: too many operations are waiting for the card.
	ErrQueueFull = failure.New(failure.QueueFull, "cards: too many card operations waiting")
	// ErrTimeout: the operation did not finish before its deadline.
	ErrTimeout = failure.New(failure.Timeout, "cards: card operation timed out")
	// ErrCardChanged: the card's auth certificate is not the one the caller
	// named; nothing was sent.
	ErrCardChanged = failure.New(failure.CardChanged, "cards: the card's certificate is not the one shown")
	// ErrClosed: the service is shutting down.
	ErrClosed = errors.New("cards: service closed")
	// ErrBadSignature: the card's signature does not verify with the key
	// of its own certificate.
	ErrBadSignature = failure.New(failure.CardError, "cards: the card's signature does not match its certificate")
	// ErrReaderRequired: several readers hold a My Number card and the
	// request did not name one. The error is a *ReaderRequiredError.
	ErrReaderRequired = failure.New(failure.ReaderRequired, "cards: several My Number cards present")
)

// ReaderRequiredError lists the readers a request could have meant.
type ReaderRequiredError struct {
	Readers []string
}

func (e *ReaderRequiredError) Error() string {
	return fmt.Sprintf("cards: several My Number cards present (%s): name a reader", strings.Join(e.Readers, ", "))
}

// Code is READER_REQUIRED.
func (e *ReaderRequiredError) Code() failure.Code { return failure.ReaderRequired }

// Is makes errors.Is(err, ErrReaderRequired) match.
func (e *ReaderRequiredError) Is(target error) bool { return target == ErrReaderRequired }
