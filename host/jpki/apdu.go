package jpki

import (
	"encoding/hex"
	"fmt"
)

// Identifiers of the JPKI applet and its elementary files (jpki-card.md).
var (
	// AIDJPKI is the application identifier of the JPKI applet.
	AIDJPKI = []byte{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01}
)

// File identifiers inside the JPKI applet.
const (
	EFTokenInfo       uint16 = 0x0006
	EFAuthCert        uint16 = 0x000A
	EFAuthCACert      uint16 = 0x000B
	EFAuthPIN         uint16 = 0x0018
	EFAuthKey         uint16 = 0x0017
	EFSignCert        uint16 = 0x0001
	EFSignCACert      uint16 = 0x0002
	EFSignPassword    uint16 = 0x001B
	EFSignKey         uint16 = 0x001A
	tokenInfoLength          = 32
	readChunk                = 256 // a short APDU's largest answer (Le = 00)
	maxCertificateLen        = 8192
)

// Instruction bytes the applet understands.
const (
	InsSelect     byte = 0xA4
	InsReadBinary byte = 0xB0
	InsVerify     byte = 0x20
	InsSign       byte = 0x2A // with CLA 0x80: the JPKI proprietary signature command
)

// Status words with a meaning for this applet.
const (
	SWOK                         uint16 = 0x9000
	SWEndOfFileWarning           uint16 = 0x6282 // fewer bytes than asked: end of file
	SWWrongLength                uint16 = 0x6700
	SWSecurityStatusNotSatisfied uint16 = 0x6982
	SWAuthMethodBlocked          uint16 = 0x6983
	SWReferenceDataInvalidated   uint16 = 0x6984
	SWConditionsNotSatisfied     uint16 = 0x6985
	SWWrongParameters            uint16 = 0x6A86
	SWFileNotFound               uint16 = 0x6A82
	SWOffsetOutOfFile            uint16 = 0x6B00
	SWInsNotSupported            uint16 = 0x6D00
	SWClaNotSupported            uint16 = 0x6E00
)

// isBlockedSW reports the status words a card uses for a PIN with no tries
// left. 63 C0 counts as blocked too: "zero tries left".
func isBlockedSW(sw uint16) bool {
	return sw == 0x63C0 || sw == SWAuthMethodBlocked || sw == SWReferenceDataInvalidated
}

// retriesFromSW returns x for a status word 63 Cx.
func retriesFromSW(sw uint16) (int, bool) {
	if sw&0xFFF0 != 0x63C0 {
		return 0, false
	}
	return int(sw & 0x000F), true
}

// Response is a card's answer split into data and status word.
type Response struct {
	Data []byte
	SW   uint16
}

// ParseResponse splits a raw response APDU. It fails on anything shorter
// than the two status bytes.
func ParseResponse(raw []byte) (Response, error) {
	if len(raw) < 2 {
		return Response{}, fmt.Errorf("%w: %d bytes, want at least the 2 status bytes", ErrMalformedResponse, len(raw))
	}
	n := len(raw) - 2
	return Response{Data: raw[:n], SW: uint16(raw[n])<<8 | uint16(raw[n+1])}, nil
}

// command builds a short command APDU. le < 0 means no Le byte; le == 256 is
// encoded as 00.
func command(cla, ins, p1, p2 byte, data []byte, le int) []byte {
	apdu := make([]byte, 0, 5+len(data)+1)
	apdu = append(apdu, cla, ins, p1, p2)
	if len(data) > 0 {
		apdu = append(apdu, byte(len(data)))
		apdu = append(apdu, data...)
	}
	if le >= 0 {
		apdu = append(apdu, byte(le)) // 256 wraps to 00, as ISO 7816-4 wants
	}
	return apdu
}

// SelectAIDCommand selects an applet by AID, asking for no FCI (P2 = 0C).
func SelectAIDCommand(aid []byte) []byte { return command(0x00, InsSelect, 0x04, 0x0C, aid, -1) }

// SelectEFCommand selects an elementary file in the current applet. The JPKI
// applet wants P1 = 02.
func SelectEFCommand(fid uint16) []byte {
	return command(0x00, InsSelect, 0x02, 0x0C, []byte{byte(fid >> 8), byte(fid)}, -1)
}

// ReadBinaryCommand reads n (1..256) bytes at offset from the selected file.
func ReadBinaryCommand(offset uint16, n int) []byte {
	return command(0x00, InsReadBinary, byte(offset>>8), byte(offset), nil, n)
}

// VerifyCommand presents a PIN to the selected PIN file. With a nil PIN it
// only asks for the retry counter and uses no try.
func VerifyCommand(pin []byte) []byte { return command(0x00, InsVerify, 0x00, 0x80, pin, -1) }

// SignCommand asks the card to sign a DER DigestInfo with the selected key.
func SignCommand(digestInfo []byte) []byte {
	return command(0x80, InsSign, 0x00, 0x80, digestInfo, 256)
}

// describe names a command APDU for errors and logs without its data, so a
// PIN in a VERIFY never reaches a log line.
func describe(apdu []byte) string {
	if len(apdu) < 4 {
		return "APDU " + hex.EncodeToString(apdu)
	}
	switch {
	case apdu[1] == InsSelect && apdu[2] == 0x04:
		return "SELECT AP"
	case apdu[1] == InsSelect && len(apdu) >= 7:
		return fmt.Sprintf("SELECT EF %02X%02X", apdu[5], apdu[6])
	case apdu[1] == InsReadBinary:
		return fmt.Sprintf("READ BINARY at %d", int(apdu[2])<<8|int(apdu[3]))
	case apdu[1] == InsVerify && len(apdu) == 4:
		return "VERIFY (retry counter)"
	case apdu[1] == InsVerify:
		return "VERIFY"
	case apdu[0] == 0x80 && apdu[1] == InsSign:
		return "SIGN"
	}
	return fmt.Sprintf("APDU %02X %02X %02X %02X", apdu[0], apdu[1], apdu[2], apdu[3])
}
