package cards

import (
	"context"
	"fmt"
	"io"
	"log"
	"slices"
	"sync"
	"time"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

// Config tunes a Service; the zero value is usable.
type Config struct {
	// AppVersion goes into login tokens; empty means
	// authtoken.AppVersionPrefix + "dev".
	AppVersion string
	// MaxQueue bounds the requests waiting for the card; one more fails
	// with ErrQueueFull. Zero means 8.
	MaxQueue int
	// IdentifyTimeout bounds the identification of a newly inserted card.
	// Zero means 10 s.
	IdentifyTimeout time.Duration
	// MuteAfter is how long one APDU may go unanswered before the card
	// counts as mute (CARD_MUTE) until it leaves the reader: a JPKI
	// signature takes well under a second, and a card or reader driver
	// that stops answering would otherwise hold every operation behind it
	// until its deadline. Zero means 4 s.
	MuteAfter time.Duration
	// Log receives one line per card event and operation, never a PIN;
	// nil discards them.
	Log *log.Logger
}

// Service is the card service. Make it with New, start it with Start and
// stop it with Close. Its methods are safe for concurrent use.
type Service struct {
	backend Backend
	cfg     Config
	log     *log.Logger

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu          sync.Mutex
	readers     []*entry // in the backend's order
	unavailable error    // why the PC/SC service cannot be reached, or nil
	ready       chan struct{}
	readyOnce   sync.Once
	line        line // card operations, one at a time
	subs        map[int]func([]Reader, error)
	nextSub     int

	views    []view        // reader lists not yet sent to subscribers, oldest first
	lastView *view         // the last list queued, to skip repeats
	changed  chan struct{} // views is not empty; the notifier sends them out
}

// view is the reader list as subscribers get it.
type view struct {
	readers []Reader
	err     error
}

// entry is the service's state for one reader.
type entry struct {
	status      ReaderStatus
	state       State
	retries     int    // auth PIN tries left, -1 unknown
	cert        []byte // the auth certificate read from this card, nil if not yet
	identifying bool   // an identification is queued
}

// New returns a Service over b. It does nothing until Start.
func New(b Backend, cfg Config) *Service {
	if cfg.AppVersion == "" {
		cfg.AppVersion = authtoken.AppVersionPrefix + "dev"
	}
	if cfg.MaxQueue <= 0 {
		cfg.MaxQueue = 8
	}
	if cfg.IdentifyTimeout <= 0 {
		cfg.IdentifyTimeout = 10 * time.Second
	}
	if cfg.MuteAfter <= 0 {
		cfg.MuteAfter = 4 * time.Second
	}
	l := cfg.Log
	if l == nil {
		l = log.New(io.Discard, "", 0)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{
		backend: b,
		cfg:     cfg,
		log:     l,
		ctx:     ctx,
		cancel:  cancel,
		ready:   make(chan struct{}),
		line:    line{max: cfg.MaxQueue},
		subs:    make(map[int]func([]Reader, error)),
		changed: make(chan struct{}, 1),
	}
}

// Start starts watching the readers and serving operations.
func (s *Service) Start() {
	s.wg.Add(2)
	go func() { defer s.wg.Done(); s.watch() }()
	go func() { defer s.wg.Done(); s.notify() }()
}

// Close stops the service: operations waiting in line fail with ErrClosed, a running
// one stops before its next APDU and its session is closed (the card reset).
// It waits for that, at most until ctx is done.
func (s *Service) Close(ctx context.Context) error {
	s.line.close()
	s.mu.Lock()
	s.cancel()
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("cards: close: %w", ctx.Err())
	}
}

// track counts a goroutine that Close waits for; false once the service
// is closing.
func (s *Service) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		return false
	}
	s.wg.Add(1)
	return true
}

// Subscribe registers fn to receive the reader list each time it changes
// (err is set, with no readers, while the PC/SC service is unreachable).
// Calls come from one goroutine, in order. The returned function cancels
// the subscription.
func (s *Service) Subscribe(fn func(readers []Reader, err error)) (cancel func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = fn
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs, id)
	}
}

// Readers returns the readers as the monitor last saw them, without waiting
// for the card line. Right after Start it waits for the first report, at
// most until ctx is done. While the PC/SC service is unreachable it fails
// with jpki.ErrNoService.
func (s *Service) Readers(ctx context.Context) ([]Reader, error) {
	if err := s.waitReady(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.viewLocked()
}

func (s *Service) waitReady(ctx context.Context) error {
	select {
	case <-s.ready:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: waiting for the first reader report: %w", ErrTimeout, ctx.Err())
	case <-s.ctx.Done():
		return ErrClosed
	}
}

// viewLocked is the reader list callers see; s.mu is held.
func (s *Service) viewLocked() ([]Reader, error) {
	if s.unavailable != nil {
		return nil, s.unavailable
	}
	out := make([]Reader, 0, len(s.readers))
	for _, e := range s.readers {
		r := Reader{Name: e.status.Name, State: e.state, AuthPINRetries: -1}
		if e.state == StateMyNumber {
			r.AuthPINRetries = e.retries
		}
		out = append(out, r)
	}
	return out, nil
}

// findLocked returns the entry of the named reader, or nil; s.mu is held.
func (s *Service) findLocked(name string) *entry {
	for _, e := range s.readers {
		if e.status.Name == name {
			return e
		}
	}
	return nil
}

// update changes the entry of a reader, if it is still there.
func (s *Service) update(name string, fn func(e *entry)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.findLocked(name); e != nil {
		fn(e)
		s.queueViewLocked()
	}
}

// queueViewLocked queues the reader list for the subscribers if it differs
// from the last one queued; s.mu is held. Taking it in the same critical
// section as the change keeps every state a subscriber should see, in
// order: a card's "card" state is sent even when its identification is
// over before the notifier runs.
func (s *Service) queueViewLocked() {
	readers, err := s.viewLocked()
	v := view{readers, err}
	if last := s.lastView; last != nil && slices.Equal(last.readers, v.readers) && (last.err == nil) == (v.err == nil) {
		return
	}
	s.lastView = &v
	s.views = append(s.views, v)
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// notify sends the queued reader lists to the subscribers. One goroutine
// does it, so that subscribers see the lists in order and never two at once.
func (s *Service) notify() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.changed:
		}
		s.mu.Lock()
		views := s.views
		s.views = nil
		subs := make([]func([]Reader, error), 0, len(s.subs))
		for _, fn := range s.subs {
			subs = append(subs, fn)
		}
		s.mu.Unlock()
		for _, v := range views {
			for _, fn := range subs {
				fn(v.readers, v.err)
			}
		}
	}
}
