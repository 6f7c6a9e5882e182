package pcsc

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/ebfe/scard"
)

// ReaderState is one reader as PC/SC last reported it.
type ReaderState struct {
	// Name is the reader's PC/SC name, as Connect and WaitForCard take it.
	Name string
	// CardPresent reports a card in the reader, answering or not (see Mute).
	CardPresent bool
	// Mute reports a card that does not answer; Connect would fail with
	// jpki.ErrCardMute.
	Mute bool
	// InUse reports that some application, this one included, is connected
	// to the card. While another one is, Connect fails with jpki.ErrReaderBusy.
	// pcsc-lite does not announce connections, so in the states Watch
	// reports InUse is as of the last insertion or removal.
	InUse bool
	// ATR is the card's answer to reset, nil without a card. It names the
	// chip, not the applications on it: never decide from it whether a card
	// is a My Number card.
	ATR []byte
}

// pnpReader is the pseudo-reader whose state changes when a reader is
// plugged in or unplugged, on pcsc-lite and on Windows alike.
const pnpReader = `\\?PnP?\Notification`

// cancelRetry is how often an abandoned wait is cancelled again. SCardCancel
// only interrupts a GetStatusChange that has started waiting; one that lands
// a moment earlier is lost, so the cancel is repeated until the wait returns.
const cancelRetry = 50 * time.Millisecond

// Readers returns every reader with its card state. No reader is not an
// error: the list is then empty.
func Readers() ([]ReaderState, error) {
	sc, err := scard.EstablishContext()
	if err != nil {
		return nil, wrap("list readers", "", err)
	}
	defer sc.Release()
	for {
		names, err := listReaders(sc)
		if err != nil {
			return nil, wrap("list readers", "", err)
		}
		states := make([]ReaderState, 0, len(names))
		if len(names) == 0 {
			return states, nil
		}
		rs := make([]scard.ReaderState, len(names))
		for i, name := range names {
			rs[i] = scard.ReaderState{Reader: name, CurrentState: scard.StateUnaware}
		}
		// Unaware readers make GetStatusChange report their state at once.
		err = sc.GetStatusChange(rs, 0)
		if errors.Is(err, scard.ErrUnknownReader) {
			continue // a reader left between listing and asking: list again
		}
		if err != nil {
			return nil, wrap("list readers", "", err)
		}
		for _, r := range rs {
			states = append(states, stateOf(r))
		}
		return states, nil
	}
}

// listReaders is ListReaders with "no readers" as an empty list.
func listReaders(sc *scard.Context) ([]string, error) {
	names, err := sc.ListReaders()
	if errors.Is(err, scard.ErrNoReadersAvailable) {
		return nil, nil
	}
	return names, err
}

// stateOf translates GetStatusChange's answer for one reader.
func stateOf(r scard.ReaderState) ReaderState {
	ev := r.EventState
	s := ReaderState{Name: r.Reader}
	if ev&scard.StatePresent == 0 || ev&(scard.StateUnknown|scard.StateUnavailable) != 0 {
		return s
	}
	s.CardPresent = true
	s.Mute = ev&scard.StateMute != 0
	s.InUse = ev&(scard.StateExclusive|scard.StateInuse) != 0
	// ebfe/scard leaves Atr untouched when the answer carries none, so it is
	// only read while a card is present.
	s.ATR = bytes.Clone(r.Atr)
	return s
}

func equalStates(a, b []ReaderState) bool {
	return slices.EqualFunc(a, b, func(x, y ReaderState) bool {
		return x.Name == y.Name && x.CardPresent == y.CardPresent && x.Mute == y.Mute &&
			x.InUse == y.InUse && bytes.Equal(x.ATR, y.ATR)
	})
}

// known is the state to pass back to GetStatusChange as the caller's belief:
// the flags without "changed", and the event counter pcsc-lite and Windows
// keep in the upper 16 bits, so that a card pulled out and pushed back in
// between two calls still counts as a change.
func known(r scard.ReaderState) scard.StateFlag {
	return r.EventState &^ scard.StateChanged
}

// waitChange blocks in GetStatusChange until a reader in rs differs from its
// CurrentState, or ctx is done, and then returns ctx.Err(). It waits without
// a timeout and cancels the context to stop: pcsc-lite implements a timeout by
// abandoning the wait from the client side, Cancel is the documented way out.
func waitChange(ctx context.Context, sc *scard.Context, rs []scard.ReaderState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	returned := make(chan struct{})
	cancelled := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(cancelled)
		tick := time.NewTicker(cancelRetry)
		defer tick.Stop()
		for {
			sc.Cancel()
			select {
			case <-returned:
				return
			case <-tick.C:
			}
		}
	})
	err := sc.GetStatusChange(rs, -1)
	close(returned)
	if !stop() {
		// The canceller has started: let it finish before the caller can
		// release the context under it.
		<-cancelled
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
