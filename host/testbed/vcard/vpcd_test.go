package vcard

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// reader is the test's stand-in for vpcd: the listening side of one card
// connection.
type reader struct {
	t  *testing.T
	nc net.Conn
}

// serveOnFakeVPCD listens like vpcd, dials it with card and serves in the
// background. It returns the reader side, the Conn and Serve's result.
func serveOnFakeVPCD(t *testing.T, ctx context.Context, card *Card) (*reader, *Conn, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dialCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := Dial(dialCtx, ln.Addr().String(), card)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close(); conn.Close() })
	done := make(chan error, 1)
	go func() { done <- conn.Serve(ctx) }()
	return &reader{t: t, nc: nc}, conn, done
}

func (r *reader) send(payload ...byte) {
	r.t.Helper()
	if err := writeFrame(r.nc, payload); err != nil {
		r.t.Fatalf("send % X: %v", payload, err)
	}
}

func (r *reader) recv() []byte {
	r.t.Helper()
	r.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	frame, err := readFrame(r.nc, make([]byte, maxFrame))
	if err != nil {
		r.t.Fatalf("recv: %v", err)
	}
	return bytes.Clone(frame)
}

// apdu sends cmd and returns the status word of the response.
func (r *reader) apdu(cmd []byte) uint16 {
	r.t.Helper()
	r.send(cmd...)
	resp, err := jpki.ParseResponse(r.recv())
	if err != nil {
		r.t.Fatal(err)
	}
	return resp.SW
}

func (r *reader) expectSW(cmd []byte, want uint16) {
	r.t.Helper()
	if sw := r.apdu(cmd); sw != want {
		r.t.Fatalf("% X over vpcd: SW %04X, want %04X", cmd, sw, want)
	}
}

// expectClosed waits for the card to close the connection.
func (r *reader) expectClosed() {
	r.t.Helper()
	r.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := r.nc.Read(make([]byte, 1)); !isEOF(err) {
		r.t.Fatalf("read after the card left: %d bytes, %v; want EOF", n, err)
	}
}

func waitServe(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
		return nil
	}
}

func TestVPCDFrames(t *testing.T) {
	card := newCard(t, nil)
	card.Remove() // Dial must insert it
	r, _, done := serveOnFakeVPCD(t, t.Context(), card)
	if !card.Present() {
		t.Fatal("card not inserted by Dial")
	}

	r.send(ctrlGetATR)
	if got := r.recv(); !bytes.Equal(got, card.ATR()) {
		t.Fatalf("get ATR: % X, want % X", got, card.ATR())
	}
	r.send(ctrlPowerOn)
	r.expectSW(selectAP(), jpki.SWOK)
	r.expectSW(selectEF(jpki.EFAuthPIN), jpki.SWOK)
	r.expectSW(verify(DefaultAuthPIN), jpki.SWOK)

	// A reset frame gets no reply and logs out.
	r.send(ctrlReset)
	r.expectSW(selectAP(), jpki.SWOK)
	r.expectSW(selectEF(jpki.EFAuthKey), jpki.SWOK)
	_, di := digestInfo("vpcd")
	r.expectSW(jpki.SignCommand(di), jpki.SWSecurityStatusNotSatisfied)

	// So does a power cycle; the ATR poll works while powered off.
	r.expectSW(selectEF(jpki.EFAuthPIN), jpki.SWOK)
	r.expectSW(verify(DefaultAuthPIN), jpki.SWOK)
	r.send(ctrlPowerOff)
	r.send(ctrlGetATR)
	if got := r.recv(); !bytes.Equal(got, card.ATR()) {
		t.Fatalf("get ATR while off: % X", got)
	}
	r.send(0x03) // unknown control byte: ignored
	r.send(ctrlPowerOn)
	r.expectSW(selectEF(jpki.EFAuthKey), jpki.SWFileNotFound)
	r.expectSW([]byte{0x00, 0xA4}, jpki.SWWrongLength) // short APDUs still reach the card

	r.nc.Close() // vpcd goes away
	if err := waitServe(t, done); !errors.Is(err, ErrReaderClosed) {
		t.Fatalf("Serve after vpcd hung up: %v, want ErrReaderClosed", err)
	}
	if card.Present() {
		t.Fatal("card still present after the reader closed")
	}
}

func TestVPCDDropClosesConnection(t *testing.T) {
	card := newCard(t, func(cfg *Config) { cfg.DropAfter = 1 })
	r, _, done := serveOnFakeVPCD(t, t.Context(), card)
	r.send(ctrlPowerOn)
	r.expectSW(selectAP(), jpki.SWOK)
	r.send(selectEF(jpki.EFAuthCert)...)
	r.expectClosed()
	if err := waitServe(t, done); !errors.Is(err, jpki.ErrCardRemoved) {
		t.Fatalf("Serve after the drop: %v, want ErrCardRemoved", err)
	}
}

func TestVPCDRemoveClosesAtNextPoll(t *testing.T) {
	card := newCard(t, nil)
	r, _, done := serveOnFakeVPCD(t, t.Context(), card)
	r.send(ctrlGetATR)
	r.recv()
	card.Remove()
	r.send(ctrlGetATR)
	r.expectClosed()
	if err := waitServe(t, done); !errors.Is(err, jpki.ErrCardRemoved) {
		t.Fatalf("Serve after Remove: %v, want ErrCardRemoved", err)
	}
}

func TestVPCDCancelPullsCardOut(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	card := newCard(t, nil)
	r, _, done := serveOnFakeVPCD(t, ctx, card)
	r.send(ctrlGetATR)
	r.recv()
	cancel()
	r.expectClosed()
	if err := waitServe(t, done); err != nil {
		t.Fatalf("Serve after cancel: %v, want nil", err)
	}
	if card.Present() {
		t.Fatal("card still present")
	}
}

func TestVPCDCloseEndsServe(t *testing.T) {
	card := newCard(t, nil)
	r, conn, done := serveOnFakeVPCD(t, t.Context(), card)
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	r.expectClosed()
	if err := waitServe(t, done); err != nil {
		t.Fatalf("Serve after Close: %v, want nil", err)
	}
	conn.Close() // twice is fine
}

func TestDialRetriesUntilVPCDListens(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // pcscd not started yet

	card := newCard(t, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	dialed := make(chan error, 1)
	go func() {
		conn, err := Dial(ctx, addr, card)
		if err == nil {
			conn.Close()
		}
		dialed <- err
	}()
	time.Sleep(300 * time.Millisecond)
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("port %s was taken meanwhile: %v", addr, err)
	}
	defer ln.Close()
	if err := <-dialed; err != nil {
		t.Fatalf("Dial: %v", err)
	}
}

func TestDialGivesUpWhenContextEnds(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	if _, err := Dial(ctx, addr, newCard(t, nil)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dial: %v, want DeadlineExceeded", err)
	}
}

// TestSplitFramesDoNotStall writes each frame the way Debian's vpcd does,
// length and payload in two writes with Nagle on. Without TCP_QUICKACK on
// the card's side every APDU waits for a delayed ACK (~40 ms on Linux).
func TestSplitFramesDoNotStall(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("TCP_QUICKACK is Linux-only")
	}
	card := newCard(t, nil)
	r, _, _ := serveOnFakeVPCD(t, t.Context(), card)
	if err := r.nc.(*net.TCPConn).SetNoDelay(false); err != nil {
		t.Fatal(err)
	}
	cmd := selectAP()
	const n = 50
	start := time.Now()
	for range n {
		var hdr [2]byte
		binary.BigEndian.PutUint16(hdr[:], uint16(len(cmd)))
		if _, err := r.nc.Write(hdr[:]); err != nil {
			t.Fatal(err)
		}
		if _, err := r.nc.Write(cmd); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(r.nc, make([]byte, 4)); err != nil {
			t.Fatal(err)
		}
	}
	// 40 ms per APDU would be 2 s; allow a slow machine a tenth of that.
	if took := time.Since(start); took > n*4*time.Millisecond {
		t.Fatalf("%d split APDUs took %v: delayed ACKs are back", n, took)
	}
	t.Logf("%d split APDUs in %v", n, time.Since(start))
}
