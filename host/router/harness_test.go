package router

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/cards/virtual"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/protocol/protocoltest"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
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

// harness runs a Router over pipes, like the browser runs the host over
// stdin and stdout, with virtual readers behind the card service. The
// embedded Conn is the extension's side.
type harness struct {
	*protocoltest.Conn
	t       testing.TB
	backend *virtual.Backend
	svc     *cards.Service
	in      *io.PipeWriter
	served  chan error
	stderr  protocoltest.LockedBuffer // the router's and the card service's log

	verifyWithPIN atomic.Int32 // VERIFY commands that carried data
	apdus         atomic.Int32
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
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	h := &harness{
		Conn:    protocoltest.NewConn(t, inW),
		t:       t,
		backend: virtual.New(o.readers...),
		in:      inW,
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
	go func() {
		err := r.Serve(inR, outW)
		outW.Close()
		h.served <- err
	}()
	go h.Read(outR)
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

// readers returns listReaders' result.
func (h *harness) readers() protocol.ReadersResult {
	h.t.Helper()
	var res protocol.ReadersResult
	h.OK("listReaders", nil, &res)
	return res
}

// insert puts a card into a reader and waits until it is identified.
func (h *harness) insert(reader string, c *vcard.Card, state string) {
	h.t.Helper()
	h.backend.Insert(reader, c)
	h.WaitState(reader, state)
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
