// Package origin checks the origin of a page that asks for a login, as the
// browser serialised it ("https://host[:port]"), and works out what a person
// should be shown about it: the name in Unicode and in ASCII, the registrable
// domain (the part a site owner actually controls), and warnings for names
// that can be misread.
//
// The origin always comes from the browser (sender.origin in the service
// worker), never from the page. Analyze is strict about the serialisation
// because anything else means the caller passed something it should not
// have: a URL with a path, a user-typed string, a Unicode host.
package origin

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mynaconnect/mynaconnect/wasm/internal/publicsuffix"
)

// Warning is a stable code for something the person should check. The
// consent sheet turns each into plain words; the codes never change.
type Warning string

// Warnings, most serious first; Origin.Warnings keeps this order.
const (
	// A label holds characters read as other characters: Cyrillic "а" for
	// Latin "a", a kanji 一 for the katakana ー, fullwidth letters.
	WarnConfusable Warning = "CONFUSABLE"
	// A label mixes scripts that names do not normally mix (Latin with
	// Cyrillic or Greek). Japanese mixes of kanji, kana and Latin are normal.
	WarnMixedScript Warning = "MIXED_SCRIPT"
	// The name has non-ASCII labels: what the person reads differs from the
	// ASCII name the site is really registered under.
	WarnIDN Warning = "IDN"
	// The host is a public suffix or a single label: nobody in particular
	// owns it.
	WarnNoRegistrableDomain Warning = "NO_REGISTRABLE_DOMAIN"
	// The host is an IP address: no name vouches for who runs it.
	WarnIPAddress Warning = "IP_ADDRESS"
	// The host is this computer (localhost, 127.0.0.0/8, [::1]): a
	// developer's test site.
	WarnDevelopment Warning = "DEVELOPMENT"
)

// Origin is what Analyze learned about an accepted origin.
type Origin struct {
	Serialized  string // the input, unchanged: "https://xn--r8jz45g.jp:8443"
	Scheme      string // "https" or "http"
	ASCIIHost   string // as in the origin: punycode, IPv6 in brackets
	UnicodeHost string // punycode labels decoded: "例え.jp"
	Port        string // "" for the scheme's default port
	// RegistrableDomain is the public suffix plus one label ("example.co.jp"
	// for "www.example.co.jp"), in Unicode and ASCII; "" for IP addresses,
	// loopback names and hosts that are public suffixes themselves.
	RegistrableDomain      string
	RegistrableDomainASCII string
	Development            bool // a loopback host: http is allowed there
	IDN                    bool // at least one punycode label
	IPAddress              bool
	// LooksLike is the Unicode host as a person would read it, lookalike
	// characters replaced ("paypal.com" for Cyrillic "раураl.com"); set only
	// with WarnConfusable.
	LooksLike string
	Warnings  []Warning
}

// Has reports whether o carries warning w.
func (o *Origin) Has(w Warning) bool {
	for _, x := range o.Warnings {
		if x == w {
			return true
		}
	}
	return false
}

// Analyze checks s is an origin a browser would send for a page allowed to
// ask for a login, and describes it. Errors are *Error with a Reason.
func Analyze(s string) (*Origin, error) {
	switch {
	case s == "":
		return nil, refuse(ReasonEmpty, s)
	case len(s) > MaxLength:
		return nil, refuse(ReasonTooLong, s)
	case s == "null":
		return nil, refuse(ReasonOpaque, s)
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return nil, refuse(ReasonScheme, s)
	}
	switch scheme {
	case "https", "http":
	case "HTTPS", "HTTP", "Https", "Http":
		return nil, refuse(ReasonNotSerialized, s)
	default:
		return nil, refuse(ReasonScheme, s)
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
		if !strings.Contains(authority, "@") {
			return nil, refuse(ReasonPath, s)
		}
	}
	if strings.Contains(authority, "@") {
		return nil, refuse(ReasonUserinfo, s)
	}
	host, port, reason := splitHostPort(authority, scheme)
	if reason != "" {
		return nil, refuse(reason, s)
	}
	h, reason := parseHost(host)
	if reason != "" {
		return nil, refuse(reason, s)
	}
	o := &Origin{
		Serialized:  s,
		Scheme:      scheme,
		ASCIIHost:   host,
		UnicodeHost: host,
		Port:        port,
		IPAddress:   h.kind != hostName,
		Development: isLoopback(h, host),
	}
	if scheme == "http" && !o.Development {
		return nil, refuse(ReasonInsecure, s)
	}
	if h.kind == hostName {
		if reason := o.describeName(); reason != "" {
			return nil, refuse(reason, s)
		}
	}
	if o.IPAddress {
		o.Warnings = append(o.Warnings, WarnIPAddress)
	}
	if o.Development {
		o.Warnings = append(o.Warnings, WarnDevelopment)
	}
	return o, nil
}

// splitHostPort separates "host:port"; the port must be what a browser
// writes: decimal, no leading zero, not the scheme's default (which the
// serialisation omits).
func splitHostPort(authority, scheme string) (host, port string, reason Reason) {
	host = authority
	colon := strings.LastIndexByte(authority, ':')
	if strings.HasPrefix(authority, "[") {
		end := strings.IndexByte(authority, ']')
		if end < 0 {
			return "", "", ReasonHost
		}
		if colon < end {
			colon = -1
		} else if colon != end+1 {
			return "", "", ReasonHost
		}
	}
	if colon < 0 {
		return host, "", ""
	}
	host, port = authority[:colon], authority[colon+1:]
	if host == "" {
		return "", "", ReasonHost
	}
	if port == "" {
		return "", "", ReasonNotSerialized
	}
	if strings.Trim(port, "0123456789") != "" || len(port) > 5 {
		return "", "", ReasonPort
	}
	if port[0] == '0' {
		if strings.Trim(port, "0") == "" {
			return "", "", ReasonPort
		}
		return "", "", ReasonNotSerialized
	}
	n, _ := decimal(port)
	switch {
	case n > 65535:
		return "", "", ReasonPort
	case scheme == "https" && n == 443, scheme == "http" && n == 80:
		return "", "", ReasonNotSerialized
	}
	return host, port, ""
}

// describeName decodes the punycode labels of a host name, checks them, and
// fills in the Unicode forms, the registrable domain and the name warnings.
func (o *Origin) describeName() Reason {
	name := strings.TrimSuffix(o.ASCIIHost, ".")
	labels := strings.Split(name, ".")
	unicodeLabels := make([]string, len(labels))
	looks := make([]string, len(labels))
	mixed, confused := false, false
	for i, l := range labels {
		unicodeLabels[i], looks[i] = l, l
		if !strings.HasPrefix(l, "xn--") {
			continue
		}
		u, ok := decodeLabel(l)
		if !ok {
			return ReasonIDN
		}
		o.IDN = true
		unicodeLabels[i] = u
		m := mixedScript(u)
		skeleton, c := confusable(u, m)
		looks[i] = skeleton
		mixed = mixed || m
		confused = confused || c
	}
	trailing := strings.TrimPrefix(o.ASCIIHost, name)
	o.UnicodeHost = strings.Join(unicodeLabels, ".") + trailing
	if confused {
		o.LooksLike = strings.Join(looks, ".") + trailing
		o.Warnings = append(o.Warnings, WarnConfusable)
	}
	if mixed {
		o.Warnings = append(o.Warnings, WarnMixedScript)
	}
	if o.IDN {
		o.Warnings = append(o.Warnings, WarnIDN)
	}
	if o.Development {
		return ""
	}
	reg, ok := publicsuffix.EffectiveTLDPlusOne(name)
	if !ok {
		o.Warnings = append(o.Warnings, WarnNoRegistrableDomain)
		return ""
	}
	n := strings.Count(reg, ".") + 1
	o.RegistrableDomainASCII = reg
	o.RegistrableDomain = strings.Join(unicodeLabels[len(labels)-n:], ".")
	return ""
}

// decodeLabel turns an "xn--" label into Unicode, accepting only what a
// browser's IDNA processing could have produced: the canonical punycode of a
// lower-case name made of letters, marks, digits and the hyphen (plus the
// katakana middle dot and the invisible joiners IDNA allows in context).
// Anything else would let two ASCII hosts show the same Unicode name, or
// show a name with a "/" or a space in it.
func decodeLabel(label string) (string, bool) {
	enc := label[len("xn--"):]
	u, ok := decodePunycode(enc)
	if !ok || encodePunycode(u) != enc || !utf8.ValidString(u) {
		return "", false
	}
	ascii := true
	for _, r := range u {
		switch {
		case r >= 0x80:
			ascii = false
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			continue
		default:
			return "", false
		}
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			// Fullwidth ASCII never survives IDNA mapping, but if it is
			// here, CONFUSABLE tells the person rather than hiding it.
		case unicode.IsUpper(r) || unicode.IsTitle(r):
			return "", false
		case unicode.IsLetter(r), unicode.IsMark(r), unicode.IsDigit(r):
		case r == 0x30FB, r == 0x200C, r == 0x200D:
		default:
			return "", false
		}
	}
	return u, !ascii
}
