package certview

import (
	"strconv"
	"strings"
)

// A small strict DER reader. encoding/asn1 would do, but it brings reflect,
// math/big and fmt into the WebAssembly module (+1.2 MB, beyond the budget
// of the whole module), and a certificate for display needs only a dozen
// element types. The tests cross-check every field against crypto/x509.

// Universal tags used here.
const (
	tagBoolean         = 1
	tagInteger         = 2
	tagBitString       = 3
	tagOctetString     = 4
	tagOID             = 6
	tagUTF8String      = 12
	tagSequence        = 16
	tagSet             = 17
	tagNumericString   = 18
	tagPrintableString = 19
	tagT61String       = 20
	tagIA5String       = 22
	tagUTCTime         = 23
	tagGeneralizedTime = 24
	tagVisibleString   = 26
	tagUniversalString = 28
	tagBMPString       = 30
)

const (
	classUniversal = 0
	classContext   = 2
)

// element is one TLV.
type element struct {
	class       int
	constructed bool
	tag         int
	full        []byte // header and content: what a hash covers
	content     []byte
}

func (e element) is(class, tag int, constructed bool) bool {
	return e.class == class && e.tag == tag && e.constructed == constructed
}

// errDER is the detail inside a FieldError: where the reader gave up.
type errDER string

func (e errDER) Error() string { return string(e) }

// next reads one element from the front of b. It accepts DER only: definite
// lengths in the shortest form, low tag numbers (X.509 uses no others).
func next(b []byte) (element, []byte, error) {
	if len(b) < 2 {
		return element{}, nil, errDER("truncated header")
	}
	id := b[0]
	e := element{class: int(id >> 6), constructed: id&0x20 != 0, tag: int(id & 0x1f)}
	if e.tag == 0x1f {
		return element{}, nil, errDER("high tag number")
	}
	n, hdr := int(b[1]), 2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 3 {
			// 0 is the indefinite form (BER); 3 bytes already allow 16 MiB,
			// far above the input limit.
			return element{}, nil, errDER("unsupported length form")
		}
		if len(b) < 2+k {
			return element{}, nil, errDER("truncated length")
		}
		n = 0
		for _, c := range b[2 : 2+k] {
			n = n<<8 | int(c)
		}
		if b[2] == 0 || n < 0x80 {
			return element{}, nil, errDER("non-minimal length")
		}
		hdr += k
	}
	if n > len(b)-hdr {
		return element{}, nil, errDER("content runs past the end")
	}
	e.full = b[:hdr+n]
	e.content = b[hdr : hdr+n]
	return e, b[hdr+n:], nil
}

// expect reads one element that must have the given universal or context
// tag.
func expect(b []byte, class, tag int, constructed bool, what string) (element, []byte, error) {
	e, rest, err := next(b)
	if err != nil {
		return element{}, nil, errDER(what + ": " + err.Error())
	}
	if !e.is(class, tag, constructed) {
		return element{}, nil, errDER(what + ": unexpected tag " + strconv.Itoa(e.tag))
	}
	return e, rest, nil
}

// children splits a constructed element's content into its elements.
func children(content []byte) ([]element, error) {
	var out []element
	for len(content) > 0 {
		e, rest, err := next(content)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		content = rest
	}
	return out, nil
}

// oidString decodes an OBJECT IDENTIFIER to dotted form ("2.5.4.3").
func oidString(content []byte) (string, error) {
	if len(content) == 0 || content[len(content)-1]&0x80 != 0 {
		return "", errDER("bad object identifier")
	}
	var s strings.Builder
	first := true
	v := uint64(0)
	start := true
	for _, c := range content {
		if start && c == 0x80 {
			return "", errDER("non-minimal object identifier")
		}
		if v > 1<<56 {
			return "", errDER("object identifier arc too large")
		}
		v = v<<7 | uint64(c&0x7f)
		start = c&0x80 == 0
		if !start {
			continue
		}
		if first {
			// The first arc packs two: 40*X + Y with X in 0..2.
			x := min(v/40, 2)
			s.WriteString(strconv.FormatUint(x, 10))
			s.WriteByte('.')
			v -= 40 * x
			first = false
		} else {
			s.WriteByte('.')
		}
		s.WriteString(strconv.FormatUint(v, 10))
		v = 0
	}
	return s.String(), nil
}
