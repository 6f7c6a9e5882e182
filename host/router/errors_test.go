package router

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/authtoken"
	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
)

func TestEveryFailureMapsToItsOwnCode(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("cards: op: %w", err) }
	tests := []struct {
		err  error
		code protocol.Code
	}{
		{wrap(jpki.ErrNoReader), protocol.CodeNoReader},
		{wrap(jpki.ErrNoCard), protocol.CodeNoCard},
		{wrap(jpki.ErrNotMyNumberCard), protocol.CodeNotMyNumberCard},
		{wrap(jpki.ErrCardRemoved), protocol.CodeCardRemoved},
		{wrap(fmt.Errorf("%w: %w", jpki.ErrCardRemoved, jpki.ErrMalformedResponse)), protocol.CodeCardRemoved},
		{wrap(jpki.ErrCardReset), protocol.CodeCardReset},
		{wrap(cards.ErrReaderBusy), protocol.CodeReaderBusy},
		{wrap(cards.ErrCardMute), protocol.CodeCardMute},
		{wrap(cards.ErrQueueFull), protocol.CodeQueueFull},
		{wrap(&jpki.PINError{Retries: 2}), protocol.CodePINWrong},
		{wrap(jpki.ErrPINBlocked), protocol.CodePINBlocked},
		{wrap(&jpki.StatusError{Op: "VERIFY", SW: 0x6983}), protocol.CodePINBlocked},
		{wrap(jpki.ErrBadPINFormat), protocol.CodePINFormat},
		{wrap(authtoken.ErrBadOrigin), protocol.CodeBadOrigin},
		{wrap(authtoken.ErrBadNonce), protocol.CodeBadNonce},
		{wrap(cards.ErrCardChanged), protocol.CodeCardChanged},
		{wrap(fmt.Errorf("%w: pcsc: watch: scard: Service not available", cards.ErrPCSCUnavailable)), protocol.CodePCSCUnavailable},
		{wrap(fmt.Errorf("%w: %w", cards.ErrTimeout, context.DeadlineExceeded)), protocol.CodeTimeout},
		{wrap(&cards.ReaderRequiredError{Readers: []string{"A", "B"}}), protocol.CodeReaderRequired},
		{wrap(&jpki.StatusError{Op: "SIGN", SW: 0x6982}), protocol.CodeCardError},
		{wrap(&jpki.StatusError{Op: "READ BINARY", SW: 0x6F00}), protocol.CodeCardError},
		{wrap(jpki.ErrMalformedResponse), protocol.CodeCardError},
		{wrap(authtoken.ErrBadSignature), protocol.CodeCardError},
		{wrap(cards.ErrClosed), protocol.CodeInternal},
		{errors.New("something else"), protocol.CodeInternal},
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
