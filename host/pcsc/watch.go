package pcsc

import (
	"context"
	"errors"

	"github.com/ebfe/scard"
	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// Watch reports the readers and their cards: it calls changed with the full
// list once at the start and again after every change (a card inserted,
// removed or going mute, a reader plugged in or unplugged), until ctx is done.
// It never polls: it blocks in SCardGetStatusChange, watching the readers and
// the PnP pseudo-reader, and cancels that call when ctx is done.
//
// changed runs on Watch's goroutine. Changes that happen while it runs are
// not lost: the next report compares with the last one Watch made, and the
// per-reader event counter catches a card pulled out and put back in between.
//
// Watch returns ctx.Err() once ctx is done, or an error wrapping jpki.ErrNoService
// when the PC/SC service stops; it may be called again once it runs.
func Watch(ctx context.Context, changed func([]ReaderState)) error {
	sc, err := scard.EstablishContext()
	if err != nil {
		return wrap("watch", "", err)
	}
	defer sc.Release()

	seen := make(map[string]scard.ReaderState) // last answer per reader
	pnp := scard.ReaderState{Reader: pnpReader}
	var last []ReaderState
	reported := false
	for {
		names, err := listReaders(sc)
		if err != nil {
			return wrapLost("watch", "", err)
		}
		// Report first when every reader's state is known: at the start with
		// no readers, and after one was unplugged, nothing else would wake
		// the wait below.
		states, complete := make([]ReaderState, 0, len(names)), true
		for _, name := range names {
			r, ok := seen[name]
			complete = complete && ok
			states = append(states, stateOf(r))
		}
		if complete && (!reported || !equalStates(states, last)) {
			changed(states)
			last, reported = states, true
		}

		// A reader not seen before is unaware, which makes the call return
		// at once with its state.
		rs := make([]scard.ReaderState, 0, len(names)+1)
		for _, name := range names {
			rs = append(rs, scard.ReaderState{Reader: name, CurrentState: known(seen[name])})
		}
		rs = append(rs, pnp)
		err = waitChange(ctx, sc, rs)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, scard.ErrUnknownReader):
			continue // a reader left between listing and waiting: list again
		case err != nil:
			return wrapLost("watch", "", err)
		}
		clear(seen)
		for _, r := range rs[:len(names)] {
			seen[r.Reader] = r
		}
		pnp.CurrentState = known(rs[len(names)])
	}
}

// WaitForCard blocks until reader holds a card that answers, or ctx is done.
// A mute card does not end the wait: the person will take it out and
// reinsert it. It fails with jpki.ErrNoReader when there is no such reader or
// it is unplugged during the wait, and returns ctx.Err() when ctx is done.
func WaitForCard(ctx context.Context, reader string) error {
	sc, err := scard.EstablishContext()
	if err != nil {
		return wrap("wait for card", reader, err)
	}
	defer sc.Release()
	rs := []scard.ReaderState{{Reader: reader, CurrentState: scard.StateUnaware}}
	for {
		if err := waitChange(ctx, sc, rs); err != nil {
			if ctx.Err() != nil {
				return err
			}
			return wrapLost("wait for card", reader, err)
		}
		ev := rs[0].EventState
		switch {
		case ev&(scard.StateUnknown|scard.StateIgnore) != 0:
			return wrapAs("wait for card", reader, jpki.ErrNoReader, errors.New("reader is gone"))
		case stateOf(rs[0]).CardPresent && ev&scard.StateMute == 0:
			return nil
		}
		rs[0].CurrentState = known(rs[0])
	}
}
