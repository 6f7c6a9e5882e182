package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/buildtest"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/protocol/protocoltest"
)

// hostBin is the host binary under test, built once by TestMain: the tests
// run it as a browser does, as a subprocess speaking framed JSON.
var hostBin string

func TestMain(m *testing.M) {
	os.Exit(buildtest.Run(m, buildtest.Cmd{Package: buildtest.Host, Binary: &hostBin}))
}

// message is a response or an event as the extension decodes it.
type message = protocoltest.Message

// hostProc is a running host, driven like the browser drives it.
type hostProc struct {
	t      testing.TB
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	resps  chan message
	events chan message
	stdout lockedBuffer // every byte the host wrote to stdout
	stderr lockedBuffer
	exited chan struct{}
	nextID uint64
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startHost starts the host binary with extra environment variables and
// the arguments Chromium passes. At the end of the test it closes stdin and
// waits for the host to exit; a host that does not is killed and the test
// fails.
func startHost(t testing.TB, env ...string) *hostProc {
	t.Helper()
	h := &hostProc{
		t:      t,
		resps:  make(chan message, 100),
		events: make(chan message, 100),
		exited: make(chan struct{}),
	}
	h.cmd = exec.Command(hostBin, "chrome-extension://abcdefghijklmnopabcdefghijklmnop/")
	h.cmd.Env = append(os.Environ(), env...)
	h.cmd.Stderr = &h.stderr
	var err error
	if h.stdin, err = h.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := h.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go h.read(io.TeeReader(stdout, &h.stdout))
	t.Cleanup(func() {
		h.stdin.Close()
		select {
		case <-h.exited:
		case <-time.After(5 * time.Second):
			h.cmd.Process.Kill()
			<-h.exited
			t.Errorf("the host did not exit within 5 s of stdin closing")
		}
		if t.Failed() {
			t.Logf("host stderr:\n%s", h.stderr.String())
		}
	})
	return h
}

func (h *hostProc) read(stdout io.Reader) {
	defer close(h.exited)
	defer func() { h.cmd.Wait() }()
	protocoltest.Read(stdout, h.resps, h.events, h.t.Errorf)
}

// send writes one framed message to the host's stdin.
func (h *hostProc) send(msg []byte) {
	h.t.Helper()
	frame := binary.NativeEndian.AppendUint32(nil, uint32(len(msg)))
	if _, err := h.stdin.Write(append(frame, msg...)); err != nil {
		h.t.Fatalf("writing to the host: %v", err)
	}
}

// call sends a request and returns its response, which must come next.
func (h *hostProc) call(method string, params any) message {
	h.t.Helper()
	h.nextID++
	req := map[string]any{"id": h.nextID, "method": method}
	if params != nil {
		req["params"] = params
	}
	b, err := json.Marshal(req)
	if err != nil {
		h.t.Fatal(err)
	}
	h.send(b)
	m := h.response(10 * time.Second)
	if m.ID == nil || *m.ID != h.nextID {
		h.t.Fatalf("%s: response to id %v, want %d", method, m.ID, h.nextID)
	}
	return m
}

func (h *hostProc) response(timeout time.Duration) message {
	h.t.Helper()
	select {
	case m, ok := <-h.resps:
		if !ok {
			h.t.Fatalf("the host closed stdout; stderr:\n%s", h.stderr.String())
		}
		return m
	case <-time.After(timeout):
		h.t.Fatalf("no response within %v", timeout)
	}
	panic("unreachable")
}

// ok calls and decodes the result into v.
func (h *hostProc) ok(method string, params, v any) {
	h.t.Helper()
	m := h.call(method, params)
	if m.Error != nil {
		h.t.Fatalf("%s: %v", method, m.Error)
	}
	if v != nil {
		if err := json.Unmarshal(m.Result, v); err != nil {
			h.t.Fatal(err)
		}
	}
}

// fails calls and checks the error code.
func (h *hostProc) fails(method string, params any, code protocol.Code) *protocol.Error {
	h.t.Helper()
	m := h.call(method, params)
	if m.Error == nil || m.Error.Code != code {
		h.t.Fatalf("%s: got %s / %v, want %s", method, m.Result, m.Error, code)
	}
	return m.Error
}

func (h *hostProc) hello() {
	h.t.Helper()
	h.ok("hello", map[string]any{"protocol": 1, "extensionVersion": "0.1.0"}, nil)
}

// waitState polls listReaders until reader is in state.
func (h *hostProc) waitState(reader, state string) protocol.Reader {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last message
	for time.Now().Before(deadline) {
		last = h.call("listReaders", nil)
		var res protocol.ReadersResult
		if last.Error == nil && json.Unmarshal(last.Result, &res) == nil {
			for _, r := range res.Readers {
				if r.Name == reader && r.State == state {
					return r
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatalf("reader %q never reached %q; last listReaders: %s %v", reader, state, last.Result, last.Error)
	panic("unreachable")
}
