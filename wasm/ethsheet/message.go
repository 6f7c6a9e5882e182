package ethsheet

import (
	"strings"
	"unicode/utf8"

	"github.com/mynaconnect/mynaconnect/wasm/origin"
)

// hidden reports runes that must not reach the screen as they are:
// control characters other than \n, \r, \t (C0, DEL, C1), and the
// bidirectional controls, which reorder the text around them so that what
// a person reads is not what is signed.
func hidden(r rune) bool {
	switch {
	case r == '\n' || r == '\r' || r == '\t':
		return false
	case r < 0x20 || (0x7f <= r && r <= 0x9f):
		return true
	case r == 0x200e || r == 0x200f || (0x202a <= r && r <= 0x202e) || (0x2066 <= r && r <= 0x2069):
		return true
	}
	return false
}

// isText: the message is shown as text when it is valid UTF-8 with
// nothing hidden in it; otherwise as hex.
func isText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if hidden(r) {
			return false
		}
	}
	return true
}

// visible writes hidden runes as \u escapes, so a string the page chose
// (a typed-data field, a Sign-In domain) shows every character it has.
func visible(s string) string {
	if !strings.ContainsFunc(s, hidden) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !hidden(r) {
			b.WriteRune(r)
			continue
		}
		b.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			b.WriteByte("0123456789abcdef"[r>>shift&15])
		}
	}
	return b.String()
}

// siweHeader ends the first line of an EIP-4361 Sign-In with Ethereum
// message: "${domain} wants you to sign in with your Ethereum account:".
const siweHeader = " wants you to sign in with your Ethereum account:"

// parseSIWE finds the domain and URI of a Sign-In with Ethereum message.
// Only what decides whether it logs in to the calling site is read: a
// message that merely looks like one is judged by the same lines a
// verifier reads. uri is "" when the message has no URI line.
func parseSIWE(text string) (domain, uri string, ok bool) {
	lines := strings.Split(text, "\n")
	first := strings.TrimSuffix(lines[0], "\r")
	if !strings.HasSuffix(first, siweHeader) {
		return "", "", false
	}
	for _, l := range lines[1:] {
		if v, found := strings.CutPrefix(strings.TrimSuffix(l, "\r"), "URI: "); found {
			uri = v
			break
		}
	}
	return strings.TrimSuffix(first, siweHeader), uri, true
}

// siweMatches: the message's domain is the origin's host (with its port,
// and its scheme if the domain names one), and its URI is on the same
// origin. Hosts compare in ASCII or Unicode, without regard to ASCII case.
func siweMatches(domain, uri string, o *origin.Origin) bool {
	if scheme, rest, found := strings.Cut(domain, "://"); found {
		if scheme != o.Scheme {
			return false
		}
		domain = rest
	}
	if !sameAuthority(domain, o) {
		return false
	}
	scheme, rest, found := strings.Cut(uri, "://")
	if !found || !sameFold(scheme, o.Scheme) {
		return false
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	// The URI may write the default port; the domain, like an origin, not.
	defaultPort := ":443"
	if o.Scheme == "http" {
		defaultPort = ":80"
	}
	return sameAuthority(strings.TrimSuffix(rest, defaultPort), o)
}

func sameAuthority(a string, o *origin.Origin) bool {
	port := ""
	if o.Port != "" {
		port = ":" + o.Port
	}
	return sameFold(a, o.ASCIIHost+port) || sameFold(a, o.UnicodeHost+port)
}
