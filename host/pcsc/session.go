package pcsc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ebfe/scard"
	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// protocols are the ones a My Number card may speak; it answers T=1.
const protocols = scard.ProtocolT1 | scard.ProtocolT0

// removalWait bounds how long a failed exchange waits for the reader to
// report the card gone. A card pulled out mid-APDU fails the exchange at once,
// but a reader that pcscd polls (every 400 ms) still reports it present for a
// moment; a reader with interrupt notification reports it at once. This is
// the host's one removal wait: the card service above trusts what it says.
const removalWait = 1500 * time.Millisecond

// A Session is an exclusive connection to the card in one reader. No other
// application can talk to the card while it is open, and Close resets the
// card, so a PIN verified during the session dies with it.
//
// A Session implements jpki.Transport. Its methods are safe for concurrent
// use, but a sequence of APDUs that depends on the card's state (select,
// verify, sign) must not be interleaved with another: the caller serialises
// card operations.
type Session struct {
	reader string

	mu   sync.Mutex
	sc   *scard.Context // nil once closed
	card *scard.Card
	// state is the reader's state just after connecting, card-event counter
	// included, to tell a failed exchange from a card that left.
	state scard.StateFlag
}

var _ jpki.Transport = (*Session)(nil)

// Connect opens an exclusive session with the card in reader. It does not
// wait for a card: WaitForCard does.
//
// It fails with jpki.ErrNoReader when there is no such reader,
// jpki.ErrNoCard when the reader is empty, jpki.ErrReaderBusy when another
// application is connected to the card (without waiting for it), jpki.ErrCardMute
// when the card does not answer, and jpki.ErrNoService when PC/SC is not running.
func Connect(reader string) (*Session, error) {
	if reader == "" {
		return nil, wrapAs("connect", reader, jpki.ErrNoReader, errors.New("empty reader name"))
	}
	sc, err := scard.EstablishContext()
	if err != nil {
		return nil, wrap("connect", reader, err)
	}
	card, err := sc.Connect(reader, scard.ShareExclusive, protocols)
	if err != nil {
		sc.Release()
		return nil, wrap("connect", reader, err)
	}
	s := &Session{reader: reader, sc: sc, card: card}
	if s.state, err = s.readerState(); err != nil {
		s.Close()
		return nil, wrap("connect", reader, err)
	}
	return s, nil
}

// Reader returns the name of the session's reader.
func (s *Session) Reader() string { return s.reader }

// readerState returns the reader's current state as GetStatusChange reports it.
func (s *Session) readerState() (scard.StateFlag, error) {
	rs := []scard.ReaderState{{Reader: s.reader, CurrentState: scard.StateUnaware}}
	if err := s.sc.GetStatusChange(rs, 0); err != nil {
		return 0, err
	}
	return known(rs[0]), nil
}

// Transmit sends one command APDU and returns the response, data followed by
// SW1 SW2. Status words are the caller's business; Transmit fails only when
// the exchange itself fails.
//
// A card that left the reader, even one pulled out in the middle of the
// exchange, is reported as jpki.ErrCardRemoved, within removalWait on
// readers that pcscd polls. A card reset by someone else is
// jpki.ErrCardReset: its selection and PIN state are gone; Reconnect and
// start the operation again.
func (s *Session) Transmit(cmd []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sc == nil {
		return nil, ErrClosed
	}
	rsp, err := s.card.Transmit(cmd)
	if err == nil && len(rsp) >= 2 {
		return rsp, nil
	}
	if err == nil {
		// Every response ends in a status word. vpcd reports a card that
		// hung up mid-exchange as an empty answer, and a reader driver may
		// do the same with a card pulled out.
		err = fmt.Errorf("%d-byte response without a status word", len(rsp))
		if s.cardGone(removalWait) {
			return nil, wrapAs("transmit", s.reader, jpki.ErrCardRemoved, err)
		}
		return nil, wrapAs("transmit", s.reader, jpki.ErrMalformedResponse, err)
	}
	switch m := meaning(err); m {
	case jpki.ErrCardRemoved, jpki.ErrCardReset, jpki.ErrNoService:
		return nil, wrapAs("transmit", s.reader, m, err)
	}
	if exchangeFailed(err) && s.cardGone(removalWait) {
		return nil, wrapAs("transmit", s.reader, jpki.ErrCardRemoved, err)
	}
	if serviceLost() {
		return nil, wrapAs("transmit", s.reader, jpki.ErrNoService, err)
	}
	return nil, wrap("transmit", s.reader, err)
}

// exchangeFailed reports the errors with which an exchange fails when the
// card, or the reader with it, goes away before pcscd has noticed.
func exchangeFailed(err error) bool {
	var code scard.Error
	if !errors.As(err, &code) {
		return false
	}
	switch code {
	case scard.ErrNotTransacted, scard.ErrCommError, scard.ErrCommDataLost,
		scard.ErrUnknownError, scard.ErrUnresponsiveCard, scard.ErrUnpoweredCard,
		scard.ErrReaderUnavailable, scard.ErrUnknownReader, scard.ErrInvalidHandle:
		return true
	}
	return false
}

// cardGone reports whether the session's card has left the reader, waiting up
// to wait for the reader to say so.
func (s *Session) cardGone(wait time.Duration) bool {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	rs := []scard.ReaderState{{Reader: s.reader, CurrentState: s.state}}
	for {
		err := waitChange(ctx, s.sc, rs)
		if err != nil {
			// A reader unplugged with the card is unknown now.
			return errors.Is(err, scard.ErrUnknownReader) || errors.Is(err, scard.ErrReaderUnavailable)
		}
		ev := rs[0].EventState
		if ev&(scard.StateEmpty|scard.StateUnknown|scard.StateUnavailable) != 0 ||
			ev>>16 != s.state>>16 { // out and back in again: another insertion
			return true
		}
		rs[0].CurrentState = known(rs[0])
	}
}

// Reconnect resets the card and takes it exclusively again, for a session
// whose Transmit reported jpki.ErrCardReset. Selection and PIN state are
// gone afterwards.
func (s *Session) Reconnect() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sc == nil {
		return ErrClosed
	}
	if err := s.card.Reconnect(scard.ShareExclusive, protocols, scard.ResetCard); err != nil {
		return wrap("reconnect", s.reader, err)
	}
	state, err := s.readerState()
	if err != nil {
		return wrap("reconnect", s.reader, err)
	}
	s.state = state
	return nil
}

// Close resets the card, so that nothing verified during the session
// outlives it, and ends the session. A card that already left the reader is
// not an error. Closing a closed session does nothing.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sc == nil {
		return nil
	}
	err := s.card.Disconnect(scard.ResetCard)
	rerr := s.sc.Release()
	s.sc, s.card = nil, nil
	switch m := meaning(err); {
	case err != nil && m != jpki.ErrCardRemoved && m != jpki.ErrNoCard && m != jpki.ErrNoReader:
		// A card that left, alone or with its reader, kept no state to reset.
		return wrap("disconnect", s.reader, err)
	case rerr != nil:
		return wrap("release", s.reader, rerr)
	}
	return nil
}
