package vcard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// Addresses of vpcd's two virtual readers, as Debian's
// /etc/reader.conf.d/vpcd configures them.
const (
	VPCDReader0 = "127.0.0.1:35963" // "Virtual PCD 00 00"
	VPCDReader1 = "127.0.0.1:35964" // "Virtual PCD 00 01"
)

// ErrReaderClosed is Serve's answer when vpcd hung up, as pcscd does when it
// stops.
var ErrReaderClosed = errors.New("vcard: vpcd closed the connection")

// Control frames from vpcd: one byte each. Only get-ATR is answered.
const (
	ctrlPowerOff byte = 0x00
	ctrlPowerOn  byte = 0x01
	ctrlReset    byte = 0x02
	ctrlGetATR   byte = 0x04
)

// Conn is a card in one of vpcd's virtual readers. The card dials vpcd, not
// the other way round: vpcd's "reversed" mode crashes Debian's pcscd.
type Conn struct {
	// Logf, when set before Serve, receives a line for each power and reset
	// frame. APDUs are reported through Config.OnExchange instead.
	Logf func(format string, args ...any)

	card      *Card
	nc        *net.TCPConn
	closeOnce sync.Once
}

// Dial inserts card into the vpcd reader listening at addr (VPCDReader0 or
// VPCDReader1). pcscd may still be starting, so Dial keeps trying until it
// connects or ctx is done. The card is inserted (powered, fresh session)
// once connected; call Serve next.
func Dial(ctx context.Context, addr string, card *Card) (*Conn, error) {
	var d net.Dialer
	wait := 50 * time.Millisecond
	for {
		nc, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			tcp, ok := nc.(*net.TCPConn)
			if !ok {
				nc.Close()
				return nil, fmt.Errorf("vcard: vpcd at %s: not a TCP connection", addr)
			}
			// Each frame is written in one call; do not let Nagle hold
			// it back waiting for an ACK.
			if err := tcp.SetNoDelay(true); err != nil {
				tcp.Close()
				return nil, fmt.Errorf("vcard: vpcd at %s: %w", addr, err)
			}
			card.Insert()
			return &Conn{card: card, nc: tcp}, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("vcard: vpcd at %s not reachable (is pcscd running with vsmartcard-vpcd?): %w (last try: %w)", addr, ctx.Err(), err)
		case <-t.C:
		}
		wait = min(2*wait, time.Second)
	}
}

// Serve answers vpcd until ctx is done or Close is called (it returns nil
// then), vpcd hangs up (ErrReaderClosed) or the card leaves the reader
// through Card.Remove or a drop fault (jpki.ErrCardRemoved). In every case
// the connection is closed and the card is out of the reader on return.
func (c *Conn) Serve(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	defer c.Close()

	buf := make([]byte, maxFrame)
	for {
		// Linux turns quick ACKs off again by itself; vpcd sends a frame's
		// length and payload in two writes, and a delayed ACK of the first
		// would stall every APDU by ~40 ms.
		setQuickAck(c.nc)
		frame, err := readFrame(c.nc, buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			if isEOF(err) {
				return ErrReaderClosed
			}
			return fmt.Errorf("vcard: read from vpcd: %w", err)
		}
		reply, ok, err := c.handle(frame)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if !ok {
			continue
		}
		if err := writeFrame(c.nc, reply); err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("vcard: write to vpcd: %w", err)
		}
	}
}

// handle answers one frame from vpcd. ok is false for frames that get no
// reply. An error means the card has left the reader.
func (c *Conn) handle(frame []byte) (reply []byte, ok bool, err error) {
	if !c.card.Present() {
		return nil, false, fmt.Errorf("vcard: card left the reader: %w", jpki.ErrCardRemoved)
	}
	if len(frame) == 1 {
		switch frame[0] {
		case ctrlPowerOff:
			c.logf("vpcd: power off")
			c.card.PowerOff()
		case ctrlPowerOn:
			c.logf("vpcd: power on")
			c.card.PowerOn()
		case ctrlReset:
			c.logf("vpcd: reset")
			c.card.Reset()
		case ctrlGetATR:
			return c.card.ATR(), true, nil
		default:
			c.logf("vpcd: ignoring unknown control frame %02X", frame[0])
		}
		return nil, false, nil
	}
	if len(frame) == 0 {
		return nil, false, nil // vpcd sends none; nothing to answer
	}
	resp, err := c.card.Transmit(frame)
	if err != nil {
		// vpcd has no way to carry an error; a card that cannot answer
		// has, as far as the reader can tell, gone.
		return nil, false, fmt.Errorf("vcard: card did not answer an APDU: %w", err)
	}
	return resp, true, nil
}

// Close pulls the card out of the reader: the connection closes, which
// vpcd reports to pcscd as a removal. It is safe to call more than once.
func (c *Conn) Close() error {
	var err error
	c.closeOnce.Do(func() {
		c.card.Remove()
		err = c.nc.Close()
	})
	return err
}

func (c *Conn) logf(format string, args ...any) {
	if c.Logf != nil {
		c.Logf(format, args...)
	}
}
