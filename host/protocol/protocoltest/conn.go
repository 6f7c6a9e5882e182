package protocoltest

import (
	"encoding/binary"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/protocol"
)

// How long a Conn waits before it fails the test. They are generous: a
// slow CI machine must not fail a test that is right, and a test that is
// wrong fails anyway.
const (
	responseTimeout = 10 * time.Second
	stateTimeout    = 10 * time.Second
	eventTimeout    = 5 * time.Second
)

// statePoll is how often WaitState asks listReaders again: the answer comes
// from the card service's memory, so asking often costs little and keeps
// the tests quick.
const statePoll = 5 * time.Millisecond

// Conn is the extension's end of a connection to a host: a Router over
// pipes, or the host binary over its stdin and stdout. It is strict about
// order, as the tests that use it are: Call fails the test unless the next
// response answers its request. It is for one test goroutine.
type Conn struct {
	t      testing.TB
	stdin  io.Writer
	stdout LockedBuffer // every byte the host wrote
	resps  chan Message
	events chan Message
	nextID uint64
}

// NewConn returns a Conn that writes to stdin, the host's input. The host's
// output must be handed to Read.
func NewConn(t testing.TB, stdin io.Writer) *Conn {
	return &Conn{
		t:      t,
		stdin:  stdin,
		resps:  make(chan Message, 100),
		events: make(chan Message, 100),
	}
}

// Read reads the host's output until it ends, keeping every byte for
// Output and passing responses and events on as the package-level Read
// does. It blocks: run it on its own goroutine.
func (c *Conn) Read(stdout io.Reader) {
	Read(io.TeeReader(stdout, &c.stdout), c.resps, c.events, c.t.Errorf)
}

// Output returns every byte the host has written so far, frames and all:
// what a leak check must search, as the browser would receive it.
func (c *Conn) Output() []byte { return []byte(c.stdout.String()) }

// Events returns the events the host pushed. Events nobody takes are
// dropped once 100 are waiting (see Read).
func (c *Conn) Events() <-chan Message { return c.events }

// SendRaw frames msg and writes it as it is, valid or not: tests of
// malformed input use it directly.
func (c *Conn) SendRaw(msg string) {
	c.t.Helper()
	frame := binary.NativeEndian.AppendUint32(nil, uint32(len(msg)))
	if _, err := c.stdin.Write(append(frame, msg...)); err != nil {
		c.t.Fatalf("writing to the host: %v", err)
	}
}

// Request sends a request with a fresh id and returns the id, without
// waiting for the response.
func (c *Conn) Request(method string, params any) uint64 {
	c.t.Helper()
	c.nextID++
	req := map[string]any{"id": c.nextID, "method": method}
	if params != nil {
		req["params"] = params
	}
	b, err := json.Marshal(req)
	if err != nil {
		c.t.Fatalf("encoding %s: %v", method, err)
	}
	c.SendRaw(string(b))
	return c.nextID
}

// Response returns the next response, whatever its id, waiting up to 10 s.
func (c *Conn) Response() Message {
	c.t.Helper()
	return c.ResponseWithin(responseTimeout)
}

// ResponseWithin returns the next response, whatever its id, failing the
// test if none comes within timeout.
func (c *Conn) ResponseWithin(timeout time.Duration) Message {
	c.t.Helper()
	select {
	case m, ok := <-c.resps:
		if !ok {
			c.t.Fatal("the host closed its output")
		}
		return m
	case <-time.After(timeout):
		c.t.Fatalf("no response within %v", timeout)
	}
	panic("unreachable")
}

// Call sends a request and returns its response, which must be the next
// one.
func (c *Conn) Call(method string, params any) Message {
	c.t.Helper()
	id := c.Request(method, params)
	m := c.Response()
	if m.ID == nil || *m.ID != id {
		c.t.Fatalf("%s: response to id %v, want %d: %+v", method, m.ID, id, m)
	}
	return m
}

// OK calls and decodes the result into v (unless v is nil), failing the
// test on an error response.
func (c *Conn) OK(method string, params, v any) {
	c.t.Helper()
	m := c.Call(method, params)
	if m.Error != nil {
		c.t.Fatalf("%s: %v", method, m.Error)
	}
	if v != nil {
		if err := json.Unmarshal(m.Result, v); err != nil {
			c.t.Fatalf("%s result %s: %v", method, m.Result, err)
		}
	}
}

// Fails calls and checks that the response is an error with code.
func (c *Conn) Fails(method string, params any, code failure.Code) *protocol.Error {
	c.t.Helper()
	m := c.Call(method, params)
	if m.Error == nil || m.Error.Code != code {
		c.t.Fatalf("%s: got %s / %v, want %s", method, m.Result, m.Error, code)
	}
	return m.Error
}

// Hello says hello as the extension does first; until then the host
// pushes no events.
func (c *Conn) Hello() {
	c.t.Helper()
	c.OK("hello", map[string]any{"protocol": 1, "extensionVersion": "0.1.0"}, nil)
}

// WaitState polls listReaders until reader is in state, for up to 10 s.
// An error response is polled past: before the first reader report the
// host may answer with one.
func (c *Conn) WaitState(reader, state string) protocol.Reader {
	c.t.Helper()
	deadline := time.Now().Add(stateTimeout)
	for {
		m := c.Call("listReaders", nil)
		if m.Error == nil {
			var res protocol.ReadersResult
			if err := json.Unmarshal(m.Result, &res); err != nil {
				c.t.Fatalf("listReaders result %s: %v", m.Result, err)
			}
			for _, r := range res.Readers {
				if r.Name == reader && r.State == state {
					return r
				}
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("reader %q never reached state %q; last listReaders: %s %v", reader, state, m.Result, m.Error)
		}
		time.Sleep(statePoll)
	}
}

// WaitReadersChanged returns the data of the first readersChanged event
// that satisfies match, failing the test on any other event or if none
// comes within 5 s.
func (c *Conn) WaitReadersChanged(match func(protocol.ReadersResult) bool) protocol.ReadersResult {
	c.t.Helper()
	timeout := time.After(eventTimeout)
	for {
		select {
		case m := <-c.events:
			if m.Event != protocol.EventReadersChanged || m.Data == nil {
				c.t.Fatalf("unexpected event %+v", m)
			}
			var d protocol.ReadersResult
			if err := json.Unmarshal(*m.Data, &d); err != nil {
				c.t.Fatalf("readersChanged data %s: %v", *m.Data, err)
			}
			if match(d) {
				return d
			}
		case <-timeout:
			c.t.Fatalf("no matching readersChanged event within %v", eventTimeout)
		}
	}
}
