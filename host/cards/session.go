package cards

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// withCard runs fn in a fresh exclusive session with the card in reader
// name: connect, select the applet and check the token (jpki.Open; only
// the selection, jpki.OpenKnown, for a card identified since it was
// inserted), fn, then close with a reset.
//
// If the card is reset by someone else mid-operation, the session is
// re-established and the operation run again, once, because nothing is
// lost by doing so: a correct PIN costs no try. Not when the reset hit a
// VERIFY that carried the PIN, though: whether the card counted it as wrong
// is then unknown, and sending it again could spend a second try.
//
// What the outcome says about the card (a My Number card, another card, a
// busy reader, the PIN counter) is recorded at the end, together with
// record when the operation succeeded, in one step: subscribers see one
// change per operation.
func (s *Service) withCard(ctx context.Context, name string, fn func(card *jpki.Card) error, record ...func(e *entry)) (err error) {
	opened := false
	defer func() {
		s.update(name, func(e *entry) {
			learn(e, opened, err)
			if err == nil {
				for _, r := range record {
					r(e)
				}
			}
		})
	}()
	sess, err := s.connect(ctx, name)
	if err != nil {
		return fmt.Errorf("cards: connect to %q: %w", name, err)
	}
	t := &guardedTransport{ctx: ctx, s: sess, muteAfter: s.cfg.MuteAfter}
	defer func() {
		closeSession := func() {
			if err := sess.Close(); err != nil {
				s.log.Printf("reader %q: closing the session: %v", name, err)
			}
		}
		if t.stuck == nil {
			closeSession()
			return
		}
		// The session is busy with an APDU that gets no answer: it is
		// closed (the card reset) when that returns, not by the next
		// operation's turn.
		go func() { <-t.stuck; closeSession() }()
	}()
	open := jpki.Open
	if s.identified(name) {
		open = jpki.OpenKnown
	}
	for attempt := 1; ; attempt++ {
		card, err := open(t)
		if err == nil {
			opened = true
			err = fn(card)
		}
		if attempt == 1 && errors.Is(err, jpki.ErrCardReset) && !t.verifyUncertain {
			s.log.Printf("reader %q: card reset by another program; reconnecting to try once more", name)
			if rerr := sess.Reconnect(); rerr == nil {
				continue
			} else {
				err = fmt.Errorf("%w (reconnect: %v)", err, rerr)
			}
		}
		return err
	}
}

// identified reports whether the card in reader name was recognised as a
// My Number card since it was inserted. A card swapped faster than the
// monitor reports is still safe to open as known: a card without the JPKI
// applet fails the selection, and a certificate cached from another card
// fails the signature check.
func (s *Service) identified(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.findLocked(name)
	return e != nil && e.state == StateMyNumber
}

// connectRetries are the pauses before connecting again to a reader that
// refused as busy, or as empty while the monitor still sees its card.
// Programs that probe every card (pcsc_scan, a browser's smart-card
// support) hold it for a moment, and pcscd refuses a connection for a
// moment when a card failed to reset at the end of the previous session
// (seen with vpcd). A person's program that keeps the card is still
// reported busy, 175 ms later.
var connectRetries = []time.Duration{25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond}

// connect opens a session, riding out a momentary refusal.
func (s *Service) connect(ctx context.Context, name string) (Session, error) {
	for i := 0; ; i++ {
		sess, err := s.backend.Connect(name)
		if err == nil || i == len(connectRetries) || !s.transient(name, err) {
			return sess, err
		}
		t := time.NewTimer(connectRetries[i])
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%w (gave up waiting: %w)", err, contextError(ctx.Err()))
		case <-t.C:
		}
	}
}

// transient reports whether a refused connection is worth another try.
func (s *Service) transient(name string, err error) bool {
	if errors.Is(err, jpki.ErrReaderBusy) {
		return true
	}
	if !errors.Is(err, jpki.ErrNoCard) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.findLocked(name)
	return e != nil && e.status.CardPresent
}

// learn records what an operation's outcome says about the card in a
// reader: opened means the JPKI applet was opened, so it is a My Number
// card, whatever failed after.
func learn(e *entry, opened bool, err error) {
	if retries, ok := jpki.IsWrongPIN(err); ok {
		e.retries = retries
	}
	switch {
	case errors.Is(err, jpki.ErrNotMyNumberCard):
		e.state, e.retries, e.cert = StateOther, -1, nil
	case errors.Is(err, jpki.ErrReaderBusy):
		e.state = StateBusy
	case errors.Is(err, jpki.ErrCardMute):
		// Until the card leaves the reader, operations on it fail at once
		// instead of waiting for an answer that does not come.
		e.state, e.retries = StateMute, -1
	case errors.Is(err, jpki.ErrCardRemoved), errors.Is(err, jpki.ErrNoCard):
		// The monitor will report the removal too; the cached
		// certificate must not wait for it.
		e.retries, e.cert = -1, nil
	case errors.Is(err, jpki.ErrPINBlocked):
		e.retries = 0
	}
	if opened && e.state != StateEmpty && e.state != StateMute {
		e.state = StateMyNumber
	}
}

// guardedTransport is the session as the card layer sees it: it stops at
// the first APDU after the operation's deadline, gives up on an APDU the
// card does not answer within muteAfter (ErrCardMute), and notes whether a
// VERIFY carrying a PIN got lost on the way.
type guardedTransport struct {
	ctx             context.Context
	s               Session
	muteAfter       time.Duration
	verifyUncertain bool
	// stuck, once an APDU got no answer in time, is closed when the
	// session's Transmit finally returns.
	stuck <-chan struct{}
}

func (t *guardedTransport) Transmit(cmd []byte) ([]byte, error) {
	if err := t.ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	carriesPIN := len(cmd) > 4 && cmd[1] == jpki.InsVerify
	type answer struct {
		rsp []byte
		err error
	}
	answered := make(chan answer, 1)
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		rsp, err := t.s.Transmit(cmd)
		answered <- answer{rsp, err}
	}()
	timer := time.NewTimer(t.muteAfter)
	defer timer.Stop()
	select {
	case a := <-answered:
		if a.err != nil && carriesPIN {
			t.verifyUncertain = true
		}
		return a.rsp, a.err
	case <-timer.C:
		t.stuck = returned
		t.verifyUncertain = t.verifyUncertain || carriesPIN
		return nil, fmt.Errorf("cards: no answer to an APDU in %v: %w", t.muteAfter, jpki.ErrCardMute)
	}
}

// outcome is a short word for logs.
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}
