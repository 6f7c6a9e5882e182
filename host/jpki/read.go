package jpki

import "fmt"

// ReadAuthCertificate returns the DER 利用者証明用 (user authentication)
// certificate. It needs no PIN.
func (c *Card) ReadAuthCertificate() ([]byte, error) {
	return c.readCertificate(EFAuthCert, "auth certificate")
}

// ReadAuthCACertificate returns the DER certificate of the CA that issued the
// auth certificate.
func (c *Card) ReadAuthCACertificate() ([]byte, error) {
	return c.readCertificate(EFAuthCACert, "auth CA certificate")
}

// readCertificate reads a DER certificate whose length is in its own header.
// The first READ asks for a full 256-byte chunk rather than the 4-byte
// header alone: the header is in it, and it saves one APDU per certificate.
func (c *Card) readCertificate(fid uint16, what string) ([]byte, error) {
	if err := c.selectEF(fid); err != nil {
		return nil, fmt.Errorf("jpki: read %s: %w", what, err)
	}
	first, err := c.readChunk(0, readChunk)
	if err != nil {
		return nil, fmt.Errorf("jpki: read %s: %w", what, err)
	}
	total, err := DERLength(first)
	if err != nil {
		return nil, fmt.Errorf("jpki: read %s: %w", what, err)
	}
	if len(first) >= total {
		return first[:total], nil
	}
	cert := make([]byte, 0, total)
	cert = append(cert, first...)
	for len(cert) < total {
		n := min(total-len(cert), readChunk)
		chunk, err := c.readChunk(uint16(len(cert)), n)
		if err != nil {
			return nil, fmt.Errorf("jpki: read %s at %d of %d: %w", what, len(cert), total, err)
		}
		if len(chunk) == 0 {
			return nil, fmt.Errorf("jpki: read %s: %w: file ends at %d of %d bytes", what, ErrMalformedResponse, len(cert), total)
		}
		cert = append(cert, chunk...)
	}
	return cert[:total], nil
}

// readFile reads a file of known length from its start.
func (c *Card) readFile(fid uint16, n int) ([]byte, error) {
	if err := c.selectEF(fid); err != nil {
		return nil, err
	}
	return c.readChunk(0, n)
}

// readChunk reads up to n (1..256) bytes at offset. A card may answer fewer
// bytes with 62 82 at the end of the file, or tell the exact length with
// 6C xx; both are accepted, because real cards differ here.
func (c *Card) readChunk(offset uint16, n int) ([]byte, error) {
	apdu := ReadBinaryCommand(offset, n)
	resp, err := c.transmit(apdu)
	if err != nil {
		return nil, err
	}
	if resp.SW&0xFF00 == 0x6C00 { // wrong Le; SW2 is the exact length
		exact := int(resp.SW & 0xFF)
		if exact == 0 {
			exact = readChunk
		}
		apdu = ReadBinaryCommand(offset, exact)
		if resp, err = c.transmit(apdu); err != nil {
			return nil, err
		}
	}
	switch resp.SW {
	case SWOK, SWEndOfFileWarning:
		if len(resp.Data) > n {
			return nil, fmt.Errorf("%w: %s answered %d bytes, asked for %d", ErrMalformedResponse, describe(apdu), len(resp.Data), n)
		}
		return resp.Data, nil
	}
	return nil, &StatusError{Op: describe(apdu), SW: resp.SW}
}

// DERLength returns the total length (header included) of the DER SEQUENCE
// that b starts with, as announced by its header. Only the forms a
// certificate of up to 64 KiB can take are accepted; anything else, or a
// length over the limit a card file can hold, is ErrMalformedResponse.
func DERLength(b []byte) (int, error) {
	if len(b) < 2 || b[0] != 0x30 {
		return 0, fmt.Errorf("%w: not a DER SEQUENCE", ErrMalformedResponse)
	}
	var header, content int
	switch l := b[1]; {
	case l < 0x80:
		header, content = 2, int(l)
	case l == 0x81 && len(b) >= 3:
		header, content = 3, int(b[2])
	case l == 0x82 && len(b) >= 4:
		header, content = 4, int(b[2])<<8|int(b[3])
	default:
		return 0, fmt.Errorf("%w: unsupported DER length byte %02X", ErrMalformedResponse, l)
	}
	if total := header + content; total <= maxCertificateLen {
		return total, nil
	}
	return 0, fmt.Errorf("%w: DER length %d over the %d-byte limit", ErrMalformedResponse, header+content, maxCertificateLen)
}
