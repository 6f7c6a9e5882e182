package cards

import (
	"sync"
	"time"
)

// settle is how long a reader report in which a card disappeared waits for
// a newer report before it is applied. pcscd reports a card it failed to
// reset as removed and, a moment later, inserted again (seen with vpcd:
// "SCardDisconnect() Error resetting card"), and a worn contact can bounce
// the same way: an operation queued in between would fail with NO_CARD for
// a card that never left. Nobody swaps a card this fast, and a removal
// reported 50 ms late changes nothing for the person at the reader.
const settle = 50 * time.Millisecond

// settler carries reports from the backend's Watch goroutine to apply, and
// holds back one that takes a card away until it has settled.
type settler struct {
	s      *Service
	mu     sync.Mutex
	latest []ReaderStatus
	fresh  bool // latest has not been taken yet
	signal chan struct{}
	stop   chan struct{}
	done   chan struct{}
}

func (s *Service) newSettler() *settler {
	st := &settler{
		s:      s,
		signal: make(chan struct{}, 1),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go st.run()
	return st
}

// report takes a report from the backend; a newer one replaces a report
// not applied yet.
func (st *settler) report(r []ReaderStatus) {
	st.mu.Lock()
	st.latest, st.fresh = r, true
	st.mu.Unlock()
	select {
	case st.signal <- struct{}{}:
	default:
	}
}

func (st *settler) take() ([]ReaderStatus, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.latest, st.fresh
	st.fresh = false
	return r, ok
}

func (st *settler) run() {
	defer close(st.done)
	for {
		select {
		case <-st.signal:
		case <-st.stop:
			return
		}
		r, ok := st.take()
		if !ok {
			continue
		}
		if st.s.takesCardAway(r) {
			t := time.NewTimer(settle)
			select {
			case <-t.C:
			case <-st.stop:
				t.Stop()
				return
			}
			if newer, ok := st.take(); ok {
				r = newer
			}
		}
		st.s.apply(r)
	}
}

// close stops the settler, dropping a report not applied yet.
func (st *settler) close() {
	close(st.stop)
	<-st.done
}

// takesCardAway reports whether applying r would make a card that is in a
// reader now disappear (or go mute).
func (s *Service) takesCardAway(r []ReaderStatus) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.readers {
		if !e.status.CardPresent || e.status.Mute {
			continue
		}
		gone := true
		for _, st := range r {
			if st.Name == e.status.Name {
				gone = !st.CardPresent || st.Mute
				break
			}
		}
		if gone {
			return true
		}
	}
	return false
}
