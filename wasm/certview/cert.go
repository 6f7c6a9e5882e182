// Package certview reads the 利用者証明用 (user authentication) certificate
// from a My Number card for the consent sheet: who it names (an opaque
// identifier, not the person's name), who issued it, how long it is valid,
// which municipality issued the card, and the fingerprints of the key and the
// certificate. It is for showing what will be sent, not for trusting it: the
// site verifies the chain. It avoids crypto/x509, encoding/asn1, crypto/sha256
// and time: each adds hundreds of kilobytes to the WebAssembly module
// (encoding/asn1 alone 1.2 MB), and the module has a 2.5 MB budget.
package certview

import "errors"

// MaxSize bounds the input: a JPKI certificate is about 1.5 KB.
const MaxSize = 16 << 10

// Named errors; a malformed certificate is a *FieldError that unwraps to
// ErrMalformed and says which part failed.
var (
	ErrEmpty        = errors.New("certview: empty certificate")
	ErrTooLarge     = errors.New("certview: certificate larger than 16 KiB")
	ErrTrailingData = errors.New("certview: data after the certificate")
	ErrMalformed    = errors.New("certview: malformed certificate")
)

// FieldError says which part of a certificate could not be read.
type FieldError struct {
	Field  string // "tbsCertificate", "validity", "extensions", ...
	Detail string
}

func (e *FieldError) Error() string {
	return ErrMalformed.Error() + ": " + e.Field + ": " + e.Detail
}

func (e *FieldError) Unwrap() error { return ErrMalformed }

func malformed(field string, err error) error {
	return &FieldError{Field: field, Detail: err.Error()}
}

// Certificate is what the consent sheet shows about the certificate.
type Certificate struct {
	Subject string // "C=JP, CN=OF2THUV3B12MZMQGIGDQRSZ": an opaque identifier
	// SubjectCommonName is the CN alone ("OF2THUV3B12MZMQGIGDQRSZ").
	SubjectCommonName string
	Issuer            string // the issuing CA's distinguished name
	NotBefore         Time
	NotAfter          Time
	// Prefecture and Municipality come from the CRL distribution point,
	// romanised as J-LIS writes them ("Hokkaido", "Sapporo-shi-Minami-ku");
	// "" when the certificate has none of the JPKI shape. PrefectureJa is
	// the prefecture in Japanese ("北海道") when known.
	Prefecture   string
	PrefectureJa string
	Municipality string
	// PublicKeyAlgorithm is "RSA", "ECDSA", "Ed25519", or the dotted OID of
	// an algorithm this package does not know; PublicKeyBits is 0 then.
	PublicKeyAlgorithm string
	PublicKeyBits      int
}

// Parse reads one DER certificate. der must hold exactly one certificate.
func Parse(der []byte) (*Certificate, error) {
	switch {
	case len(der) == 0:
		return nil, ErrEmpty
	case len(der) > MaxSize:
		return nil, ErrTooLarge
	}
	cert, rest, err := expect(der, classUniversal, tagSequence, true, "certificate")
	if err != nil {
		return nil, malformed("certificate", err)
	}
	if len(rest) != 0 {
		return nil, ErrTrailingData
	}
	tbs, rest, err := expect(cert.content, classUniversal, tagSequence, true, "tbsCertificate")
	if err != nil {
		return nil, malformed("tbsCertificate", err)
	}
	if _, rest, err = expect(rest, classUniversal, tagSequence, true, "signatureAlgorithm"); err != nil {
		return nil, malformed("signatureAlgorithm", err)
	}
	if _, rest, err = expect(rest, classUniversal, tagBitString, false, "signatureValue"); err != nil {
		return nil, malformed("signatureValue", err)
	}
	if len(rest) != 0 {
		return nil, malformed("certificate", errDER("extra elements after the signature"))
	}
	c := &Certificate{}
	if err := c.parseTBS(tbs.content); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Certificate) parseTBS(b []byte) error {
	e, rest, err := next(b)
	if err != nil {
		return malformed("version", err)
	}
	if e.is(classContext, 0, true) {
		// [0] EXPLICIT Version: v1 (0), v2 (1) or v3 (2).
		v, after, err := expect(e.content, classUniversal, tagInteger, false, "version")
		if err != nil || len(after) != 0 || len(v.content) != 1 || v.content[0] > 2 {
			return malformed("version", errDER("not v1, v2 or v3"))
		}
		if e, rest, err = next(rest); err != nil {
			return malformed("serialNumber", err)
		}
	}
	if !e.is(classUniversal, tagInteger, false) || len(e.content) == 0 {
		return malformed("serialNumber", errDER("not an INTEGER"))
	}
	if _, rest, err = expect(rest, classUniversal, tagSequence, true, "signature"); err != nil {
		return malformed("signature", err)
	}
	issuer, rest, err := next(rest)
	if err != nil {
		return malformed("issuer", err)
	}
	issuerRDNs, err := parseName(issuer)
	if err != nil {
		return malformed("issuer", err)
	}
	c.Issuer = formatName(issuerRDNs)
	validity, rest, err := expect(rest, classUniversal, tagSequence, true, "validity")
	if err != nil {
		return malformed("validity", err)
	}
	if err := c.parseValidity(validity.content); err != nil {
		return malformed("validity", err)
	}
	subject, rest, err := next(rest)
	if err != nil {
		return malformed("subject", err)
	}
	subjectRDNs, err := parseName(subject)
	if err != nil {
		return malformed("subject", err)
	}
	c.Subject = formatName(subjectRDNs)
	for _, rdn := range subjectRDNs {
		for _, a := range rdn {
			if a.Type == "CN" {
				c.SubjectCommonName = displayText(a.Value)
			}
		}
	}
	spki, rest, err := expect(rest, classUniversal, tagSequence, true, "subjectPublicKeyInfo")
	if err != nil {
		return malformed("subjectPublicKeyInfo", err)
	}
	if err := c.parsePublicKey(spki); err != nil {
		return malformed("subjectPublicKeyInfo", err)
	}
	for len(rest) > 0 {
		e, rest, err = next(rest)
		if err != nil {
			return malformed("extensions", err)
		}
		switch {
		case e.is(classContext, 1, false), e.is(classContext, 2, false):
			// issuerUniqueID, subjectUniqueID: nothing to show.
		case e.is(classContext, 3, true):
			if len(rest) != 0 {
				return malformed("extensions", errDER("elements after the extensions"))
			}
			if err := c.parseExtensions(e.content); err != nil {
				return malformed("extensions", err)
			}
		default:
			return malformed("extensions", errDER("unexpected element in tbsCertificate"))
		}
	}
	return nil
}

func (c *Certificate) parseValidity(b []byte) error {
	nb, rest, err := next(b)
	if err != nil {
		return err
	}
	na, rest, err := next(rest)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errDER("extra elements")
	}
	if c.NotBefore, err = parseTime(nb); err != nil {
		return err
	}
	if c.NotAfter, err = parseTime(na); err != nil {
		return err
	}
	return nil
}

// Algorithm and curve identifiers (RFC 3279, RFC 5480, RFC 8410).
var (
	curveBits = map[string]int{
		"1.2.840.10045.3.1.7": 256, // P-256
		"1.3.132.0.34":        384, // P-384
		"1.3.132.0.35":        521, // P-521
	}
)

func (c *Certificate) parsePublicKey(spki element) error {
	alg, rest, err := expect(spki.content, classUniversal, tagSequence, true, "algorithm")
	if err != nil {
		return err
	}
	key, rest, err := expect(rest, classUniversal, tagBitString, false, "subjectPublicKey")
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errDER("extra elements")
	}
	if len(key.content) == 0 || key.content[0] != 0 {
		return errDER("public key BIT STRING is not whole bytes")
	}
	oid, params, err := expect(alg.content, classUniversal, tagOID, false, "algorithm")
	if err != nil {
		return err
	}
	algOID, err := oidString(oid.content)
	if err != nil {
		return err
	}
	switch algOID {
	case "1.2.840.113549.1.1.1":
		c.PublicKeyAlgorithm = "RSA"
		c.PublicKeyBits, err = rsaModulusBits(key.content[1:])
		return err
	case "1.2.840.10045.2.1":
		c.PublicKeyAlgorithm = "ECDSA"
		curve, _, err := expect(params, classUniversal, tagOID, false, "curve")
		if err != nil {
			return err
		}
		name, err := oidString(curve.content)
		if err != nil {
			return err
		}
		c.PublicKeyBits = curveBits[name]
	case "1.3.101.112":
		c.PublicKeyAlgorithm = "Ed25519"
		c.PublicKeyBits = 256
	default:
		c.PublicKeyAlgorithm = algOID
	}
	return nil
}

// rsaModulusBits reads RSAPublicKey ::= SEQUENCE { modulus, publicExponent }
// and returns the modulus size in bits.
func rsaModulusBits(b []byte) (int, error) {
	seq, rest, err := expect(b, classUniversal, tagSequence, true, "RSAPublicKey")
	if err != nil || len(rest) != 0 {
		return 0, errDER("RSAPublicKey is not one SEQUENCE")
	}
	n, rest, err := expect(seq.content, classUniversal, tagInteger, false, "modulus")
	if err != nil {
		return 0, err
	}
	if _, rest, err = expect(rest, classUniversal, tagInteger, false, "publicExponent"); err != nil || len(rest) != 0 {
		return 0, errDER("RSAPublicKey: bad public exponent")
	}
	m := n.content
	if len(m) == 0 || m[0]&0x80 != 0 {
		return 0, errDER("RSA modulus is not positive")
	}
	if len(m) > 1 && m[0] == 0 {
		if m[1]&0x80 == 0 {
			return 0, errDER("RSA modulus is not minimally encoded")
		}
		m = m[1:]
	}
	if m[0] == 0 {
		return 0, errDER("RSA modulus is zero")
	}
	bitsInFirst := 0
	for v := m[0]; v != 0; v >>= 1 {
		bitsInFirst++
	}
	return (len(m)-1)*8 + bitsInFirst, nil
}

// parseExtensions finds the CRL distribution points. Other extensions are
// the site's business (key usage, policies): the sheet does not show them.
func (c *Certificate) parseExtensions(b []byte) error {
	seq, rest, err := expect(b, classUniversal, tagSequence, true, "extensions")
	if err != nil || len(rest) != 0 {
		return errDER("extensions are not one SEQUENCE")
	}
	exts, err := children(seq.content)
	if err != nil {
		return err
	}
	for _, ext := range exts {
		if !ext.is(classUniversal, tagSequence, true) {
			return errDER("extension is not a SEQUENCE")
		}
		id, rest, err := expect(ext.content, classUniversal, tagOID, false, "extnID")
		if err != nil {
			return err
		}
		value, rest, err := next(rest)
		if err != nil {
			return err
		}
		if value.is(classUniversal, tagBoolean, false) {
			if value, rest, err = next(rest); err != nil {
				return err
			}
		}
		if !value.is(classUniversal, tagOctetString, false) || len(rest) != 0 {
			return errDER("extnValue is not an OCTET STRING")
		}
		oid, err := oidString(id.content)
		if err != nil {
			return err
		}
		if oid == "2.5.29.31" {
			c.Prefecture, c.Municipality, err = parseCRLDistributionPoints(value.content)
			if err != nil {
				return err
			}
			c.PrefectureJa = PrefectureJa(c.Prefecture)
		}
	}
	return nil
}
