package vcard

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// ErrPoweredOff is Transmit's answer while the card is in the reader but
// not powered: PC/SC would refuse to send, too.
var ErrPoweredOff = errors.New("vcard: card is powered off")

// maxLog bounds the exchange log so that a long-running CLI does not grow
// without limit; Count keeps counting past it.
const maxLog = 10000

// Exchange is one APDU the card answered: its header and status word. The
// command data is left out on purpose, because a VERIFY carries a PIN.
type Exchange struct {
	CLA, INS, P1, P2 byte
	SW               uint16
}

// String formats the exchange as a log line: "00 A4 04 0C -> 9000".
func (e Exchange) String() string {
	return fmt.Sprintf("%02X %02X %02X %02X -> %04X", e.CLA, e.INS, e.P1, e.P2, e.SW)
}

// pinState is a PIN and its retry counter.
type pinState struct {
	value []byte
	max   int
	left  int
}

// Card is a virtual My Number card. It is safe for concurrent use; like a
// real card it executes one APDU at a time.
//
// A Card is a jpki.Transport. It starts inserted and powered, as if a PC/SC
// client had just connected to it.
type Card struct {
	// Fixed at New.
	atr        []byte
	files      map[uint16]*ef
	noApplet   bool
	signDelay  time.Duration
	override   map[byte]uint16
	onExchange func(Exchange)
	stateDir   string

	mu         sync.Mutex
	pins       [2]pinState
	present    bool
	powered    bool
	apSelected bool
	current    *ef // selected EF, nil for none
	verified   [2]bool
	session    uint64        // bumped whenever power, reset or removal ends a session
	ended      chan struct{} // closed when the session ends: wakes a slow SIGN
	dropLeft   int           // APDUs to answer before leaving; -1 when no drop is armed
	log        []Exchange
	counts     [256]int
}

// New makes a card from cfg. With cfg.StateDir set, the retry counters
// saved there by an earlier card win over cfg's Failures.
func New(cfg Config) (*Card, error) {
	cfg, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	c := &Card{
		atr:        cfg.ATR,
		files:      buildFiles(cfg),
		noApplet:   cfg.NotMyNumberCard,
		signDelay:  cfg.SignDelay,
		override:   cfg.StatusOverride,
		onExchange: cfg.OnExchange,
		stateDir:   cfg.StateDir,
		present:    true,
		powered:    true,
		ended:      make(chan struct{}),
		dropLeft:   -1,
	}
	c.pins[authPIN] = newPINState(cfg.AuthPIN)
	c.pins[signPIN] = newPINState(cfg.SignPassword)
	if cfg.DropAfter > 0 {
		c.dropLeft = cfg.DropAfter
	}
	if c.stateDir != "" {
		saved, found, err := loadCounters(c.stateDir)
		if err != nil {
			return nil, err
		}
		if found {
			c.pins[authPIN].left = min(max(saved.AuthRetries, 0), c.pins[authPIN].max)
			c.pins[signPIN].left = min(max(saved.SignRetries, 0), c.pins[signPIN].max)
		}
	}
	return c, nil
}

func newPINState(p PIN) pinState {
	return pinState{value: []byte(p.Value), max: p.MaxRetries, left: p.MaxRetries - p.Failures}
}

// ATR returns the card's answer to reset.
func (c *Card) ATR() []byte { return bytes.Clone(c.atr) }

// Transmit sends one command APDU and returns the response, data followed by
// SW1 SW2. A card that is out of the reader, or leaves during the command,
// gives jpki.ErrCardRemoved; a SIGN cut short by Reset gives
// jpki.ErrCardReset; a card that is powered off gives ErrPoweredOff. Every
// other problem is a status word, as on a real card.
func (c *Card) Transmit(cmd []byte) ([]byte, error) {
	c.mu.Lock()
	if err := c.admitLocked(); err != nil {
		c.mu.Unlock()
		return nil, err
	}
	if len(cmd) >= 2 {
		c.counts[cmd[1]]++
	}
	data, sw, slow := c.executeLocked(cmd)
	ex := exchangeOf(cmd, sw)
	c.recordLocked(ex)
	session, ended := c.session, c.ended
	c.mu.Unlock()

	if slow && c.signDelay > 0 {
		if err := c.waitSigning(session, ended); err != nil {
			return nil, err
		}
	}
	if c.onExchange != nil {
		c.onExchange(ex)
	}
	// A fresh slice: data may alias a file, which appending SW must not touch.
	resp := make([]byte, 0, len(data)+2)
	resp = append(resp, data...)
	return append(resp, byte(sw>>8), byte(sw)), nil
}

// waitSigning sleeps through the configured sign delay without holding the
// lock, so that a test can pull the card out mid-signature; the answer is
// then lost, as it would be on a real reader.
func (c *Card) waitSigning(session uint64, ended <-chan struct{}) error {
	t := time.NewTimer(c.signDelay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ended:
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.session == session:
		return nil
	case !c.present:
		return jpki.ErrCardRemoved
	default:
		return jpki.ErrCardReset
	}
}

// Reset is a warm reset: selection and verified PINs are gone, retry
// counters stay.
func (c *Card) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.endSessionLocked()
}

// PowerOff cuts the card's power; Transmit fails with ErrPoweredOff until
// PowerOn.
func (c *Card) PowerOff() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.powered = false
	c.endSessionLocked()
}

// PowerOn powers the card (a cold reset) if it is in the reader.
func (c *Card) PowerOn() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.powered = c.present
	c.endSessionLocked()
}

// Remove takes the card out of the reader: Transmit fails with
// jpki.ErrCardRemoved until Insert, and a vpcd connection closes.
func (c *Card) Remove() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked()
}

// Insert puts the card back into the reader, powered and in a fresh session.
func (c *Card) Insert() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.present, c.powered = true, true
	c.endSessionLocked()
}

// Present reports whether the card is in the reader.
func (c *Card) Present() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.present
}

// Retries returns the tries left on the auth PIN and the sign password.
func (c *Card) Retries() (auth, sign int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pins[authPIN].left, c.pins[signPIN].left
}

// Log returns the exchanges since New or ResetLog, oldest first (at most
// the last 10000).
func (c *Card) Log() []Exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Exchange(nil), c.log...)
}

// Count returns how many APDUs with this INS byte the card received since
// New or ResetLog, answered or not.
func (c *Card) Count(ins byte) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[ins]
}

// ResetLog clears the exchange log and the counts.
func (c *Card) ResetLog() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.log = nil
	c.counts = [256]int{}
}

func (c *Card) removeLocked() {
	c.present, c.powered = false, false
	c.endSessionLocked()
}

// endSessionLocked forgets what a power cycle, reset or removal forgets on a
// real card: the selected applet and file and the verified PINs.
func (c *Card) endSessionLocked() {
	c.apSelected = false
	c.current = nil
	c.verified = [2]bool{}
	c.session++
	close(c.ended)
	c.ended = make(chan struct{})
}

func (c *Card) recordLocked(ex Exchange) {
	if len(c.log) >= maxLog {
		c.log = c.log[1:]
	}
	c.log = append(c.log, ex)
}

// exchangeOf keeps the header of cmd, however short, and nothing else.
func exchangeOf(cmd []byte, sw uint16) Exchange {
	var h [4]byte
	copy(h[:], cmd)
	return Exchange{CLA: h[0], INS: h[1], P1: h[2], P2: h[3], SW: sw}
}
