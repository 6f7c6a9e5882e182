package origin

import (
	"strconv"
	"strings"
)

type hostKind int

const (
	hostName hostKind = iota
	hostIPv4
	hostIPv6
)

// maxHostName is the DNS limit on a name (without its trailing dot).
const maxHostName = 253

// ipv6Loopback is ::1.
var ipv6Loopback = [8]uint16{7: 1}

// host is a parsed host: a name, or an address in one of the two arrays.
type host struct {
	kind hostKind
	v4   [4]byte
	v6   [8]uint16
}

// parseHost checks host (as it appears in the origin, "[::1]" bracketed) is
// what a browser's URL parser emits, and says what kind it is. It parses
// addresses itself: net/netip costs 180 KB of WebAssembly.
func parseHost(s string) (host, Reason) {
	if s == "" {
		return host{}, ReasonHost
	}
	if s[0] == '[' {
		return parseIPv6(s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '.':
		case c >= 'A' && c <= 'Z':
			return host{}, ReasonNotSerialized
		default:
			return host{}, ReasonHost
		}
	}
	// Browsers also accept "_" in a name, a trailing dot ("example.com."
	// is another origin than "example.com") and labels that begin or end
	// with "-"; the login refuses them all, as DNS names (RFC 952/1123)
	// have none of them and each is a second spelling of a site a person
	// could take for the first. One rule set serves the sheet and the
	// login token (host/relyingparty/authtoken).
	name := s
	if name == "" || len(name) > maxHostName {
		return host{}, ReasonHost
	}
	labels := strings.Split(name, ".")
	if endsInNumber(labels[len(labels)-1]) {
		// The URL standard parses such a host as IPv4 ("0x7f.1" is
		// 127.0.0.1) and serialises it as a dotted quad; anything else here
		// did not come from a browser.
		v4, ok := dottedQuad(s)
		if !ok {
			return host{}, ReasonNotSerialized
		}
		return host{kind: hostIPv4, v4: v4}, ""
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return host{}, ReasonHost
		}
	}
	return host{kind: hostName}, ""
}

func endsInNumber(label string) bool {
	if label == "" {
		return false
	}
	if strings.HasPrefix(label, "0x") {
		return strings.Trim(label[2:], "0123456789abcdef") == ""
	}
	return strings.Trim(label, "0123456789") == ""
}

// parseIPv6 reads "[...]". Browsers serialise IPv6 in one way (see
// serializeIPv6); anything that is an address but not in that form is
// ReasonNotSerialized, anything that is not an address ReasonHost.
func parseIPv6(s string) (host, Reason) {
	if len(s) < 4 || s[len(s)-1] != ']' {
		return host{}, ReasonHost
	}
	inner := s[1 : len(s)-1]
	// Upper-case hex and a dotted IPv4 tail are valid in a URL, but the
	// browser serialises neither: rewrite them to parse, then refuse.
	notSerialized := false
	for i := 0; i < len(inner); i++ {
		switch c := inner[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c == ':':
		case c >= 'A' && c <= 'F', c == '.':
			notSerialized = true
		default:
			return host{}, ReasonHost
		}
	}
	if notSerialized {
		inner = asciiLower(inner)
		if strings.Contains(inner, ".") {
			i := strings.LastIndexByte(inner, ':')
			v4, ok := dottedQuad(inner[i+1:])
			if i < 0 || !ok {
				return host{}, ReasonHost
			}
			inner = inner[:i+1] + strconv.FormatUint(uint64(v4[0])<<8|uint64(v4[1]), 16) +
				":" + strconv.FormatUint(uint64(v4[2])<<8|uint64(v4[3]), 16)
		}
	}
	h := host{kind: hostIPv6}
	head, tail, compressed := strings.Cut(inner, "::")
	if strings.Contains(tail, "::") {
		return host{}, ReasonHost
	}
	hp, ok := ipv6Pieces(head)
	if !ok {
		return host{}, ReasonHost
	}
	if !compressed {
		if len(hp) != 8 {
			return host{}, ReasonHost
		}
		copy(h.v6[:], hp)
	} else {
		tp, ok := ipv6Pieces(tail)
		if !ok || len(hp)+len(tp) > 7 {
			return host{}, ReasonHost
		}
		copy(h.v6[:], hp)
		copy(h.v6[8-len(tp):], tp)
	}
	if notSerialized || serializeIPv6(h.v6) != inner {
		return host{}, ReasonNotSerialized
	}
	if h.v6[0]|h.v6[1]|h.v6[2]|h.v6[3]|h.v6[4] == 0 && h.v6[5] == 0xffff {
		// An IPv4 address dressed as IPv6 (::ffff:7f00:1 is 127.0.0.1):
		// a second spelling of an IPv4 site.
		return host{}, ReasonHost
	}
	return h, ""
}

// dottedQuad reads the canonical IPv4 form: four decimal numbers 0-255
// without leading zeros.
func dottedQuad(s string) ([4]byte, bool) {
	var v4 [4]byte
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return v4, false
	}
	for i, p := range parts {
		n, ok := decimal(p)
		if !ok || n > 255 {
			return v4, false
		}
		v4[i] = byte(n)
	}
	return v4, true
}

// ipv6Pieces reads colon-separated groups of 1-4 hex digits ("" is none).
func ipv6Pieces(s string) ([]uint16, bool) {
	if s == "" {
		return nil, true
	}
	var pieces []uint16
	for _, g := range strings.Split(s, ":") {
		if len(g) == 0 || len(g) > 4 {
			return nil, false
		}
		v := uint16(0)
		for i := 0; i < len(g); i++ {
			d := strings.IndexByte("0123456789abcdef", g[i])
			if d < 0 {
				return nil, false
			}
			v = v<<4 | uint16(d)
		}
		pieces = append(pieces, v)
	}
	return pieces, len(pieces) <= 8
}

// serializeIPv6 is the URL standard's IPv6 serializer: lower-case hex, the
// first longest run of two or more zero pieces compressed to "::".
func serializeIPv6(pieces [8]uint16) string {
	start, length := -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > length {
			start, length = i, j-i
		}
		i = j
	}
	var s strings.Builder
	for i := 0; i < 8; i++ {
		if i == start {
			s.WriteString("::")
			i += length - 1
			continue
		}
		if i > 0 && i != start+length {
			s.WriteByte(':')
		}
		s.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
	}
	return s.String()
}

// isLoopback: the hosts browsers treat as this computer, where http is the
// norm for a developer's test server.
func isLoopback(h host, name string) bool {
	switch h.kind {
	case hostIPv4:
		return h.v4[0] == 127
	case hostIPv6:
		return h.v6 == ipv6Loopback
	}
	return name == "localhost" || name == "localhost."
}

// decimal reads a canonical decimal number of at most five digits: no sign,
// no leading zero. (strconv.Atoi's errors would link strconv.Quote.)
func decimal(s string) (int, bool) {
	if s == "" || len(s) > 5 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// asciiLower lower-cases A-Z only; host names here are ASCII, and
// strings.ToLower would link the Unicode case tables.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
