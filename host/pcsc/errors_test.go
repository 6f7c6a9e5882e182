package pcsc

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ebfe/scard"
	"github.com/mynaconnect/mynaconnect/host/jpki"
)

func TestWrapMapsPCSCErrorsToNamedErrors(t *testing.T) {
	tests := []struct {
		code scard.Error
		want error // nil: no meaning beyond the PC/SC code
	}{
		{scard.ErrNoService, jpki.ErrNoService},
		{scard.ErrServiceStopped, jpki.ErrNoService},
		{scard.ErrNoReadersAvailable, jpki.ErrNoReader},
		{scard.ErrUnknownReader, jpki.ErrNoReader},
		{scard.ErrReaderUnavailable, jpki.ErrNoReader},
		{scard.ErrNoSmartcard, jpki.ErrNoCard},
		{scard.ErrRemovedCard, jpki.ErrCardRemoved},
		{scard.ErrResetCard, jpki.ErrCardReset},
		{scard.ErrSharingViolation, jpki.ErrReaderBusy},
		{scard.ErrUnresponsiveCard, jpki.ErrCardMute},
		{scard.ErrUnpoweredCard, jpki.ErrCardMute},
		{scard.ErrInvalidAtr, jpki.ErrCardMute},
		{scard.ErrUnsupportedCard, jpki.ErrNotMyNumberCard},
		{scard.ErrCardUnsupported, jpki.ErrNotMyNumberCard},
		{scard.ErrProtoMismatch, jpki.ErrNotMyNumberCard},
		{scard.ErrNotTransacted, nil},
		{scard.ErrCommError, nil},
		{scard.ErrTimeout, nil},
		{scard.ErrCancelled, nil},
		{scard.ErrInsufficientBuffer, nil},
	}
	named := []error{jpki.ErrNoService, jpki.ErrReaderBusy, jpki.ErrCardMute, ErrClosed,
		jpki.ErrNoReader, jpki.ErrNoCard, jpki.ErrCardRemoved, jpki.ErrCardReset, jpki.ErrNotMyNumberCard}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%08X", uint32(tt.code)), func(t *testing.T) {
			err := wrap("connect", "Reader 00 00", tt.code)
			if !errors.Is(err, tt.code) {
				t.Errorf("%v: the PC/SC code is not in the chain", err)
			}
			for _, n := range named {
				if got, want := errors.Is(err, n), n == tt.want; got != want {
					t.Errorf("errors.Is(%v, %v) = %v, want %v", err, n, got, want)
				}
			}
			if !strings.HasPrefix(err.Error(), `pcsc: connect "Reader 00 00": `) {
				t.Errorf("%q does not say what failed on which reader", err)
			}
		})
	}
}

func TestWrapLeavesNonPCSCErrorsAlone(t *testing.T) {
	cause := errors.New("boom")
	err := wrap("watch", "", cause)
	if !errors.Is(err, cause) || err.Error() != "pcsc: watch: boom" {
		t.Errorf("wrap = %q", err)
	}
}

func TestWrapAsGivesAReaderErrorASessionMeaning(t *testing.T) {
	// A reader unplugged mid-session takes the card with it: the session
	// reports the card removed, and keeps the PC/SC code.
	err := wrapAs("transmit", "R", jpki.ErrCardRemoved, scard.ErrReaderUnavailable)
	if !errors.Is(err, jpki.ErrCardRemoved) || !errors.Is(err, scard.ErrReaderUnavailable) {
		t.Errorf("wrapAs = %v", err)
	}
	if errors.Is(err, jpki.ErrNoReader) {
		t.Errorf("wrapAs = %v: still says no reader", err)
	}
}

func TestExchangeFailedSelectsTheErrorsWorthARemovalCheck(t *testing.T) {
	for _, code := range []scard.Error{scard.ErrNotTransacted, scard.ErrCommError,
		scard.ErrReaderUnavailable, scard.ErrUnresponsiveCard} {
		if !exchangeFailed(fmt.Errorf("x: %w", code)) {
			t.Errorf("exchangeFailed(%v) = false", code)
		}
	}
	for _, err := range []error{scard.ErrInsufficientBuffer, scard.ErrInvalidParameter, errors.New("other")} {
		if exchangeFailed(err) {
			t.Errorf("exchangeFailed(%v) = true", err)
		}
	}
}

func TestStateOfReadsPresenceMuteUseAndATR(t *testing.T) {
	atr := []byte{0x3b, 0x80}
	tests := []struct {
		name string
		in   scard.ReaderState
		want ReaderState
	}{
		{"empty", scard.ReaderState{Reader: "R", EventState: scard.StateEmpty | 3<<16, Atr: atr},
			ReaderState{Name: "R"}},
		{"present", scard.ReaderState{Reader: "R", EventState: scard.StatePresent | scard.StateChanged, Atr: atr},
			ReaderState{Name: "R", CardPresent: true, ATR: atr}},
		{"exclusive", scard.ReaderState{Reader: "R", EventState: scard.StatePresent | scard.StateExclusive, Atr: atr},
			ReaderState{Name: "R", CardPresent: true, InUse: true, ATR: atr}},
		{"shared", scard.ReaderState{Reader: "R", EventState: scard.StatePresent | scard.StateInuse, Atr: atr},
			ReaderState{Name: "R", CardPresent: true, InUse: true, ATR: atr}},
		{"mute", scard.ReaderState{Reader: "R", EventState: scard.StatePresent | scard.StateMute},
			ReaderState{Name: "R", CardPresent: true, Mute: true}},
		{"unavailable", scard.ReaderState{Reader: "R", EventState: scard.StateUnavailable | scard.StatePresent, Atr: atr},
			ReaderState{Name: "R"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stateOf(tt.in); !equalStates([]ReaderState{got}, []ReaderState{tt.want}) {
				t.Errorf("stateOf = %+v, want %+v", got, tt.want)
			}
		})
	}
}
