package pcsc_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ebfe/scard"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/pcsc"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// These tests run through the real stack: ebfe/scard, pcscd, vpcd and the
// virtual card of package vcard dialling in over TCP.

// APDUs from docs/jpki-card.md.
var (
	selectAP     = mustHex("00A4040C0AD392F000260100000001")
	selectPINEF  = mustHex("00A4020C020018")
	selectKeyEF  = mustHex("00A4020C020017")
	verifyPrefix = mustHex("0020008004")
	digestInfo   = mustHex("3031300D060960864801650304020105000420")
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// signCommand asks the card to sign the SHA-256 digest of msg with the key
// selected last.
func signCommand(msg string) []byte {
	d := sha256.Sum256([]byte(msg))
	info := append(slices.Clone(digestInfo), d[:]...)
	cmd := append([]byte{0x80, 0x2A, 0x00, 0x80, byte(len(info))}, info...)
	return append(cmd, 0x00)
}

func verifyCommand(pin string) []byte {
	return append(slices.Clone(verifyPrefix), pin...)
}

// insert dials a fresh default virtual card into slot's reader and waits
// until pcscd reports it. The card is pulled out at the end of the test.
func insert(t testing.TB, d *pcsctest.Daemon, slot int) (*vcard.Card, *vcard.Conn) {
	t.Helper()
	cfg, err := vcard.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	card, err := vcard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	conn := dial(t, d, slot, card)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := pcsc.WaitForCard(ctx, d.ReaderName(slot)); err != nil {
		t.Fatalf("card in %q not seen: %v", d.ReaderName(slot), err)
	}
	return card, conn
}

// dial plugs card into slot's reader without waiting for pcscd to notice.
func dial(t testing.TB, d *pcsctest.Daemon, slot int, card *vcard.Card) *vcard.Conn {
	t.Helper()
	return vcardtest.Plug(t, d.VPCDAddr(slot), card)
}

// transmit sends cmd and returns the status word, failing the test on a
// transport error.
func transmit(t testing.TB, s *pcsc.Session, cmd []byte) (data []byte, sw uint16) {
	t.Helper()
	rsp, err := s.Transmit(cmd)
	if err != nil {
		t.Fatalf("transmit % X: %v", cmd[:4], err)
	}
	if len(rsp) < 2 {
		t.Fatalf("transmit % X: response % X has no status word", cmd[:4], rsp)
	}
	n := len(rsp) - 2
	return rsp[:n], uint16(rsp[n])<<8 | uint16(rsp[n+1])
}

func connect(t testing.TB, reader string) *pcsc.Session {
	t.Helper()
	s, err := pcsc.Connect(reader)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func readerState(t testing.TB, reader string) pcsc.ReaderState {
	t.Helper()
	states, err := pcsc.Readers()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		if s.Name == reader {
			return s
		}
	}
	t.Fatalf("reader %q not in %+v", reader, states)
	return pcsc.ReaderState{}
}

func TestReadersListsBothEmptyVPCDReaders(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	for slot := range 2 {
		if s := readerState(t, d.ReaderName(slot)); s.CardPresent || s.InUse || s.ATR != nil {
			t.Errorf("%+v, want an empty reader", s)
		}
	}
}

func TestConnectToEmptyReaderIsErrNoCard(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	_, err := pcsc.Connect(d.ReaderName(0))
	if !errors.Is(err, jpki.ErrNoCard) {
		t.Fatalf("Connect = %v, want jpki.ErrNoCard", err)
	}
	t.Log(err)
}

func TestConnectToUnknownReaderIsErrNoReader(t *testing.T) {
	pcsctest.StartDaemon(t)
	for _, name := range []string{"No Such Reader 00 00", ""} {
		if _, err := pcsc.Connect(name); !errors.Is(err, jpki.ErrNoReader) {
			t.Errorf("Connect(%q) = %v, want jpki.ErrNoReader", name, err)
		}
	}
}

func TestTransmitSelectsTheJPKIApplet(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	card, _ := insert(t, d, 0)
	s := connect(t, d.ReaderName(0))
	if _, sw := transmit(t, s, selectAP); sw != jpki.SWOK {
		t.Fatalf("SELECT AP: %04X", sw)
	}
	if got := card.Count(jpki.InsSelect); got != 1 {
		t.Errorf("the card saw %d SELECTs, want 1", got)
	}
	if st := readerState(t, d.ReaderName(0)); !st.CardPresent || !st.InUse || !slices.Equal(st.ATR, card.ATR()) {
		t.Errorf("during the session: %+v, want present, in use, ATR % X", st, card.ATR())
	}
}

func TestCardInSecondReaderOnly(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	insert(t, d, 1)
	if st := readerState(t, d.ReaderName(0)); st.CardPresent {
		t.Errorf("%+v, want empty", st)
	}
	if st := readerState(t, d.ReaderName(1)); !st.CardPresent {
		t.Errorf("%+v, want a card", st)
	}
	if _, err := pcsc.Connect(d.ReaderName(0)); !errors.Is(err, jpki.ErrNoCard) {
		t.Errorf("Connect(first reader) = %v, want jpki.ErrNoCard", err)
	}
	s := connect(t, d.ReaderName(1))
	if _, sw := transmit(t, s, selectAP); sw != jpki.SWOK {
		t.Fatalf("SELECT AP: %04X", sw)
	}
}

func TestCardWithAGarbledATRIsNotAMyNumberCard(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	cfg := mustConfig(t)
	cfg.ATR = []byte{0x00, 0x00} // no valid TS byte: PC/SC finds no protocol to speak
	card, err := vcard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dial(t, d, 0, card)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := pcsc.WaitForCard(ctx, d.ReaderName(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := pcsc.Connect(d.ReaderName(0)); !errors.Is(err, jpki.ErrNotMyNumberCard) {
		t.Fatalf("Connect = %v, want jpki.ErrNotMyNumberCard", err)
	}
}

// watcher runs Watch in the background and hands over its reports.
type watcher struct {
	reports chan []pcsc.ReaderState
	cancel  context.CancelFunc
	done    chan struct{} // closed when Watch has returned err
	err     error
}

func watch(t *testing.T) *watcher {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{reports: make(chan []pcsc.ReaderState, 100), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		w.err = pcsc.Watch(ctx, func(states []pcsc.ReaderState) { w.reports <- states })
	}()
	t.Cleanup(func() { w.stop() })
	return w
}

// stop cancels Watch and returns what it returned.
func (w *watcher) stop() error {
	w.cancel()
	<-w.done
	return w.err
}

// next waits for the next report in which reader's state satisfies ok,
// and returns when it came.
func (w *watcher) next(t *testing.T, reader string, ok func(pcsc.ReaderState) bool) time.Time {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case states := <-w.reports:
			for _, s := range states {
				if s.Name == reader && ok(s) {
					return time.Now()
				}
			}
		case <-w.done:
			t.Fatalf("Watch returned %v", w.err)
		case <-timeout:
			t.Fatalf("no report for %q within 5 s", reader)
		}
	}
}

func TestWatchReportsInsertionAndRemoval(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	reader := d.ReaderName(0)
	w := watch(t)

	select {
	case first := <-w.reports:
		names := make([]string, len(first))
		for i, s := range first {
			names[i] = s.Name
			if s.CardPresent {
				t.Errorf("first report: %+v, want empty", s)
			}
		}
		if !slices.Contains(names, d.ReaderName(0)) || !slices.Contains(names, d.ReaderName(1)) {
			t.Errorf("first report lists %q", names)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no first report")
	}

	card, err := vcard.New(mustConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	conn := dial(t, d, 0, card)
	dialled := time.Now()
	seen := w.next(t, reader, func(s pcsc.ReaderState) bool { return s.CardPresent && !s.Mute })
	// pcscd polls vpcd every 400 ms, so up to that plus a round trip.
	t.Logf("insertion reported %v after the card dialled in", seen.Sub(dialled))
	if lag := seen.Sub(dialled); lag > 2*time.Second {
		t.Errorf("insertion reported after %v", lag)
	}

	conn.Close()
	removed := time.Now()
	seen = w.next(t, reader, func(s pcsc.ReaderState) bool { return !s.CardPresent })
	t.Logf("removal reported %v after the card hung up", seen.Sub(removed))
	if lag := seen.Sub(removed); lag > 2*time.Second {
		t.Errorf("removal reported after %v", lag)
	}
}

func mustConfig(t testing.TB) vcard.Config {
	t.Helper()
	cfg, err := vcard.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestWatchDoesNotHoldUpTransmit(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	insert(t, d, 0)
	w := watch(t)
	<-w.reports // Watch is now blocked waiting for a change
	s := connect(t, d.ReaderName(0))
	for range 20 {
		start := time.Now()
		if _, sw := transmit(t, s, selectAP); sw != jpki.SWOK {
			t.Fatalf("SELECT AP: %04X", sw)
		}
		if took := time.Since(start); took > 500*time.Millisecond {
			t.Fatalf("a SELECT took %v while Watch waited", took)
		}
	}
}

func TestWatchReturnsPromptlyWhenCancelled(t *testing.T) {
	pcsctest.StartDaemon(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	reported := make(chan struct{}, 1)
	go func() {
		done <- pcsc.Watch(ctx, func([]pcsc.ReaderState) {
			select {
			case reported <- struct{}{}:
			default:
			}
		})
	}()
	<-reported
	time.Sleep(50 * time.Millisecond) // let it settle into GetStatusChange
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		t.Logf("Watch returned %v after cancel", time.Since(start))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Watch = %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Watch still running 1 s after cancel")
	}
}

func TestWaitForCardHonoursContext(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := pcsc.WaitForCard(ctx, d.ReaderName(0))
	took := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitForCard = %v, want context.DeadlineExceeded", err)
	}
	if took > time.Second {
		t.Errorf("WaitForCard returned %v after a 300 ms deadline", took)
	}
}

func TestWaitForCardReturnsWhenACardArrives(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done <- pcsc.WaitForCard(ctx, d.ReaderName(1))
	}()
	time.Sleep(100 * time.Millisecond) // WaitForCard is waiting on an empty reader
	dial(t, d, 1, mustCard(t))
	dialled := time.Now()
	if err := <-done; err != nil {
		t.Fatalf("WaitForCard = %v", err)
	}
	t.Logf("WaitForCard returned %v after the card dialled in", time.Since(dialled))
}

func mustCard(t testing.TB) *vcard.Card {
	t.Helper()
	card, err := vcard.New(mustConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	return card
}

func TestWaitForCardOnUnknownReaderIsErrNoReader(t *testing.T) {
	pcsctest.StartDaemon(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := pcsc.WaitForCard(ctx, "No Such Reader 00 00"); !errors.Is(err, jpki.ErrNoReader) {
		t.Fatalf("WaitForCard = %v, want jpki.ErrNoReader", err)
	}
}

func TestTransmitAfterTheCardHungUpIsErrCardRemoved(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	_, conn := insert(t, d, 0)
	s := connect(t, d.ReaderName(0))
	transmit(t, s, selectAP)

	conn.Close() // the card leaves between two APDUs
	start := time.Now()
	_, err := s.Transmit(selectAP)
	took := time.Since(start)
	t.Logf("Transmit failed after %v: %v", took, err)
	if !errors.Is(err, jpki.ErrCardRemoved) {
		t.Fatalf("Transmit = %v, want jpki.ErrCardRemoved", err)
	}
	if took > 2*time.Second {
		t.Errorf("Transmit took %v to report the removal", took)
	}
	if _, err := s.Transmit(selectAP); !errors.Is(err, jpki.ErrCardRemoved) {
		t.Errorf("Transmit again = %v, want jpki.ErrCardRemoved", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close after removal = %v", err)
	}
}

func TestTransmitWhenTheCardLeavesMidAPDUIsErrCardRemoved(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	card, _ := insert(t, d, 0)
	s := connect(t, d.ReaderName(0))
	transmit(t, s, selectAP)

	card.ArmDrop(0) // the next APDU reaches the card, which hangs up instead of answering
	start := time.Now()
	_, err := s.Transmit(selectAP)
	took := time.Since(start)
	t.Logf("Transmit failed after %v: %v", took, err)
	if !errors.Is(err, jpki.ErrCardRemoved) {
		t.Fatalf("Transmit = %v, want jpki.ErrCardRemoved", err)
	}
	if took > 2*time.Second {
		t.Errorf("Transmit took %v to report the removal", took)
	}
}

func TestSecondConnectToAHeldCardIsErrReaderBusy(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	insert(t, d, 0)
	first := connect(t, d.ReaderName(0))

	start := time.Now()
	_, err := pcsc.Connect(d.ReaderName(0))
	if !errors.Is(err, jpki.ErrReaderBusy) {
		t.Fatalf("second Connect = %v, want jpki.ErrReaderBusy", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("second Connect took %v to fail", took)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second := connect(t, d.ReaderName(0))
	if _, sw := transmit(t, second, selectAP); sw != jpki.SWOK {
		t.Fatalf("SELECT AP after the first session closed: %04X", sw)
	}
}

func TestCardSharedByAnotherApplicationIsErrReaderBusy(t *testing.T) {
	// What a browser with OpenSC's PKCS#11 module loaded does: connect in
	// shared mode and stay connected.
	d := pcsctest.StartDaemon(t)
	insert(t, d, 0)
	other, err := scard.EstablishContext()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Release()
	card, err := other.Connect(d.ReaderName(0), scard.ShareShared, scard.ProtocolAny)
	if err != nil {
		t.Fatal(err)
	}
	defer card.Disconnect(scard.LeaveCard)

	if st := readerState(t, d.ReaderName(0)); !st.InUse {
		t.Errorf("%+v, want in use", st)
	}
	if _, err := pcsc.Connect(d.ReaderName(0)); !errors.Is(err, jpki.ErrReaderBusy) {
		t.Fatalf("Connect = %v, want jpki.ErrReaderBusy", err)
	}
}

func TestCloseResetsTheCardSoNoPINStateSurvives(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	insert(t, d, 0)
	reader := d.ReaderName(0)

	s := connect(t, reader)
	mustSW(t, s, selectAP, jpki.SWOK)
	mustSW(t, s, selectPINEF, jpki.SWOK)
	mustSW(t, s, verifyCommand(vcard.DefaultAuthPIN), jpki.SWOK)
	mustSW(t, s, selectKeyEF, jpki.SWOK)
	// Within the session the verified PIN lets the card sign ...
	if sig, _ := mustSW(t, s, signCommand("in session"), jpki.SWOK); len(sig) != 256 {
		t.Fatalf("signature of %d bytes", len(sig))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// ... and after Close it is gone.
	s = connect(t, reader)
	mustSW(t, s, selectAP, jpki.SWOK)
	mustSW(t, s, selectKeyEF, jpki.SWOK)
	mustSW(t, s, signCommand("next session"), jpki.SWSecurityStatusNotSatisfied)
}

func TestReconnectResetsTheCard(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	insert(t, d, 0)
	s := connect(t, d.ReaderName(0))
	mustSW(t, s, selectAP, jpki.SWOK)
	mustSW(t, s, selectPINEF, jpki.SWOK)
	mustSW(t, s, verifyCommand(vcard.DefaultAuthPIN), jpki.SWOK)
	if err := s.Reconnect(); err != nil {
		t.Fatal(err)
	}
	mustSW(t, s, selectAP, jpki.SWOK)
	mustSW(t, s, selectKeyEF, jpki.SWOK)
	mustSW(t, s, signCommand("after reconnect"), jpki.SWSecurityStatusNotSatisfied)
	if _, err := pcsc.Connect(d.ReaderName(0)); !errors.Is(err, jpki.ErrReaderBusy) {
		t.Errorf("Connect while reconnected = %v, want jpki.ErrReaderBusy: Reconnect must keep the card exclusive", err)
	}
}

func mustSW(t testing.TB, s *pcsc.Session, cmd []byte, want uint16) ([]byte, uint16) {
	t.Helper()
	data, sw := transmit(t, s, cmd)
	if sw != want {
		t.Fatalf("% X...: status %04X, want %04X", cmd[:4], sw, want)
	}
	return data, sw
}

func TestClosedSessionIsErrClosed(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	insert(t, d, 0)
	s := connect(t, d.ReaderName(0))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := s.Transmit(selectAP); !errors.Is(err, pcsc.ErrClosed) {
		t.Errorf("Transmit = %v, want pcsc.ErrClosed", err)
	}
	if err := s.Reconnect(); !errors.Is(err, pcsc.ErrClosed) {
		t.Errorf("Reconnect = %v, want pcsc.ErrClosed", err)
	}
}

func TestMachineWithoutReaders(t *testing.T) {
	pcsctest.StartDaemonWithoutReaders(t)
	states, err := pcsc.Readers()
	if err != nil || states == nil || len(states) != 0 {
		t.Errorf("Readers = %#v, %v; want an empty list", states, err)
	}
	if _, err := pcsc.Connect("Virtual PCD 00 00"); !errors.Is(err, jpki.ErrNoReader) {
		t.Errorf("Connect = %v, want jpki.ErrNoReader", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := pcsc.WaitForCard(ctx, "Virtual PCD 00 00"); !errors.Is(err, jpki.ErrNoReader) {
		t.Errorf("WaitForCard = %v, want jpki.ErrNoReader", err)
	}

	// Watch reports the empty list, then waits on the PnP pseudo-reader.
	w := watch(t)
	select {
	case states := <-w.reports:
		if len(states) != 0 {
			t.Errorf("Watch reported %+v, want no readers", states)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch made no first report without readers")
	}
	start := time.Now()
	if err := w.stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Watch = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Watch took %v to return after cancel", took)
	}
}

func TestPCSCDGoingAwayIsErrNoService(t *testing.T) {
	d := pcsctest.StartDaemon(t)
	insert(t, d, 0)
	s := connect(t, d.ReaderName(0))
	w := watch(t)
	<-w.reports

	d.Stop(t)
	stopped := time.Now()
	select {
	case <-w.done:
		t.Logf("Watch returned %v after pcscd stopped: %v", time.Since(stopped), w.err)
		if !errors.Is(w.err, jpki.ErrNoService) {
			t.Errorf("Watch = %v, want jpki.ErrNoService", w.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch still running 5 s after pcscd stopped")
	}
	if _, err := pcsc.Readers(); !errors.Is(err, jpki.ErrNoService) {
		t.Errorf("Readers = %v, want jpki.ErrNoService", err)
	}
	if _, err := pcsc.Connect(d.ReaderName(0)); !errors.Is(err, jpki.ErrNoService) {
		t.Errorf("Connect = %v, want jpki.ErrNoService", err)
	}
	_, err := s.Transmit(selectAP)
	if !errors.Is(err, jpki.ErrNoService) {
		t.Errorf("Transmit = %v, want jpki.ErrNoService", err)
	}
}

// BenchmarkTransmit measures one SELECT AP round trip: ebfe/scard, pcscd,
// vpcd and the virtual card over loopback TCP.
func BenchmarkTransmit(b *testing.B) {
	d := pcsctest.StartDaemon(b)
	insert(b, d, 0)
	s := connect(b, d.ReaderName(0))
	for b.Loop() {
		if _, sw := transmit(b, s, selectAP); sw != jpki.SWOK {
			b.Fatalf("SELECT AP: %04X", sw)
		}
	}
}

// BenchmarkConnect measures opening and closing a session, which resets the
// card.
func BenchmarkConnect(b *testing.B) {
	d := pcsctest.StartDaemon(b)
	insert(b, d, 0)
	for b.Loop() {
		s, err := pcsc.Connect(d.ReaderName(0))
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
