package vcard

// command is a parsed short command APDU (ISO 7816-4 cases 1 to 4).
type command struct {
	cla, ins, p1, p2 byte
	data             []byte
	le               int // expected response length: -1 when absent, 256 for Le = 00
}

// parseCommand splits a short command APDU. It refuses anything whose Lc
// does not match its length, and extended-length APDUs: the JPKI applet is
// not known to accept them (jpki-card.md), so a host must not depend on them.
func parseCommand(b []byte) (command, bool) {
	if len(b) < 4 {
		return command{}, false
	}
	cmd := command{cla: b[0], ins: b[1], p1: b[2], p2: b[3], le: -1}
	body := b[4:]
	switch {
	case len(body) == 0: // case 1
	case len(body) == 1: // case 2
		cmd.le = shortLe(body[0])
	case body[0] == 0: // extended Lc
		return command{}, false
	default:
		lc := int(body[0])
		switch len(body) {
		case 1 + lc: // case 3
			cmd.data = body[1:]
		case 2 + lc: // case 4
			cmd.data = body[1 : 1+lc]
			cmd.le = shortLe(body[1+lc])
		default:
			return command{}, false
		}
	}
	return cmd, true
}

func shortLe(b byte) int {
	if b == 0 {
		return 256
	}
	return int(b)
}
