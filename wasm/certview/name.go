package certview

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// attributeNames are the short names RFC 4514 and OpenSSL print; other
// attribute types print as their dotted OID.
var attributeNames = map[string]string{
	"2.5.4.3":                    "CN",
	"2.5.4.4":                    "SN",
	"2.5.4.5":                    "serialNumber",
	"2.5.4.6":                    "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "ST",
	"2.5.4.9":                    "street",
	"2.5.4.10":                   "O",
	"2.5.4.11":                   "OU",
	"2.5.4.12":                   "title",
	"2.5.4.42":                   "GN",
	"1.2.840.113549.1.9.1":       "emailAddress",
	"0.9.2342.19200300.100.1.25": "DC",
}

// attribute is one type=value pair of a distinguished name.
type attribute struct {
	Type  string // short name ("CN") or dotted OID
	Value string // decoded, made safe to display
}

// parseName reads a Name (SEQUENCE OF SET OF AttributeTypeAndValue) into
// RDNs in certificate order.
func parseName(e element) ([][]attribute, error) {
	if !e.is(classUniversal, tagSequence, true) {
		return nil, errDER("name is not a SEQUENCE")
	}
	sets, err := children(e.content)
	if err != nil {
		return nil, err
	}
	var rdns [][]attribute
	for _, set := range sets {
		if !set.is(classUniversal, tagSet, true) {
			return nil, errDER("relative distinguished name is not a SET")
		}
		atvs, err := children(set.content)
		if err != nil {
			return nil, err
		}
		if len(atvs) == 0 {
			return nil, errDER("empty relative distinguished name")
		}
		var rdn []attribute
		for _, atv := range atvs {
			a, err := parseAttribute(atv)
			if err != nil {
				return nil, err
			}
			rdn = append(rdn, a)
		}
		rdns = append(rdns, rdn)
	}
	return rdns, nil
}

func parseAttribute(atv element) (attribute, error) {
	if !atv.is(classUniversal, tagSequence, true) {
		return attribute{}, errDER("attribute is not a SEQUENCE")
	}
	typ, rest, err := expect(atv.content, classUniversal, tagOID, false, "attribute type")
	if err != nil {
		return attribute{}, err
	}
	val, rest, err := next(rest)
	if err != nil {
		return attribute{}, errDER("attribute value: " + err.Error())
	}
	if len(rest) != 0 {
		return attribute{}, errDER("attribute has extra elements")
	}
	oid, err := oidString(typ.content)
	if err != nil {
		return attribute{}, err
	}
	name := attributeNames[oid]
	if name == "" {
		name = oid
	}
	s, err := decodeString(val)
	if err != nil {
		return attribute{}, err
	}
	return attribute{Type: name, Value: s}, nil
}

// decodeString turns the string types of X.509 names into text. A value of
// another type prints as "#" and its DER in hex, as RFC 4514 does.
func decodeString(e element) (string, error) {
	if e.class != classUniversal || e.constructed {
		return "#" + hexString(e.full), nil
	}
	c := e.content
	switch e.tag {
	case tagUTF8String:
		if !utf8.Valid(c) {
			return "", errDER("invalid UTF8String")
		}
		return string(c), nil
	case tagPrintableString, tagIA5String, tagNumericString, tagVisibleString:
		for _, b := range c {
			if b >= 0x80 {
				return "", errDER("non-ASCII byte in an ASCII string type")
			}
		}
		return string(c), nil
	case tagT61String:
		// In practice Latin-1, as crypto/x509 reads it too.
		r := make([]rune, len(c))
		for i, b := range c {
			r[i] = rune(b)
		}
		return string(r), nil
	case tagBMPString:
		if len(c)%2 != 0 {
			return "", errDER("odd-length BMPString")
		}
		u := make([]uint16, len(c)/2)
		for i := range u {
			u[i] = uint16(c[2*i])<<8 | uint16(c[2*i+1])
		}
		return string(utf16.Decode(u)), nil
	case tagUniversalString:
		if len(c)%4 != 0 {
			return "", errDER("bad UniversalString length")
		}
		var s strings.Builder
		for i := 0; i < len(c); i += 4 {
			s.WriteRune(rune(uint32(c[i])<<24 | uint32(c[i+1])<<16 | uint32(c[i+2])<<8 | uint32(c[i+3])))
		}
		return s.String(), nil
	}
	return "#" + hexString(e.full), nil
}

// formatName prints a name the way OpenSSL's default does ("C=JP, O=JPKI,
// CN=..."), in certificate order, escaping the characters that would let a
// value pose as another attribute ("JP, CN=someone") per RFC 4514, and
// replacing control and bidirectional-override characters so the text
// shown is the text read.
func formatName(rdns [][]attribute) string {
	var s strings.Builder
	for i, rdn := range rdns {
		if i > 0 {
			s.WriteString(", ")
		}
		for j, a := range rdn {
			if j > 0 {
				s.WriteString(" + ")
			}
			s.WriteString(a.Type)
			s.WriteByte('=')
			s.WriteString(escapeValue(a.Value))
		}
	}
	return s.String()
}

func escapeValue(v string) string {
	var s strings.Builder
	for i, r := range v {
		switch {
		case strings.ContainsRune(",+\"\\<>;", r),
			i == 0 && (r == '#' || r == ' '),
			i == len(v)-1 && r == ' ':
			s.WriteByte('\\')
			s.WriteRune(r)
		default:
			s.WriteRune(displayRune(r))
		}
	}
	return s.String()
}

// displayRune replaces what must not reach the screen as is: control
// characters, and format characters such as U+202E (right-to-left
// override), which would reorder the text around them.
func displayRune(r rune) rune {
	if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
		return unicode.ReplacementChar
	}
	return r
}

// displayText applies displayRune to a whole string.
func displayText(v string) string {
	return strings.Map(displayRune, v)
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i] = digits[c>>4]
		out[2*i+1] = digits[c&0x0f]
	}
	return string(out)
}
