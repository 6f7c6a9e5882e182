package vcard

import (
	"crypto/subtle"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// verifyLocked handles VERIFY (00 20 00 80) on the selected PIN file. With
// no data it reports the retry counter and uses no try; the counter does
// not say whether the PIN is verified, on the real card either.
func (c *Card) verifyLocked(cmd command) uint16 {
	if cmd.p1 != 0x00 || cmd.p2 != 0x80 {
		return jpki.SWWrongParameters
	}
	f := c.current
	switch {
	case f == nil:
		return swNoCurrentEF
	case f.kind != pinEF:
		return swIncompatibleFile
	}
	p := &c.pins[f.pin]
	if len(cmd.data) == 0 {
		return swRetriesLeft | uint16(p.left)
	}
	if p.left == 0 {
		return jpki.SWAuthMethodBlocked // and the counter is not touched
	}
	// Any data that is not exactly the PIN is a wrong try, whatever its
	// length or alphabet: a host must check the format before sending.
	if subtle.ConstantTimeCompare(cmd.data, p.value) != 1 {
		c.verified[f.pin] = false
		p.left--
		if err := c.saveCountersLocked(); err != nil {
			return swMemoryFailure // the try stays used: fail closed
		}
		if p.left == 0 {
			return jpki.SWAuthMethodBlocked
		}
		return swRetriesLeft | uint16(p.left)
	}
	if p.left != p.max {
		old := p.left
		p.left = p.max
		if err := c.saveCountersLocked(); err != nil {
			p.left = old
			return swMemoryFailure
		}
	}
	c.verified[f.pin] = true
	return jpki.SWOK
}

// saveCountersLocked writes the counters to the state directory, if any.
func (c *Card) saveCountersLocked() error {
	if c.stateDir == "" {
		return nil
	}
	return saveCounters(c.stateDir, counters{
		AuthRetries: c.pins[authPIN].left,
		SignRetries: c.pins[signPIN].left,
	})
}
