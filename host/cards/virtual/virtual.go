// Package virtual is a cards.Backend of in-process readers that hold virtual
// cards (host/testbed/vcard). It lets the card service and the request router be
// tested fast, without cgo or a PC/SC daemon; the integration tests of the
// host binary go through the real pcscd instead.
package virtual

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
)

// pollInterval is how often Watch looks at the cards, which can leave their
// reader on their own (vcard's DropAfter fault).
const pollInterval = 5 * time.Millisecond

// Backend is a set of virtual readers. It is safe for concurrent use.
type Backend struct {
	// OnTransmit, if set before use, is called before each APDU with the
	// reader, the command header (CLA INS P1 P2) and the length of the
	// command data, never the data: a VERIFY carries a PIN. Tests use it to
	// tell a VERIFY with a PIN from the retry-counter query.
	OnTransmit func(reader string, header [4]byte, dataLen int)

	mu          sync.Mutex
	readers     []*slot
	unavailable error
	kick        chan struct{}
}

type slot struct {
	name       string
	card       *vcard.Card
	insertions uint64
	elsewhere  bool // another program holds the card
	session    *session
}

// New returns a backend with empty readers of the given names.
func New(readers ...string) *Backend {
	b := &Backend{kick: make(chan struct{}, 1)}
	for _, name := range readers {
		b.readers = append(b.readers, &slot{name: name})
	}
	return b
}

func (b *Backend) changed() {
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

func (b *Backend) find(name string) *slot {
	for _, s := range b.readers {
		if s.name == name {
			return s
		}
	}
	return nil
}

func (b *Backend) with(name string, fn func(s *slot)) {
	b.mu.Lock()
	s := b.find(name)
	if s == nil {
		b.mu.Unlock()
		panic(fmt.Sprintf("virtual: no reader %q", name))
	}
	fn(s)
	b.mu.Unlock()
	b.changed()
}

// AddReader plugs in an empty reader.
func (b *Backend) AddReader(name string) {
	b.mu.Lock()
	b.readers = append(b.readers, &slot{name: name})
	b.mu.Unlock()
	b.changed()
}

// RemoveReader unplugs a reader, and its card with it.
func (b *Backend) RemoveReader(name string) {
	b.mu.Lock()
	b.readers = slices.DeleteFunc(b.readers, func(s *slot) bool {
		if s.name == name && s.card != nil {
			s.card.Remove()
		}
		return s.name == name
	})
	b.mu.Unlock()
	b.changed()
}

// Insert puts card into the reader (Card.Insert: powered, fresh session).
func (b *Backend) Insert(reader string, card *vcard.Card) {
	b.with(reader, func(s *slot) {
		if s.card != nil && s.card != card {
			s.card.Remove()
		}
		card.Insert()
		s.card = card
		s.insertions++
	})
}

// Swap replaces the card in the reader without the reader noticing: a card
// swapped between two PC/SC reports, which the card service must catch by
// itself.
func (b *Backend) Swap(reader string, card *vcard.Card) {
	b.with(reader, func(s *slot) {
		if s.card != nil {
			s.card.Remove()
		}
		card.Insert()
		s.card = card
	})
}

// Remove takes the card out of the reader.
func (b *Backend) Remove(reader string) {
	b.with(reader, func(s *slot) {
		if s.card != nil {
			s.card.Remove()
		}
	})
}

// HoldElsewhere makes the card look held (true) or released (false) by
// another program: Connect fails with jpki.ErrReaderBusy meanwhile.
func (b *Backend) HoldElsewhere(reader string, held bool) {
	b.with(reader, func(s *slot) { s.elsewhere = held })
}

// SetUnavailable makes the PC/SC service look down (err != nil: Watch and
// Connect fail with jpki.ErrNoService wrapping err) or up again (nil).
func (b *Backend) SetUnavailable(err error) {
	b.mu.Lock()
	b.unavailable = err
	b.mu.Unlock()
	b.changed()
}

func (b *Backend) statuses() ([]cards.ReaderStatus, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.unavailable != nil {
		return nil, fmt.Errorf("%w: %w", jpki.ErrNoService, b.unavailable)
	}
	out := make([]cards.ReaderStatus, 0, len(b.readers))
	for _, s := range b.readers {
		present := s.card != nil && s.card.Present()
		out = append(out, cards.ReaderStatus{
			Name:        s.name,
			CardPresent: present,
			InUse:       present && (s.elsewhere || s.session != nil),
			Insertions:  s.insertions,
		})
	}
	return out, nil
}

// Watch implements cards.Backend.
func (b *Backend) Watch(ctx context.Context, changed func([]cards.ReaderStatus)) error {
	var last []cards.ReaderStatus
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	for first := true; ; first = false {
		st, err := b.statuses()
		if err != nil {
			return err
		}
		if first || !slices.Equal(st, last) {
			changed(st)
			last = st
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-b.kick:
		}
	}
}

// Connect implements cards.Backend.
func (b *Backend) Connect(reader string) (cards.Session, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.unavailable != nil {
		return nil, fmt.Errorf("%w: %w", jpki.ErrNoService, b.unavailable)
	}
	s := b.find(reader)
	switch {
	case s == nil:
		return nil, fmt.Errorf("%w: %q", jpki.ErrNoReader, reader)
	case s.card == nil || !s.card.Present():
		return nil, fmt.Errorf("%w: %q", jpki.ErrNoCard, reader)
	case s.elsewhere || s.session != nil:
		return nil, fmt.Errorf("%w: %q", jpki.ErrReaderBusy, reader)
	}
	s.session = &session{b: b, slot: s, card: s.card}
	return s.session, nil
}

// session is an exclusive connection to one virtual card.
type session struct {
	b    *Backend
	slot *slot
	card *vcard.Card
}

func (s *session) Transmit(cmd []byte) ([]byte, error) {
	if tap := s.b.OnTransmit; tap != nil {
		var h [4]byte
		copy(h[:], cmd)
		tap(s.slot.name, h, dataLen(cmd))
	}
	return s.card.Transmit(cmd)
}

// dataLen is the Lc of a short command APDU: 0 for cases 1 and 2.
func dataLen(cmd []byte) int {
	if len(cmd) <= 5 {
		return 0
	}
	return int(cmd[4])
}

// Reconnect implements cards.Session: the card's reset already started a
// fresh session.
func (s *session) Reconnect() error {
	if !s.card.Present() {
		return jpki.ErrCardRemoved
	}
	return nil
}

// Close implements cards.Session: it resets the card, as SCardDisconnect
// with SCARD_RESET_CARD does.
func (s *session) Close() error {
	s.b.mu.Lock()
	if s.slot.session == s {
		s.slot.session = nil
	}
	s.b.mu.Unlock()
	if s.card.Present() {
		s.card.Reset()
	}
	s.b.changed()
	return nil
}
