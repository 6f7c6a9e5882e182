package router

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

func TestEveryFailureMapsToItsOwnCode(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("cards: op: %w", err) }
	tests := []struct {
		err  error
		code failure.Code
	}{
		{wrap(jpki.ErrNoReader), failure.NoReader},
		{wrap(jpki.ErrNoCard), failure.NoCard},
		{wrap(jpki.ErrNotMyNumberCard), failure.NotMyNumberCard},
		{wrap(jpki.ErrCardRemoved), failure.CardRemoved},
		{wrap(fmt.Errorf("%w: %w", jpki.ErrCardRemoved, jpki.ErrMalformedResponse)), failure.CardRemoved},
		{wrap(jpki.ErrCardReset), failure.CardReset},
		{wrap(jpki.ErrReaderBusy), failure.ReaderBusy},
		{wrap(jpki.ErrCardMute), failure.CardMute},
		{wrap(cards.ErrQueueFull), failure.QueueFull},
		{wrap(&jpki.PINError{Retries: 2}), failure.PINWrong},
		{wrap(jpki.ErrPINBlocked), failure.PINBlocked},
		{wrap(&jpki.StatusError{Op: "VERIFY", SW: 0x6983}), failure.PINBlocked},
		{wrap(jpki.ErrBadPINFormat), failure.PINFormat},
		{wrap(authtoken.ErrBadOrigin), failure.BadOrigin},
		{wrap(authtoken.ErrBadNonce), failure.BadNonce},
		{wrap(cards.ErrCardChanged), failure.CardChanged},
		{wrap(fmt.Errorf("%w: pcsc: watch: scard: Service not available", jpki.ErrNoService)), failure.PCSCUnavailable},
		{wrap(fmt.Errorf("%w: %w", cards.ErrTimeout, context.DeadlineExceeded)), failure.Timeout},
		{wrap(&cards.ReaderRequiredError{Readers: []string{"A", "B"}}), failure.ReaderRequired},
		{wrap(&jpki.StatusError{Op: "SIGN", SW: 0x6982}), failure.CardError},
		{wrap(&jpki.StatusError{Op: "READ BINARY", SW: 0x6F00}), failure.CardError},
		{wrap(jpki.ErrMalformedResponse), failure.CardError},
		{wrap(fmt.Errorf("%w: %w", cards.ErrBadSignature, authtoken.ErrBadSignature)), failure.CardError},
		{wrap(cards.ErrClosed), failure.Internal},
		{errors.New("something else"), failure.Internal},
	}
	for _, tt := range tests {
		got := errorFor(tt.err)
		if got.Code != tt.code {
			t.Errorf("errorFor(%v) = %s, want %s", tt.err, got.Code, tt.code)
		}
		if got.Message == "" {
			t.Errorf("errorFor(%v): empty message", tt.err)
		}
	}
	if e := errorFor(&jpki.PINError{Retries: 1}); e.RetriesLeft == nil || *e.RetriesLeft != 1 {
		t.Errorf("PIN_WRONG retriesLeft = %v, want 1", e.RetriesLeft)
	}
	if e := errorFor(jpki.ErrPINBlocked); e.RetriesLeft == nil || *e.RetriesLeft != 0 {
		t.Errorf("PIN_BLOCKED retriesLeft = %v, want 0", e.RetriesLeft)
	}
	if e := errorFor(&cards.ReaderRequiredError{Readers: []string{"A", "B"}}); len(e.Readers) != 2 {
		t.Errorf("READER_REQUIRED readers = %v", e.Readers)
	}
}
