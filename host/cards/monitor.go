package cards

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// Backoff between attempts to reach the PC/SC service after it failed.
const (
	minRetryWait = 250 * time.Millisecond
	maxRetryWait = 5 * time.Second
)

// watch follows the backend's reader reports until Close. When the PC/SC
// service fails or is not running, it records that (operations then fail
// with jpki.ErrNoService rather than hang) and tries again with backoff:
// pcscd may be started, or restarted, while the host runs.
func (s *Service) watch() {
	wait := minRetryWait
	for {
		reported := false
		settler := s.newSettler()
		err := s.backend.Watch(s.ctx, func(st []ReaderStatus) {
			reported = true
			settler.report(st)
		})
		settler.close()
		if s.ctx.Err() != nil {
			return
		}
		if err == nil {
			err = errors.New("reader monitor stopped")
		}
		if reported {
			wait = minRetryWait
		}
		s.setUnavailable(err)
		t := time.NewTimer(wait)
		select {
		case <-s.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(2*wait, maxRetryWait)
	}
}

// setUnavailable forgets every reader: nothing is known about them while
// PC/SC is down, and a card may be swapped meanwhile. The error is kept as
// callers get it: naming jpki.ErrNoService once.
func (s *Service) setUnavailable(err error) {
	if !errors.Is(err, jpki.ErrNoService) {
		err = fmt.Errorf("%w: %w", jpki.ErrNoService, err)
	}
	s.mu.Lock()
	if s.unavailable == nil {
		s.log.Printf("PC/SC unavailable: %v", err)
	}
	s.unavailable = err
	s.readers = nil
	s.queueViewLocked()
	s.mu.Unlock()
	s.readyOnce.Do(func() { close(s.ready) })
}

// apply merges a reader report into the state: a card that arrived is
// queued for identification; a card that left takes its cached
// certificate and PIN counter with it.
func (s *Service) apply(report []ReaderStatus) {
	var identify []string
	s.mu.Lock()
	if s.unavailable != nil {
		s.log.Printf("PC/SC available again")
		s.unavailable = nil
	}
	next := make([]*entry, 0, len(report))
	for _, st := range report {
		old := s.findLocked(st.Name)
		e := &entry{status: st, state: StateEmpty, retries: -1}
		if old != nil {
			*e = *old
			e.status = st
		}
		arrived := st.CardPresent && !st.Mute && (old == nil || !old.status.CardPresent ||
			old.status.Mute || st.Insertions != old.status.Insertions)
		released := old != nil && old.status.InUse && !st.InUse && old.state == StateBusy
		switch {
		case !st.CardPresent:
			if old != nil && old.status.CardPresent {
				s.log.Printf("reader %q: card removed", st.Name)
			}
			e.state, e.retries, e.cert, e.identifying = StateEmpty, -1, nil, false
		case st.Mute:
			if old == nil || !old.status.Mute {
				s.log.Printf("reader %q: the card does not respond", st.Name)
			}
			e.state, e.retries, e.cert, e.identifying = StateMute, -1, nil, false
		case arrived:
			s.log.Printf("reader %q: card inserted", st.Name)
			e.state, e.retries, e.cert = StateCard, -1, nil
			identify = append(identify, st.Name)
		case released:
			// The program that held the card let go: identify it now.
			e.state = StateCard
			identify = append(identify, st.Name)
		}
		next = append(next, e)
	}
	s.readers = next
	s.queueViewLocked()
	s.mu.Unlock()
	s.readyOnce.Do(func() { close(s.ready) })
	for _, name := range identify {
		s.queueIdentify(name)
	}
}

// queueIdentify puts the identification of the card in a reader in the
// card line, unless one is waiting already: SELECT AP, token info and the
// PIN counter, about five APDUs, so that listReaders can say "mynumber" and
// how many tries are left before anyone asks for the card. It joins the
// line at once, so an operation that arrives after the card was reported
// finds it identified.
func (s *Service) queueIdentify(name string) {
	s.mu.Lock()
	e := s.findLocked(name)
	if e == nil || e.identifying {
		s.mu.Unlock()
		return
	}
	e.identifying = true
	s.mu.Unlock()

	p, err := s.line.join(false)
	if err != nil { // closed
		return
	}
	if !s.track() {
		p.leave()
		return
	}
	go func() {
		defer s.wg.Done()
		defer p.leave()
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.IdentifyTimeout)
		defer cancel()
		if err := p.wait(ctx, s.ctx.Done()); err != nil {
			s.update(name, func(e *entry) { e.identifying = false })
			return
		}
		s.identify(ctx, name)
	}()
}

// identify runs in the card line. The session's own bookkeeping (withCard)
// records what it learns; all identify adds is the PIN counter.
func (s *Service) identify(ctx context.Context, name string) {
	s.mu.Lock()
	e := s.findLocked(name)
	still := e != nil && e.status.CardPresent && e.identifying
	if e != nil {
		e.identifying = false
	}
	s.mu.Unlock()
	if !still {
		return
	}
	start := time.Now()
	var retries int
	err := s.withCard(ctx, name, func(card *jpki.Card) error {
		var err error
		retries, err = card.AuthPINRetries()
		return err
	}, func(e *entry) { e.retries = retries })
	if err != nil && s.ctx.Err() != nil {
		// The service is closing (the browser went away): not a failure.
		s.log.Printf("reader %q: identification stopped: the service is closing", name)
		return
	}
	s.log.Printf("reader %q: identified in %v: %s", name, time.Since(start).Round(time.Millisecond), outcome(err))
}
