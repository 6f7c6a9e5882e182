package vcard

import (
	"bytes"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// Status words the applet answers that the host does not act on by name.
const (
	swMemoryFailure    uint16 = 0x6581 // the retry counter could not be written
	swIncompatibleFile uint16 = 0x6981 // command does not fit the selected file's kind
	swNoCurrentEF      uint16 = 0x6986 // command needs a selected EF
	swWrongData        uint16 = 0x6A80
	swRetriesLeft      uint16 = 0x63C0 // | tries left
)

// Class bytes: ISO commands use 00, the JPKI signature command 80.
const (
	claISO         byte = 0x00
	claProprietary byte = 0x80
)

// executeLocked runs one command APDU. slow reports a successful SIGN, the
// one answer Config.SignDelay holds back.
func (c *Card) executeLocked(raw []byte) (data []byte, sw uint16, slow bool) {
	if sw, ok := c.overriddenLocked(raw); ok {
		return nil, sw, false
	}
	cmd, ok := parseCommand(raw)
	if !ok {
		return nil, jpki.SWWrongLength, false
	}
	// Known instructions with the wrong class get 6E00 too, so that a host
	// sending ISO PSO:CDS (00 2A) instead of the JPKI SIGN (80 2A) is told
	// plainly that the class is wrong.
	wantCLA := claISO
	switch cmd.ins {
	case jpki.InsSelect, jpki.InsReadBinary, jpki.InsVerify:
	case jpki.InsSign:
		wantCLA = claProprietary
	default:
		if cmd.cla != claISO && cmd.cla != claProprietary {
			return nil, jpki.SWClaNotSupported, false
		}
		return nil, jpki.SWInsNotSupported, false
	}
	if cmd.cla != wantCLA {
		return nil, jpki.SWClaNotSupported, false
	}
	switch cmd.ins {
	case jpki.InsSelect:
		return nil, c.selectLocked(cmd), false
	case jpki.InsReadBinary:
		data, sw := c.readBinaryLocked(cmd)
		return data, sw, false
	case jpki.InsVerify:
		return nil, c.verifyLocked(cmd), false
	default:
		return c.signLocked(cmd)
	}
}

// selectLocked handles SELECT of the applet by AID (P1 04) and of an EF in
// it by file ID (P1 02), both without FCI (P2 0C), the only forms the JPKI
// applet is known to take.
func (c *Card) selectLocked(cmd command) uint16 {
	switch cmd.p1 {
	case 0x04:
		if len(cmd.data) == 0 {
			return jpki.SWWrongLength
		}
		if c.noApplet || !bytes.Equal(cmd.data, jpki.AIDJPKI) {
			// Whatever P2 asks for, an applet the card lacks is not found
			// (OpenSC probes with P2 00). A failed SELECT leaves the
			// current selection alone, so a peer probing for other
			// applets does not log us out.
			return jpki.SWFileNotFound
		}
		if cmd.p2 != 0x0C {
			return jpki.SWWrongParameters
		}
		// Selecting the applet, even again, starts it afresh: this is
		// why the host must not SELECT AP between VERIFY and SIGN.
		c.apSelected = true
		c.current = nil
		c.verified = [2]bool{}
		return jpki.SWOK
	case 0x02:
		if len(cmd.data) != 2 {
			return jpki.SWWrongLength
		}
		if cmd.p2 != 0x0C {
			return jpki.SWWrongParameters
		}
		if !c.apSelected {
			return jpki.SWFileNotFound // the MF has no such file
		}
		f, ok := c.files[uint16(cmd.data[0])<<8|uint16(cmd.data[1])]
		if !ok {
			return jpki.SWFileNotFound
		}
		c.current = f
		return jpki.SWOK
	default:
		return jpki.SWWrongParameters
	}
}

// readBinaryLocked returns up to Le bytes of the selected file from offset
// P1P2. Short of data it returns what there is with 6282; from the end of
// the file on there is nothing to return and it answers 6B00.
func (c *Card) readBinaryLocked(cmd command) ([]byte, uint16) {
	if len(cmd.data) != 0 || cmd.le < 0 {
		return nil, jpki.SWWrongLength
	}
	f := c.current
	switch {
	case f == nil:
		return nil, swNoCurrentEF
	case f.kind != dataEF:
		return nil, swIncompatibleFile // PINs and keys never leave the card
	case f.pin != noPIN && !c.verified[f.pin]:
		return nil, jpki.SWSecurityStatusNotSatisfied
	}
	offset := int(cmd.p1)<<8 | int(cmd.p2)
	if offset >= len(f.data) {
		return nil, jpki.SWOffsetOutOfFile
	}
	end := offset + cmd.le
	if end > len(f.data) {
		return f.data[offset:], jpki.SWEndOfFileWarning
	}
	return f.data[offset:end], jpki.SWOK
}
