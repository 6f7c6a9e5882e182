package router

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"io"
	"log"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/cards/virtual"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/nativemsg"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/protocol/protocoltest"
	"github.com/mynaconnect/mynaconnect/host/vcard"
	"github.com/mynaconnect/mynaconnect/host/wallet"
)

// Reader names as vpcd calls them, so tests read like the real thing.
const (
	reader0 = "Virtual PCD 00 00"
	reader1 = "Virtual PCD 00 01"
)

// A nonce and an origin that pass validation.
var (
	testNonce  = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x5a}, 32))
	testOrigin = "https://login.example.jp"
)

// response is a response or an event as the extension decodes it.
type response = protocoltest.Message

// harness runs a Router over pipes, like the browser runs the host over
// stdin and stdout, with virtual readers behind the card service.
type harness struct {
	t       testing.TB
	backend *virtual.Backend
	svc     *cards.Service
	in      *io.PipeWriter
	inW     *nativemsg.Writer
	resps   chan response
	events  chan response
	served  chan error
	nextID  uint64
	stdout  lockedBuffer // every byte the router wrote
	stderr  lockedBuffer // the router's and the card service's log

	verifyWithPIN atomic.Int32 // VERIFY commands that carried data
	apdus         atomic.Int32
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

type options struct {
	readers []string
	// chains, when set, is the chain configuration file of a wallet for
	// the Ethereum methods.
	chains string
	router func(*Config)
	cards  func(*cards.Config)
}

func newHarness(t testing.TB, o options) *harness {
	t.Helper()
	if o.readers == nil {
		o.readers = []string{reader0}
	}
	h := &harness{
		t:       t,
		backend: virtual.New(o.readers...),
		resps:   make(chan response, 100),
		events:  make(chan response, 100),
		served:  make(chan error, 1),
	}
	h.backend.OnTransmit = func(_ string, hdr [4]byte, n int) {
		h.apdus.Add(1)
		if hdr[1] == jpki.InsVerify && n > 0 {
			h.verifyWithPIN.Add(1)
		}
	}
	logger := log.New(&h.stderr, "", log.Lmicroseconds)
	cc := cards.Config{Log: logger}
	if o.cards != nil {
		o.cards(&cc)
	}
	h.svc = cards.New(h.backend, cc)
	h.svc.Start()
	rc := Config{Cards: h.svc, HostVersion: "0.1.0-test", Log: logger}
	if o.chains != "" {
		rc.Wallet = wallet.New(wallet.Config{Cards: h.svc, ConfigPath: o.chains, Log: logger})
		t.Cleanup(rc.Wallet.Close)
	}
	if o.router != nil {
		o.router(&rc)
	}
	r := New(rc)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	h.in = inW
	h.inW = nativemsg.NewWriter(inW, 1<<20)
	go func() {
		err := r.Serve(inR, outW)
		outW.Close()
		h.served <- err
	}()
	go h.readOutput(io.TeeReader(outR, &h.stdout))
	t.Cleanup(func() {
		h.in.Close()
		select {
		case <-h.served:
		case <-time.After(10 * time.Second):
			t.Errorf("Serve did not return after the input closed")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := h.svc.Close(ctx); err != nil {
			t.Errorf("closing the card service: %v", err)
		}
	})
	return h
}

func (h *harness) readOutput(out io.Reader) {
	protocoltest.Read(out, h.resps, h.events, h.t.Errorf)
}

// sendRaw sends one message as it is.
func (h *harness) sendRaw(msg string) {
	h.t.Helper()
	if _, err := h.in.Write(append(frameHeader(len(msg)), msg...)); err != nil {
		h.t.Fatal(err)
	}
}

func frameHeader(n int) []byte { return binary.NativeEndian.AppendUint32(nil, uint32(n)) }

// request sends a request with a fresh id and returns the id.
func (h *harness) request(method string, params any) uint64 {
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
	h.sendRaw(string(b))
	return h.nextID
}

// response returns the next response, whatever its id.
func (h *harness) response() response {
	h.t.Helper()
	select {
	case r, ok := <-h.resps:
		if !ok {
			h.t.Fatal("the router closed its output")
		}
		return r
	case <-time.After(10 * time.Second):
		h.t.Fatal("no response within 10 s")
	}
	panic("unreachable")
}

// call sends a request and returns its response, which must be the next one.
func (h *harness) call(method string, params any) response {
	h.t.Helper()
	id := h.request(method, params)
	r := h.response()
	if r.ID == nil || *r.ID != id {
		h.t.Fatalf("%s: response to id %v, want %d: %+v", method, r.ID, id, r)
	}
	return r
}

// ok calls and decodes the result into v, failing the test on an error.
func (h *harness) ok(method string, params, v any) {
	h.t.Helper()
	r := h.call(method, params)
	if r.Error != nil {
		h.t.Fatalf("%s: %v", method, r.Error)
	}
	if v != nil {
		if err := json.Unmarshal(r.Result, v); err != nil {
			h.t.Fatalf("%s result %s: %v", method, r.Result, err)
		}
	}
}

// fails calls and checks the error code.
func (h *harness) fails(method string, params any, code protocol.Code) *protocol.Error {
	h.t.Helper()
	r := h.call(method, params)
	if r.Error == nil || r.Error.Code != code {
		h.t.Fatalf("%s: got %s / %v, want %s", method, r.Result, r.Error, code)
	}
	return r.Error
}

func (h *harness) hello() {
	h.t.Helper()
	h.ok("hello", map[string]any{"protocol": 1, "extensionVersion": "0.1.0"}, nil)
}

// readers returns listReaders' result.
func (h *harness) readers() protocol.ReadersResult {
	h.t.Helper()
	var res protocol.ReadersResult
	h.ok("listReaders", nil, &res)
	return res
}

// waitState waits until listReaders shows reader in state.
func (h *harness) waitState(reader, state string) protocol.Reader {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var res protocol.ReadersResult
		r := h.call("listReaders", nil)
		if r.Error == nil {
			if err := json.Unmarshal(r.Result, &res); err != nil {
				h.t.Fatal(err)
			}
		}
		for _, rd := range res.Readers {
			if rd.Name == reader && rd.State == state {
				return rd
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("reader %q never reached state %q: %s %v", reader, state, r.Result, r.Error)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// insert puts a card into a reader and waits until it is identified.
func (h *harness) insert(reader string, c *vcard.Card, state string) {
	h.t.Helper()
	h.backend.Insert(reader, c)
	h.waitState(reader, state)
}

// authParams builds authenticate's params.
func authParams(pin string, extra ...any) map[string]any {
	p := map[string]any{"origin": testOrigin, "challengeNonce": testNonce, "pin": pin}
	for i := 0; i+1 < len(extra); i += 2 {
		p[extra[i].(string)] = extra[i+1]
	}
	return p
}

// authResult is authenticate's result.
type authResult struct {
	Token  json.RawMessage `json:"token"`
	Reader string          `json:"reader"`
}
