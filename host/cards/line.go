package cards

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// line serializes card operations, first come, first served: a card session
// is exclusive and a reader serves one client at a time (ARCHITECTURE.md,
// rule 5). It is a lock that hands over in arrival order, that a waiter can
// leave when its context ends, and that refuses a user operation when too
// many wait already.
type line struct {
	max int // user operations that may wait; identification is not counted

	mu      sync.Mutex
	closed  bool
	busy    bool     // some place holds the turn
	waiting []*place // oldest first
	users   int      // user places in waiting
}

// place is one operation's place in the line.
type place struct {
	l    *line
	user bool
	turn chan struct{} // closed when the place gets the turn
	once sync.Once     // leave gives the turn up once
}

// join takes a place at the back of the line: at once the turn when the
// line is empty. It fails with ErrQueueFull when user and max user places
// wait already, and with ErrClosed after close.
func (l *line) join(user bool) (*place, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed:
		return nil, ErrClosed
	case user && l.users >= l.max:
		return nil, fmt.Errorf("%w (%d)", ErrQueueFull, l.max)
	}
	p := &place{l: l, user: user, turn: make(chan struct{})}
	if !l.busy {
		l.busy = true
		close(p.turn)
		return p, nil
	}
	l.waiting = append(l.waiting, p)
	if user {
		l.users++
	}
	return p, nil
}

// wait waits for the place's turn. When ctx ends first, or the line closes,
// the place leaves the line and wait says why: an operation whose caller
// gave up never touches the card.
func (p *place) wait(ctx context.Context, closing <-chan struct{}) error {
	select {
	case <-p.turn:
		return nil
	case <-ctx.Done():
		p.leave()
		return contextError(ctx.Err())
	case <-closing:
		p.leave()
		return ErrClosed
	}
}

// leave gives up the place: the turn passes to the oldest waiting place,
// or, not having had it, the place just leaves the line. Only the first
// call counts.
func (p *place) leave() {
	p.once.Do(func() {
		l := p.l
		l.mu.Lock()
		defer l.mu.Unlock()
		select {
		case <-p.turn:
		default:
			// Still waiting: drop out without touching the turn.
			for i, w := range l.waiting {
				if w == p {
					l.waiting = append(l.waiting[:i], l.waiting[i+1:]...)
					if p.user {
						l.users--
					}
					return
				}
			}
		}
		if len(l.waiting) == 0 {
			l.busy = false
			return
		}
		next := l.waiting[0]
		l.waiting[0] = nil
		l.waiting = l.waiting[1:]
		if next.user {
			l.users--
		}
		close(next.turn)
	})
}

// close refuses new places; those waiting are told by wait's closing
// channel.
func (l *line) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
}

// contextError turns an expired deadline into ErrTimeout.
func contextError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return err
}

// reservation is the context key of a place taken by Reserve.
type reservation struct{}

// Reserve takes a place in the card line now, for the next card operation
// called with the returned context: a caller that must keep an order (the
// router runs requests in the order they arrived, each on its own
// goroutine) reserves before it starts the operation. When the line is full
// the operation fails with ErrQueueFull, as it would without a
// reservation, so that the operation's own cleanup (Authenticate zeroes the
// PIN) still runs. The place is given up when ctx ends, if no operation
// used it.
func (s *Service) Reserve(ctx context.Context) context.Context {
	r := &reserved{}
	r.p, r.err = s.line.join(true)
	if r.err == nil {
		r.stop = context.AfterFunc(ctx, r.p.leave)
	}
	return context.WithValue(ctx, reservation{}, r)
}

// reserved hands a reserved place to one operation.
type reserved struct {
	mu   sync.Mutex
	p    *place
	err  error       // why no place could be taken
	stop func() bool // stops giving the place up when ctx ends
	used bool
}

// placeFor is the place of an operation called with ctx: the one Reserve
// took, or a new one at the back of the line.
func (s *Service) placeFor(ctx context.Context) (*place, error) {
	if r, ok := ctx.Value(reservation{}).(*reserved); ok {
		r.mu.Lock()
		defer r.mu.Unlock()
		if !r.used {
			r.used = true
			if r.err == nil && !r.stop() {
				// ctx ended before the operation began: the place is gone.
				return nil, contextError(ctx.Err())
			}
			return r.p, r.err
		}
	}
	return s.line.join(true)
}

// operate runs fn when its turn comes, with ctx ended by the caller's
// deadline or Close, and returns its outcome, or, when ctx ends first, at
// once with ErrTimeout: the operation then stops before its next APDU and
// the next in line waits for that. cleanup runs once fn is over, or at once
// if it never runs; Authenticate zeroes the PIN there.
func operate[T any](s *Service, ctx context.Context, fn func(ctx context.Context) (T, error), cleanup func()) (T, error) {
	var zero T
	p, err := s.placeFor(ctx)
	if err == nil {
		err = p.wait(ctx, s.ctx.Done())
	}
	if err != nil {
		if cleanup != nil {
			cleanup()
		}
		return zero, err
	}
	if !s.track() {
		p.leave()
		if cleanup != nil {
			cleanup()
		}
		return zero, ErrClosed
	}
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	type outcome struct {
		v   T
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer s.wg.Done()
		defer p.leave()
		defer stop()
		defer cancel()
		v, err := fn(ctx)
		if cleanup != nil {
			cleanup() // before the caller hears the outcome
		}
		done <- outcome{v, err}
	}()
	select {
	case o := <-done:
		return o.v, o.err
	case <-ctx.Done():
		// The operation stops before its next APDU; its answer is this.
		select {
		case o := <-done:
			return o.v, o.err
		default:
		}
		if errors.Is(context.Cause(ctx), context.Canceled) && s.ctx.Err() != nil {
			return zero, ErrClosed
		}
		return zero, contextError(ctx.Err())
	}
}
