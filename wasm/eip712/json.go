package eip712

import (
	"strconv"
	"unicode/utf8"
)

// The strict JSON reader. Typed data is read by this one parser in the
// consent sheet and in the host; JSON.parse and encoding/json each accept
// texts the other reads differently (duplicate members, case-folded
// member names, lone surrogates, rounded numbers), which is how a page
// would make the sheet show one thing while the card signs another.
//
// Accepted: RFC 8259 JSON whose every object has distinct member names,
// whose strings are valid UTF-8 without lone surrogate escapes, and whose
// numbers are integers of at most 15 digits (every one exactly a
// JavaScript number: larger values must be written as strings).

type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

var kindNames = [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}

// value is one JSON value. Objects keep their member names in text order.
type value struct {
	kind    kind
	boolean bool
	text    string // a number's literal or a string's contents
	items   []*value
	names   []string
	members map[string]*value
}

// Bounds on the text a page may send, far above real use.
const (
	// MaxBytes is the largest typed-data text, in bytes of UTF-8.
	MaxBytes = 32 << 10
	// maxNesting bounds JSON arrays and objects inside each other.
	maxNesting = 64
	// maxNumberDigits: every integer of 15 digits is below 2^53, so a
	// page's JavaScript number and this reading are the same number.
	maxNumberDigits = 15
)

type parser struct {
	s     string
	i     int
	depth int
}

func parseJSON(s string) (*value, error) {
	if len(s) > MaxBytes {
		return nil, fail("", "the typed data is over 32 KiB")
	}
	p := &parser{s: s}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, p.syntax("text after the JSON value")
	}
	return v, nil
}

func (p *parser) syntax(what string) error {
	return fail("", "not JSON: "+what+" at byte "+strconv.Itoa(p.i))
}

func (p *parser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value() (*value, error) {
	p.space()
	if p.i == len(p.s) {
		return nil, p.syntax("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		return &value{kind: kindString, text: s}, err
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	}
	for _, lit := range []struct {
		word string
		v    value
	}{{"true", value{kind: kindBool, boolean: true}}, {"false", value{kind: kindBool}}, {"null", value{kind: kindNull}}} {
		if len(p.s)-p.i >= len(lit.word) && p.s[p.i:p.i+len(lit.word)] == lit.word {
			p.i += len(lit.word)
			v := lit.v
			return &v, nil
		}
	}
	return nil, p.syntax("unexpected character")
}

func (p *parser) nest() error {
	if p.depth++; p.depth > maxNesting {
		return fail("", "nested more than 64 deep")
	}
	return nil
}

func (p *parser) object() (*value, error) {
	if err := p.nest(); err != nil {
		return nil, err
	}
	p.i++ // {
	v := &value{kind: kindObject, members: map[string]*value{}}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return v, nil
	}
	for {
		p.space()
		if p.i == len(p.s) || p.s[p.i] != '"' {
			return nil, p.syntax("expected a member name")
		}
		name, err := p.str()
		if err != nil {
			return nil, err
		}
		if _, dup := v.members[name]; dup {
			return nil, fail("", "member "+quote(name)+" appears twice in one object")
		}
		p.space()
		if p.i == len(p.s) || p.s[p.i] != ':' {
			return nil, p.syntax("expected ':'")
		}
		p.i++
		m, err := p.value()
		if err != nil {
			return nil, err
		}
		v.names = append(v.names, name)
		v.members[name] = m
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			p.depth--
			return v, nil
		}
		return nil, p.syntax("expected ',' or '}'")
	}
}

func (p *parser) array() (*value, error) {
	if err := p.nest(); err != nil {
		return nil, err
	}
	p.i++ // [
	v := &value{kind: kindArray}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return v, nil
	}
	for {
		item, err := p.value()
		if err != nil {
			return nil, err
		}
		v.items = append(v.items, item)
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			p.depth--
			return v, nil
		}
		return nil, p.syntax("expected ',' or ']'")
	}
}

func (p *parser) number() (*value, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		p.i++
	}
	n := p.i - digits
	switch {
	case n == 0:
		return nil, p.syntax("a number without digits")
	case n > 1 && p.s[digits] == '0':
		return nil, p.syntax("a number with a leading zero")
	case p.i < len(p.s) && (p.s[p.i] == '.' || p.s[p.i] == 'e' || p.s[p.i] == 'E'):
		return nil, fail("", "number at byte "+strconv.Itoa(start)+" is not written as an integer")
	case n > maxNumberDigits:
		return nil, fail("", "number at byte "+strconv.Itoa(start)+" has more than 15 digits: write it as a string")
	}
	return &value{kind: kindNumber, text: p.s[start:p.i]}, nil
}

// str reads a string literal at p.i (its opening quote).
func (p *parser) str() (string, error) {
	p.i++ // "
	var out []byte
	for {
		if p.i == len(p.s) {
			return "", p.syntax("unterminated string")
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(out), nil
		case c < 0x20:
			return "", p.syntax("a control character in a string")
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			out = utf8.AppendRune(out, r)
		case c < utf8.RuneSelf:
			out = append(out, c)
			p.i++
		default:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			if r == utf8.RuneError && size <= 1 {
				return "", p.syntax("invalid UTF-8")
			}
			out = append(out, p.s[p.i:p.i+size]...)
			p.i += size
		}
	}
}

// escape reads one escape sequence at p.i (its backslash); a \u escape of
// a surrogate must be the first half of a pair whose second half follows.
func (p *parser) escape() (rune, error) {
	if p.i+1 >= len(p.s) {
		return 0, p.syntax("unterminated escape")
	}
	c := p.s[p.i+1]
	p.i += 2
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
	default:
		return 0, p.syntax("an unknown escape")
	}
	r, ok := p.hex4()
	switch {
	case !ok:
		return 0, p.syntax("a bad \\u escape")
	case 0xdc00 <= r && r <= 0xdfff:
		return 0, p.syntax("a lone surrogate escape")
	case r < 0xd800 || r > 0xdbff:
		return r, nil
	}
	if p.i+1 >= len(p.s) || p.s[p.i] != '\\' || p.s[p.i+1] != 'u' {
		return 0, p.syntax("a lone surrogate escape")
	}
	p.i += 2
	lo, ok := p.hex4()
	if !ok || lo < 0xdc00 || lo > 0xdfff {
		return 0, p.syntax("a lone surrogate escape")
	}
	return 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00), nil
}

func (p *parser) hex4() (rune, bool) {
	if len(p.s)-p.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.s[p.i : p.i+4]) {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	p.i += 4
	return r, true
}
