package vcard

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// signLocked handles the JPKI SIGN (80 2A 00 80 Lc DigestInfo 00) with the
// selected key: PKCS#1 v1.5 type-1 padding and the RSA private operation,
// done by the card, so the host sends the DigestInfo, not a padded block.
func (c *Card) signLocked(cmd command) ([]byte, uint16, bool) {
	if cmd.p1 != 0x00 || cmd.p2 != 0x80 {
		return nil, jpki.SWWrongParameters, false
	}
	f := c.current
	switch {
	case f == nil:
		return nil, swNoCurrentEF, false
	case f.kind != keyEF:
		return nil, swIncompatibleFile, false
	case !c.verified[f.pin]:
		return nil, jpki.SWSecurityStatusNotSatisfied, false
	case len(cmd.data) == 0, cmd.le != -1 && cmd.le != 256:
		return nil, jpki.SWWrongLength, false
	case !isDigestInfo(cmd.data):
		// What a real card does with other data is unknown; refusing it
		// makes a host that sends a bare hash fail here, loudly, rather
		// than with a signature no verifier accepts.
		return nil, swWrongData, false
	}
	sig, err := rsa.SignPKCS1v15(nil, f.key, crypto.Hash(0), cmd.data)
	if err != nil {
		return nil, swWrongData, false // too long for the key
	}
	return sig, jpki.SWOK, true
}

// isDigestInfo reports whether b is exactly one DER DigestInfo
// (PKCS #1: SEQUENCE { AlgorithmIdentifier, OCTET STRING }).
func isDigestInfo(b []byte) bool {
	var di struct {
		Algorithm pkix.AlgorithmIdentifier
		Digest    []byte
	}
	rest, err := asn1.Unmarshal(b, &di)
	return err == nil && len(rest) == 0 && len(di.Digest) > 0
}
