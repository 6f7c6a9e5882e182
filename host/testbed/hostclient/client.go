// Package hostclient talks to mynaconnect-host the way a browser does: it
// starts the binary, writes framed JSON requests to its stdin and reads
// responses and events from its stdout. The demo uses it to walk a login
// from a terminal; tests use it to drive the real binary.
package hostclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"time"

	"github.com/mynaconnect/mynaconnect/host/nativemsg"
	"github.com/mynaconnect/mynaconnect/host/protocol"
)

// Message size limits, as Chrome applies them: 1 MB from the host, 4 GB to
// it; this client is stricter on what it sends.
const (
	maxFromHost = 1 << 20
	maxToHost   = 64 << 10
)

// ErrClosed is returned for calls after the host exited or Close was called.
var ErrClosed = errors.New("hostclient: host is not running")

// Event is a message the host pushed without a request.
type Event struct {
	Name string
	Data json.RawMessage
}

// Client is one running host process. It is safe for concurrent use: like a
// browser's native port, many requests may be in flight.
type Client struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	w      *nativemsg.Writer
	events chan Event
	done   chan struct{} // closed when the host's stdout ends

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan reply
	err     error // why the host's stdout ended
}

type reply struct {
	result json.RawMessage
	err    *protocol.Error
}

// Start runs the host binary at path with args (a browser passes the
// extension's origin), its stderr going to stderr (nil discards it).
func Start(path string, stderr io.Writer, args ...string) (*Client, error) {
	cmd := exec.Command(path, args...)
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("hostclient: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("hostclient: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("hostclient: start %s: %w", path, err)
	}
	c := &Client{
		cmd:     cmd,
		stdin:   stdin,
		w:       nativemsg.NewWriter(stdin, maxToHost),
		events:  make(chan Event, 64),
		done:    make(chan struct{}),
		pending: make(map[uint64]chan reply),
	}
	go c.read(nativemsg.NewReader(stdout, maxFromHost))
	return c, nil
}

// PID is the host's process id.
func (c *Client) PID() int { return c.cmd.Process.Pid }

// Events delivers the host's events. Events that arrive while the channel
// is full are dropped, as a slow extension page would miss them too.
func (c *Client) Events() <-chan Event { return c.events }

// Hello performs the handshake every port starts with.
func (c *Client) Hello(ctx context.Context, extensionVersion string) (protocol.HelloResult, error) {
	var r protocol.HelloResult
	err := c.Call(ctx, protocol.MethodHello, map[string]any{"protocol": protocol.Version, "extensionVersion": extensionVersion}, &r)
	return r, err
}

// Call sends one request and decodes its result into result (unless nil).
// A host error is returned as *protocol.Error.
func (c *Client) Call(ctx context.Context, method string, params, result any) error {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return fmt.Errorf("%w: %v", ErrClosed, c.err)
	}
	c.nextID++
	id := c.nextID
	ch := make(chan reply, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()

	req := map[string]any{"id": id, "method": method}
	if params != nil {
		req["params"] = params
	}
	if err := c.w.WriteJSON(req); err != nil {
		return fmt.Errorf("hostclient: send %s: %w", method, err)
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return r.err
		}
		if result == nil {
			return nil
		}
		if err := json.Unmarshal(r.result, result); err != nil {
			return fmt.Errorf("hostclient: %s result: %w", method, err)
		}
		return nil
	case <-c.done:
		return fmt.Errorf("%w: %s: %v", ErrClosed, method, c.exitErr())
	case <-ctx.Done():
		return fmt.Errorf("hostclient: %s: %w", method, ctx.Err())
	}
}

// read routes the host's messages to waiting calls and to Events.
func (c *Client) read(r *nativemsg.Reader) {
	defer close(c.done)
	for {
		msg, err := r.ReadMessage()
		if err != nil {
			c.mu.Lock()
			c.err = err
			c.mu.Unlock()
			return
		}
		var m struct {
			ID     *uint64         `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *protocol.Error `json:"error"`
			Event  string          `json:"event"`
			Data   json.RawMessage `json:"data"`
		}
		if json.Unmarshal(msg, &m) != nil {
			continue
		}
		if m.Event != "" {
			select {
			case c.events <- Event{Name: m.Event, Data: m.Data}:
			default:
			}
			continue
		}
		if m.ID == nil {
			continue
		}
		c.mu.Lock()
		ch := c.pending[*m.ID]
		c.mu.Unlock()
		if ch != nil {
			ch <- reply{result: m.Result, err: m.Error}
		}
	}
}

func (c *Client) exitErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close closes the host's stdin, as a browser does when the port closes,
// and waits for it to exit, killing it after timeout.
func (c *Client) Close(timeout time.Duration) error {
	c.stdin.Close()
	select {
	case <-c.done: // stdout is drained: Wait may close it now
		return c.cmd.Wait()
	case <-time.After(timeout):
		c.cmd.Process.Kill()
		c.cmd.Wait()
		return fmt.Errorf("hostclient: host did not exit within %v of stdin closing; killed", timeout)
	}
}
