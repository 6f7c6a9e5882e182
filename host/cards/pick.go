package cards

import (
	"context"
	"fmt"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// pick chooses the reader an operation runs on. It runs in the operation's
// turn, after every identification that joined the card line before it, so
// a card inserted just before the request is already known.
//
// A named reader must exist and hold a card not known to be something else.
// Without a name, the one reader holding a My Number card (or a card not
// identified yet) is chosen; with several, the caller must name one
// (ErrReaderRequired). With none, a single reader whose card another
// program held at the last look is tried again: PC/SC does not announce
// when a program lets go. Otherwise the error says why: a busy reader, a
// foreign card, a mute card, no card, no reader.
func (s *Service) pick(ctx context.Context, name string) (string, error) {
	if err := s.waitReady(ctx); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unavailable != nil {
		return "", s.unavailable
	}
	if name != "" {
		e := s.findLocked(name)
		if e == nil {
			return "", fmt.Errorf("%w: no reader named %q", jpki.ErrNoReader, name)
		}
		if e.state == StateBusy {
			return name, nil
		}
		return name, stateError(e)
	}
	if len(s.readers) == 0 {
		return "", jpki.ErrNoReader
	}
	var candidates, busy []string
	var firstErr error
	for _, e := range s.readers {
		err := stateError(e)
		switch {
		case err == nil:
			candidates = append(candidates, e.status.Name)
		case e.state == StateBusy:
			busy = append(busy, e.status.Name)
		}
		if err != nil && (firstErr == nil || rank(err) < rank(firstErr)) {
			firstErr = err
		}
	}
	switch {
	case len(candidates) == 1:
		return candidates[0], nil
	case len(candidates) > 1:
		return "", &ReaderRequiredError{Readers: candidates}
	case len(busy) == 1:
		return busy[0], nil
	}
	return "", firstErr
}

// stateError is why a reader cannot serve a card operation, or nil.
func stateError(e *entry) error {
	switch e.state {
	case StateEmpty:
		return fmt.Errorf("%w: reader %q is empty", jpki.ErrNoCard, e.status.Name)
	case StateBusy:
		return fmt.Errorf("%w: reader %q", jpki.ErrReaderBusy, e.status.Name)
	case StateOther:
		return fmt.Errorf("%w: the card in reader %q", jpki.ErrNotMyNumberCard, e.status.Name)
	case StateMute:
		return fmt.Errorf("%w: the card in reader %q", jpki.ErrCardMute, e.status.Name)
	}
	return nil
}

// rank orders the reasons no reader could be chosen, most useful first: a
// busy reader probably holds the person's card; a foreign or mute card is
// likely the wrong card or inserted wrongly; an empty reader says the least.
func rank(err error) int {
	switch {
	case isErr(err, jpki.ErrReaderBusy):
		return 0
	case isErr(err, jpki.ErrNotMyNumberCard):
		return 1
	case isErr(err, jpki.ErrCardMute):
		return 2
	}
	return 3
}
