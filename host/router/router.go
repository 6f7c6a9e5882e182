// Package router serves the host protocol (docs/host-protocol.md) on a
// native messaging stream: it reads requests, checks them strictly, answers
// hello, version and listReaders at once, hands card operations to the card
// service, and pushes readersChanged events.
//
// The router keeps serving after every bad message; only the end of its
// input stops it.
package router

import (
	"context"
	"errors"
	"io"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/nativemsg"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/wallet"
)

// Config configures a Router. Cards and HostVersion are required.
type Config struct {
	// Cards is the started card service.
	Cards *cards.Service
	// HostVersion is reported by hello and version.
	HostVersion string
	// OpTimeout bounds a card operation, queueing included; zero means 30 s.
	OpTimeout time.Duration
	// ReadersTimeout bounds listReaders' wait for the first reader report
	// right after start; zero means 2 s.
	ReadersTimeout time.Duration
	// Wallet serves the Ethereum methods; nil answers them
	// CHAIN_UNCONFIGURED.
	Wallet *wallet.Service
	// EthTimeout bounds one Ethereum method, network waits and its card
	// operation included; zero means 2 min (a transaction waits for its
	// receipt).
	EthTimeout time.Duration
	// ShutdownGrace is how long Serve lets requests in flight finish after
	// the input ends; zero means 2 s.
	ShutdownGrace time.Duration
	// MaxInbound and MaxOutbound cap message sizes; zero means nativemsg's
	// defaults.
	MaxInbound, MaxOutbound int
	// Log receives a line per request (id, method, outcome, duration) and
	// per protocol error; never a parameter. Nil discards.
	Log *log.Logger
}

// Router serves one native messaging port.
type Router struct {
	cfg Config
	log *log.Logger
	w   *nativemsg.Writer

	ctx    context.Context // cancelled, with errShuttingDown, when the grace period after EOF ends
	cancel context.CancelCauseFunc

	// lastCardAnswer is closed once the latest card operation is answered;
	// only the reading goroutine (handle) touches it.
	lastCardAnswer chan struct{}

	greeted  atomic.Bool // hello succeeded
	mu       sync.Mutex
	inflight map[uint64]bool
	wg       sync.WaitGroup
	writeErr atomic.Bool // a write failed once; logged once
	wmu      sync.Mutex  // held while writing, so that Serve can stop all writes
	closed   bool        // Serve returned: nothing more is written
}

// New returns a Router for cfg.
func New(cfg Config) *Router {
	if cfg.OpTimeout <= 0 {
		cfg.OpTimeout = 30 * time.Second
	}
	if cfg.ReadersTimeout <= 0 {
		cfg.ReadersTimeout = 2 * time.Second
	}
	if cfg.EthTimeout <= 0 {
		cfg.EthTimeout = 2 * time.Minute
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = 2 * time.Second
	}
	l := cfg.Log
	if l == nil {
		l = log.New(io.Discard, "", 0)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	answered := make(chan struct{})
	close(answered)
	return &Router{cfg: cfg, log: l, ctx: ctx, cancel: cancel, inflight: make(map[uint64]bool), lastCardAnswer: answered}
}

// Serve reads requests from in and writes responses and events to out until
// in ends. It then lets requests in flight finish for the grace period,
// cancels the rest and returns; it writes nothing to out after that. It
// returns nil at a clean end of input, and the read error otherwise (a
// stream cut inside a message included). A Router serves one port: call
// Serve once.
func (r *Router) Serve(in io.Reader, out io.Writer) error {
	rd := nativemsg.NewReader(in, r.cfg.MaxInbound)
	r.w = nativemsg.NewWriter(out, r.cfg.MaxOutbound)
	unsubscribe := r.cfg.Cards.Subscribe(r.readersChanged)
	defer unsubscribe()

	var err error
	for {
		var msg []byte
		msg, err = rd.ReadMessage()
		if err == io.EOF || errors.Is(err, nativemsg.ErrTruncated) {
			break
		}
		r.receive(msg, err)
		// The message may have held a PIN: the decoded request holds its
		// own copy now, owned by the card service.
		clear(msg)
		if err != nil && !isMessageError(err) {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	r.shutdown()
	r.wmu.Lock()
	r.closed = true
	r.wmu.Unlock()
	return err
}

// isMessageError reports errors about one message, after which the stream
// goes on.
func isMessageError(err error) bool {
	for _, e := range []error{nativemsg.ErrTooLarge, nativemsg.ErrEmpty, nativemsg.ErrInvalidUTF8, nativemsg.ErrNotJSON} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// shutdown waits for requests in flight, at most for the grace period, then
// cancels what is left and waits for it to answer.
func (r *Router) shutdown() {
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(r.cfg.ShutdownGrace):
		r.log.Printf("input closed: cancelling requests still in flight")
		r.cancel(errShuttingDown)
		<-done
	}
	r.cancel(errShuttingDown)
}

// errShuttingDown answers the requests the shutdown cancels.
var errShuttingDown = &protocol.Error{Code: failure.Internal, Message: "the host is shutting down: the browser closed the connection"}

// errorFor is the protocol error for err, naming the shutdown when the
// router's own cancellation ended the request.
func (r *Router) errorFor(err error) *protocol.Error {
	if errors.Is(err, context.Canceled) && context.Cause(r.ctx) == errShuttingDown {
		return errShuttingDown
	}
	return errorFor(err)
}

// receive answers one message, or the error reading it.
func (r *Router) receive(msg []byte, err error) {
	switch {
	case err == nil:
		r.handle(msg)
	case errors.Is(err, nativemsg.ErrTooLarge):
		id, ok := protocol.PeekID(msg)
		r.fail(idOf(id, ok), protocol.Errorf(failure.MessageTooLarge, "%v", err))
	case errors.Is(err, nativemsg.ErrNotJSON):
		if id, perr, ok := protocol.RecoverTrailing(msg); ok {
			r.fail(&id, perr)
			return
		}
		r.fail(nil, &protocol.Error{Code: failure.BadRequest, Message: err.Error()})
	case isMessageError(err):
		r.fail(nil, &protocol.Error{Code: failure.BadRequest, Message: err.Error()})
	default:
		r.log.Printf("reading the input: %v", err)
	}
}

func idOf(id uint64, ok bool) *uint64 {
	if !ok {
		return nil
	}
	return &id
}

// readersChanged pushes the reader list once the extension has said hello.
func (r *Router) readersChanged(readers []cards.Reader, err error) {
	if !r.greeted.Load() {
		return
	}
	data := readersResult(readers)
	if err != nil {
		data.Error = errorFor(err)
	}
	r.write(protocol.Event{Event: protocol.EventReadersChanged, Data: data})
}

// write sends one message. A failed write (the browser went away) is logged
// once; reading goes on until the input ends.
func (r *Router) write(v any) {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	if r.closed {
		return
	}
	if err := r.w.WriteJSON(v); err != nil {
		if errors.Is(err, nativemsg.ErrTooLarge) {
			if resp, ok := v.(protocol.Response); ok {
				r.log.Printf("response too large: %v", err)
				err = r.w.WriteJSON(protocol.Response{ID: resp.ID, Error: protocol.Errorf(failure.Internal, "the response is too large to send")})
				if err == nil {
					return
				}
			}
		}
		if r.writeErr.CompareAndSwap(false, true) {
			r.log.Printf("writing to the browser: %v", err)
		}
	}
}

// fail answers a request (or an unreadable message, id nil) with an error.
func (r *Router) fail(id *uint64, e *protocol.Error) {
	if id == nil {
		r.log.Printf("message without a readable id: %s", e.Code)
	}
	r.write(protocol.Response{ID: id, Error: e})
}
