package vcard

// defaultATR is what a PC/SC contactless reader reports for an ISO 14443-4
// type B card such as the My Number card (PC/SC part 3): 3B 88 80 01, eight
// historical bytes built from the ATQB and ATTRIB, and the check byte TCK.
// It deliberately does not match OpenSC's JPKI ATR table, so a peer that
// recognises this card has done it the robust way, by SELECT of the AID.
func defaultATR() []byte {
	atr := []byte{
		0x3B,       // TS: direct convention
		0x88,       // T0: TD1 follows, 8 historical bytes
		0x80,       // TD1: TD2 follows, T=0
		0x01,       // TD2: T=1
		0x00, 0x00, // historical bytes: ATQB application data,
		0x00, 0x00,
		0x00, 0x81, 0x71, // protocol info,
		0x80, // and MBLI
	}
	return append(atr, checkByte(atr))
}

// checkByte computes TCK, which ISO 7816-3 requires whenever an ATR offers
// a protocol other than T=0: the XOR of every byte from T0 on, TS excluded.
func checkByte(atr []byte) byte {
	var tck byte
	for _, b := range atr[1:] {
		tck ^= b
	}
	return tck
}
