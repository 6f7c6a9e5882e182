package vcard

import "github.com/mynaconnect/mynaconnect/host/jpki"

// ArmDrop makes the card leave the reader after answering n more APDUs: the
// next one finds it gone (jpki.ErrCardRemoved in process, a closed socket
// over vpcd) and it stays out until Insert or a new Dial. The drop fires
// once; a negative n disarms it. Config.DropAfter arms it at New.
func (c *Card) ArmDrop(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLeft = max(n, -1)
}

// admitLocked decides whether an APDU reaches the card at all.
func (c *Card) admitLocked() error {
	if !c.present {
		return jpki.ErrCardRemoved
	}
	if !c.powered {
		return ErrPoweredOff
	}
	switch {
	case c.dropLeft == 0:
		c.dropLeft = -1
		c.removeLocked()
		return jpki.ErrCardRemoved
	case c.dropLeft > 0:
		c.dropLeft--
	}
	return nil
}

// overriddenLocked returns the status word Config.StatusOverride forces on
// cmd, if any. It looks only at the INS byte, so that even a malformed
// command can be made to fail the way a test wants.
func (c *Card) overriddenLocked(cmd []byte) (uint16, bool) {
	if len(cmd) < 2 {
		return 0, false
	}
	sw, ok := c.override[cmd[1]]
	return sw, ok
}
