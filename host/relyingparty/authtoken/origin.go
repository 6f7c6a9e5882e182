package authtoken

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// MaxOriginLength is the longest origin accepted, in bytes.
const MaxOriginLength = 255

// ValidateOrigin reports whether origin is the exact serialization a browser
// gives for a web origin that may ask for a login: "https://" followed by a
// lowercase ASCII host (punycode as is, never Unicode) and an optional port
// that is not 443. "http://" is accepted only for loopback hosts (localhost,
// 127.0.0.0/8, [::1]), where the port may not be 80. IPv4 and IPv6 literals
// must be in the canonical form a browser prints. Userinfo, a path (even a
// single trailing slash), a query and a fragment are all rejected, as is
// anything longer than MaxOriginLength.
//
// The check is strict on purpose: the origin is signed byte for byte, so two
// spellings of one site would be two different logins, and a spelling no
// browser produces means the value did not come from a browser.
//
// The error wraps ErrBadOrigin and says what is wrong.
func ValidateOrigin(origin string) error {
	if reason := originProblem(origin); reason != "" {
		return fmt.Errorf("%w %s: %s", ErrBadOrigin, quote(origin), reason)
	}
	return nil
}

func originProblem(origin string) string {
	if origin == "" {
		return "empty"
	}
	if len(origin) > MaxOriginLength {
		return fmt.Sprintf("%d bytes, longer than %d", len(origin), MaxOriginLength)
	}
	var rest string
	https := false
	switch {
	case strings.HasPrefix(origin, "https://"):
		rest, https = origin[len("https://"):], true
	case strings.HasPrefix(origin, "http://"):
		rest = origin[len("http://"):]
	default:
		return `scheme is not "https://" (or "http://" for loopback)`
	}
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '.', c == ':', c == '[', c == ']':
		case 'A' <= c && c <= 'Z':
			return "host has uppercase letters"
		case c == '/':
			return "has a path or a trailing slash"
		case c == '?':
			return "has a query"
		case c == '#':
			return "has a fragment"
		case c == '@':
			return "has userinfo"
		case c >= 0x80:
			return "host is not ASCII (use its punycode form)"
		default:
			return fmt.Sprintf("has the character %q", c)
		}
	}

	host, port, hasPort := rest, "", false
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return "unterminated IPv6 literal"
		}
		host = rest[:end+1]
		if after := rest[end+1:]; after != "" {
			if after[0] != ':' {
				return "junk after IPv6 literal"
			}
			port, hasPort = after[1:], true
		}
	} else if i := strings.IndexByte(rest, ':'); i >= 0 {
		host, port, hasPort = rest[:i], rest[i+1:], true
	}

	if reason := hostProblem(host); reason != "" {
		return reason
	}
	if hasPort {
		if reason := portProblem(port, https); reason != "" {
			return reason
		}
	}
	if !https && !isLoopback(host) {
		return "http is allowed only for loopback hosts"
	}
	return ""
}

// hostProblem checks a host made only of [a-z0-9.:[\]-].
func hostProblem(host string) string {
	if host == "" {
		return "empty host"
	}
	if host[0] == '[' {
		inner, ok := strings.CutSuffix(host[1:], "]")
		if !ok {
			return "malformed IPv6 literal"
		}
		ip, err := netip.ParseAddr(inner)
		switch {
		case err != nil || !ip.Is6():
			return "malformed IPv6 literal"
		case ip.Is4In6():
			return "IPv4-mapped IPv6 literal"
		case ip.String() != inner:
			return fmt.Sprintf("IPv6 literal not in canonical form (%s)", ip)
		}
		return ""
	}
	if strings.ContainsAny(host, "[]:") {
		return "malformed host"
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		switch {
		case l == "":
			return "host has an empty label"
		case len(l) > 63:
			return "host has a label longer than 63 bytes"
		case l[0] == '-' || l[len(l)-1] == '-':
			return "host has a label that starts or ends with a hyphen"
		}
	}
	// A browser reads a host whose last label is a number as an IPv4
	// address and prints it in dotted decimal; anything else numeric was not
	// printed by a browser.
	last := labels[len(labels)-1]
	if isDigits(last) || strings.HasPrefix(last, "0x") && strings.Trim(last[2:], "0123456789abcdef") == "" {
		ip, err := netip.ParseAddr(host)
		if err != nil || !ip.Is4() || ip.String() != host {
			return "numeric host is not a canonical IPv4 address"
		}
	}
	return ""
}

func portProblem(port string, https bool) string {
	switch {
	case port == "":
		return "empty port"
	case !isDigits(port):
		return "port is not a number"
	case len(port) > 1 && port[0] == '0':
		return "port has a leading zero"
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "port out of range 1-65535"
	}
	if https && n == 443 || !https && n == 80 {
		return fmt.Sprintf("default port %d must be omitted", n)
	}
	return ""
}

func isLoopback(host string) bool {
	if host == "localhost" || host == "[::1]" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Is4() && ip.IsLoopback()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quote returns s quoted for an error message, shortened if long: the value
// may come from a page and must not flood a log.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}
