package cards

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// op is one unit of work for the card worker.
type op struct {
	ctx  context.Context // the caller's deadline
	user bool            // counts against MaxQueue; identification does not
	// run does the work and reports its outcome; drop reports that it never
	// ran. Exactly one of them is called.
	run  func(ctx context.Context)
	drop func(err error)
}

// enqueue appends o to the queue, or drops it at once when the queue is full
// or the service closed.
func (s *Service) enqueue(o *op) {
	s.mu.Lock()
	switch {
	case s.ctx.Err() != nil:
		s.mu.Unlock()
		o.drop(ErrClosed)
		return
	case o.user && s.userQueued >= s.cfg.MaxQueue:
		s.mu.Unlock()
		o.drop(fmt.Errorf("%w (%d)", ErrQueueFull, s.cfg.MaxQueue))
		return
	}
	if o.user {
		s.userQueued++
	}
	s.queue = append(s.queue, o)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// next takes the oldest op off the queue, waiting for one; nil at Close.
func (s *Service) next() *op {
	for {
		s.mu.Lock()
		if s.ctx.Err() == nil && len(s.queue) > 0 {
			o := s.queue[0]
			s.queue[0] = nil
			s.queue = s.queue[1:]
			if o.user {
				s.userQueued--
			}
			s.mu.Unlock()
			return o
		}
		s.mu.Unlock()
		select {
		case <-s.ctx.Done():
			return nil
		case <-s.wake:
		}
	}
}

// work is the card worker: the only goroutine that talks to cards.
func (s *Service) work() {
	defer s.drainQueue()
	for {
		o := s.next()
		if o == nil {
			return
		}
		if err := o.ctx.Err(); err != nil {
			// The caller gave up while the op was queued: do not touch
			// the card for an answer nobody reads.
			o.drop(contextError(err))
			continue
		}
		ctx, cancel := context.WithCancel(o.ctx)
		stop := context.AfterFunc(s.ctx, cancel)
		o.run(ctx)
		stop()
		cancel()
	}
}

// drainQueue fails what is still queued at Close.
func (s *Service) drainQueue() {
	s.mu.Lock()
	q := s.queue
	s.queue, s.userQueued = nil, 0
	s.mu.Unlock()
	for _, o := range q {
		o.drop(ErrClosed)
	}
}

// contextError turns an expired deadline into ErrTimeout.
func contextError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return err
}

// Pending is an operation queued on the card worker. Its outcome is known
// when the operation ends or when the context it was queued with expires,
// whichever comes first (the operation then stops before its next APDU).
//
// Operations end in the order they were queued, and OnDone callbacks run
// right then, on the worker: a caller that answers from OnDone answers in
// queue order.
type Pending[T any] struct {
	done chan struct{}
	mu   sync.Mutex
	over bool
	val  T
	err  error
	then []func(T, error)
	stop func() bool // unregisters the deadline watch
}

func newPending[T any](ctx context.Context) *Pending[T] {
	p := &Pending[T]{done: make(chan struct{})}
	// Held so that a deadline already past cannot finish p before stop is
	// set.
	p.mu.Lock()
	p.stop = context.AfterFunc(ctx, func() { p.finish(*new(T), contextError(ctx.Err())) })
	p.mu.Unlock()
	return p
}

// failed returns a Pending that has already failed with err.
func failed[T any](err error) *Pending[T] {
	p := newPending[T](context.Background())
	p.finish(*new(T), err)
	return p
}

// finish records the outcome, once; later calls are ignored.
func (p *Pending[T]) finish(v T, err error) {
	p.mu.Lock()
	if p.over {
		p.mu.Unlock()
		return
	}
	p.over, p.val, p.err = true, v, err
	then, stop := p.then, p.stop
	p.then = nil
	p.mu.Unlock()
	stop()
	close(p.done)
	for _, fn := range then {
		fn(v, err)
	}
}

// Wait waits for the outcome. A deadline that passed first gives
// ErrTimeout.
func (p *Pending[T]) Wait() (T, error) {
	<-p.done
	return p.val, p.err
}

// OnDone calls fn with the outcome: at once if it is known, else when it
// is, from the goroutine that learns it.
func (p *Pending[T]) OnDone(fn func(T, error)) {
	p.mu.Lock()
	if !p.over {
		p.then = append(p.then, fn)
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	fn(p.val, p.err)
}

// submit queues fn as a user operation. cleanup runs once the operation is
// over, whether it ran or not; authenticate clears the PIN there.
func submit[T any](s *Service, ctx context.Context, fn func(ctx context.Context) (T, error), cleanup func()) *Pending[T] {
	p := newPending[T](ctx)
	s.enqueue(&op{
		ctx:  ctx,
		user: true,
		run: func(ctx context.Context) {
			v, err := fn(ctx)
			if cleanup != nil {
				cleanup()
			}
			p.finish(v, err)
		},
		drop: func(err error) {
			if cleanup != nil {
				cleanup()
			}
			p.finish(*new(T), err)
		},
	})
	return p
}
