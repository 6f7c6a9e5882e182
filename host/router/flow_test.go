package router

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

func TestCardRemovedMidOperation(t *testing.T) {
	p := testPKI(t)
	certReads := (len(p.AuthCert) + 255) / 256
	tests := []struct {
		name  string
		after int // APDUs of the cold authenticate answered before the card leaves
	}{
		{"during SELECT AP", 0},
		{"during the certificate read", 3},
		{"during VERIFY", 1 + 1 + certReads + 2},
		{"during SIGN", 1 + 1 + certReads + 3 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, options{})
			h.Hello()
			c := vcardtest.NewCard(t, nil)
			h.insert(reader0, c, "mynumber")
			c.ArmDrop(tt.after)
			start := time.Now()
			h.Fails("authenticate", authParams("1234"), failure.CardRemoved)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("CARD_REMOVED after %v, want within 2 s", d)
			}
			h.WaitState(reader0, "empty")
			h.OK("version", nil, nil)
			h.insert(reader0, c, "mynumber")
			var res authResult
			h.OK("authenticate", authParams("1234"), &res)
			verifyToken(t, res.Token, testOrigin, testNonce)
		})
	}
}

func TestCardRemovedWhileTheCardSigns(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = slowSign })
	h.insert(reader0, c, "mynumber")
	id := h.Request("authenticate", authParams("1234"))
	waitCount(t, c, 0x2A, 1)
	start := time.Now()
	h.backend.Remove(reader0)
	r := h.Response()
	if *r.ID != id || r.Error == nil || r.Error.Code != failure.CardRemoved {
		t.Fatalf("got %+v, want CARD_REMOVED", r)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("CARD_REMOVED %v after the removal, want within 2 s", d)
	}
}

func TestCardResetMidOperationIsRetriedOnce(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = slowSign })
	h.insert(reader0, c, "mynumber")
	sent := h.verifyWithPIN.Load()
	id := h.Request("authenticate", authParams("1234"))
	waitCount(t, c, 0x2A, 1)
	c.Reset() // another program resets the card while it signs
	r := h.Response()
	if *r.ID != id || r.Error != nil {
		t.Fatalf("got %+v, want a token after one retry", r)
	}
	if n := h.verifyWithPIN.Load() - sent; n != 2 {
		t.Errorf("%d VERIFY with the PIN, want 2 (first attempt and the retry)", n)
	}
	if auth, _ := c.Retries(); auth != 3 {
		t.Errorf("%d tries left, want 3", auth)
	}
}

// waitCount waits until the card has received n APDUs with this INS.
func waitCount(t *testing.T, c *vcard.Card, ins byte, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for c.Count(ins) < n {
		if time.Now().After(deadline) {
			t.Fatalf("the card never got %d APDUs with INS %02X", n, ins)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestListReadersIsAnsweredWhileTheCardSigns(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = slowSign })
	h.insert(reader0, c, "mynumber")
	authID := h.Request("authenticate", authParams("1234"))
	waitCount(t, c, 0x2A, 1)
	start := time.Now()
	listID := h.Request("listReaders", nil)
	r := h.Response()
	if *r.ID != listID {
		t.Fatalf("first response is to id %d, want listReaders (%d)", *r.ID, listID)
	}
	if d := time.Since(start); d > slowSign/4 {
		t.Errorf("listReaders took %v while the card signed", d)
	}
	if r := h.Response(); *r.ID != authID || r.Error != nil {
		t.Errorf("authenticate: %+v", r)
	}
}

func TestConcurrentAuthenticatesAreServedInOrder(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = 50 * time.Millisecond })
	h.insert(reader0, c, "mynumber")
	nonces := []string{testNonce, "B" + testNonce[1:]}
	ids := []uint64{
		h.Request("authenticate", authParams("1234", "challengeNonce", nonces[0])),
		h.Request("authenticate", authParams("1234", "challengeNonce", nonces[1])),
	}
	for i, id := range ids {
		r := h.Response()
		if *r.ID != id || r.Error != nil {
			t.Fatalf("response %d: %+v, want a result for id %d", i, r, id)
		}
		var res authResult
		if err := json.Unmarshal(r.Result, &res); err != nil {
			t.Fatal(err)
		}
		verifyToken(t, res.Token, testOrigin, nonces[i])
	}
}

func TestAnOperationPastItsDeadlineTimesOut(t *testing.T) {
	h := newHarness(t, options{router: func(c *Config) { c.OpTimeout = 300 * time.Millisecond }})
	h.Hello()
	c := vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = slowSign })
	h.insert(reader0, c, "mynumber")
	start := time.Now()
	h.Fails("authenticate", authParams("1234"), failure.Timeout)
	if d := time.Since(start); d > slowSign {
		t.Errorf("TIMEOUT after %v, want about 300 ms", d)
	}
	h.OK("version", nil, nil)
}

func TestAFullQueueIsRefused(t *testing.T) {
	h := newHarness(t, options{cards: func(c *cards.Config) { c.MaxQueue = 1 }})
	h.Hello()
	c := vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = slowSign })
	h.insert(reader0, c, "mynumber")
	first := h.Request("authenticate", authParams("1234"))
	waitCount(t, c, 0x2A, 1) // running, so no longer queued
	second := h.Request("authPinStatus", nil)
	e := h.Fails("authPinStatus", nil, failure.QueueFull)
	_ = e
	for _, id := range []uint64{first, second} {
		if r := h.Response(); *r.ID != id || r.Error != nil {
			t.Errorf("response to id %d (error %v), want a result for id %d", *r.ID, r.Error, id)
		}
	}
	t.Log(h.stderr.String())
}

func TestReaderChoice(t *testing.T) {
	h := newHarness(t, options{readers: []string{reader0, reader1}})
	h.Hello()
	h.Fails("authPinStatus", nil, failure.NoCard)
	h.Fails("authPinStatus", map[string]any{"reader": "Nope"}, failure.NoReader)
	h.insert(reader1, vcardtest.NewCard(t, nil), "mynumber")
	var st protocol.PINStatusResult
	h.OK("authPinStatus", nil, &st)
	if st.Reader != reader1 {
		t.Errorf("the only card is in %q, got %q", reader1, st.Reader)
	}
	h.Fails("authPinStatus", map[string]any{"reader": reader0}, failure.NoCard)
	h.insert(reader0, vcardtest.NewCard(t, nil), "mynumber")
	e := h.Fails("authenticate", authParams("1234"), failure.ReaderRequired)
	if len(e.Readers) != 2 || e.Readers[0] != reader0 || e.Readers[1] != reader1 {
		t.Errorf("READER_REQUIRED readers = %v", e.Readers)
	}
	var res authResult
	h.OK("authenticate", authParams("1234", "reader", reader1), &res)
	if res.Reader != reader1 {
		t.Errorf("reader = %q", res.Reader)
	}
}

func TestNoReaderOtherCardAndBusyReader(t *testing.T) {
	h := newHarness(t, options{readers: []string{}})
	h.Hello()
	if rs := h.readers(); len(rs.Readers) != 0 {
		t.Fatalf("readers = %+v", rs)
	}
	h.Fails("readAuthCertificate", nil, failure.NoReader)
	h.backend.AddReader(reader0)
	h.WaitState(reader0, "empty")
	h.insert(reader0, vcardtest.NewCard(t, func(c *vcard.Config) { c.NotMyNumberCard = true }), "other")
	h.Fails("authenticate", authParams("1234"), failure.NotMyNumberCard)
	h.backend.Remove(reader0)
	h.WaitState(reader0, "empty")
	h.backend.HoldElsewhere(reader0, true)
	h.insert(reader0, vcardtest.NewCard(t, nil), "busy")
	h.Fails("authPinStatus", nil, failure.ReaderBusy)
}

func TestPCSCUnavailable(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	h.insert(reader0, vcardtest.NewCard(t, nil), "mynumber")
	h.backend.SetUnavailable(errPCSCDown)
	ev := h.WaitReadersChanged(func(d protocol.ReadersResult) bool { return d.Error != nil })
	if ev.Error.Code != failure.PCSCUnavailable {
		t.Errorf("event error = %+v", ev.Error)
	}
	h.Fails("listReaders", nil, failure.PCSCUnavailable)
	h.Fails("authenticate", authParams("1234"), failure.PCSCUnavailable)
	h.backend.SetUnavailable(nil)
	h.WaitState(reader0, "mynumber")
	h.OK("authenticate", authParams("1234"), nil)
}

func TestReadersChangedIsPushedAfterHelloOnly(t *testing.T) {
	h := newHarness(t, options{})
	h.backend.Insert(reader0, vcardtest.NewCard(t, nil))
	time.Sleep(100 * time.Millisecond)
	select {
	case ev := <-h.Events():
		t.Fatalf("event before hello: %+v", ev)
	default:
	}
	h.Hello()
	h.backend.Remove(reader0)
	h.WaitReadersChanged(func(d protocol.ReadersResult) bool { return len(d.Readers) == 1 && d.Readers[0].State == "empty" })
	h.backend.Insert(reader0, vcardtest.NewCard(t, nil))
	h.WaitReadersChanged(func(d protocol.ReadersResult) bool { return len(d.Readers) == 1 && d.Readers[0].State == "card" })
	ev := h.WaitReadersChanged(func(d protocol.ReadersResult) bool { return len(d.Readers) == 1 && d.Readers[0].State == "mynumber" })
	if r := ev.Readers[0]; r.AuthPINRetries == nil || *r.AuthPINRetries != 3 {
		t.Errorf("event after identification: %+v", r)
	}
}

func TestEndOfInputLetsTheCardOperationInFlightFinish(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	c := vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = 300 * time.Millisecond })
	h.insert(reader0, c, "mynumber")
	id := h.Request("authenticate", authParams("1234"))
	waitCount(t, c, 0x2A, 1)
	h.in.Close() // the browser went away
	select {
	case err := <-h.served:
		h.served <- err // for the cleanup
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return after the input ended")
	}
	if r := h.Response(); *r.ID != id || r.Error != nil {
		t.Errorf("the operation in flight was answered %+v, want its token", r)
	}
}

func TestARequestCutOffByShutdownIsToldSo(t *testing.T) {
	h := newHarness(t, options{router: func(c *Config) { c.ShutdownGrace = 50 * time.Millisecond }})
	h.Hello()
	c := vcardtest.NewCard(t, func(c *vcard.Config) { c.SignDelay = 3 * slowSign })
	h.insert(reader0, c, "mynumber")
	id := h.Request("authenticate", authParams("1234"))
	waitCount(t, c, 0x2A, 1)
	h.in.Close()
	r := h.Response()
	if *r.ID != id || r.Error == nil || r.Error.Code != failure.Internal || r.Error.Message != errShuttingDown.Message {
		t.Fatalf("got %+v, want INTERNAL saying the host is shutting down", r.Error)
	}
}
