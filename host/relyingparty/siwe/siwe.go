// Package siwe is Sign-In with Ethereum (EIP-4361) for a relying party's server: it builds the message the
// server asks a wallet to sign for its own origin, parses a signed message strictly, and checks it against
// the message the server issued (Check). It links no Ethereum client: the signature is checked by
// sigcheck.VerifySignIn (host/relyingparty/sigcheck), through ERC-6492 / ERC-1271 / ecrecover, so a card account
// signs in before and after it is deployed, as an ordinary wallet does.
//
// The message (EIP-4361, ABNF in the EIP):
//
//	127.0.0.1:8765 wants you to sign in with your Ethereum account:
//	0xAbC…(EIP-55)
//
//	Sign in to test - sign.
//
//	URI: http://127.0.0.1:8765
//	Version: 1
//	Chain ID: 1337
//	Nonce: 2f5c0a8b19d4e6f7a0b1c2d3
//	Issued At: 2027-01-01T00:00:00Z
//	Expiration Time: 2027-01-01T00:05:00Z
//
// Keeping nonces (one attempt each, bound to a session, expiring) is the server's part: Check compares the
// message's nonce with the one issued.
package siwe

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Message is an EIP-4361 message.
type Message struct {
	// Scheme is the optional scheme before the domain ("https"); empty when the message has none.
	Scheme string
	// Domain is the RFC 3986 authority asking for the sign-in: host[:port].
	Domain    string
	Address   Address
	Statement string // optional; one line of ASCII (reserved, unreserved and space characters)
	URI       string
	Version   string // "1"
	ChainID   uint64
	Nonce     string // at least 8 letters and digits
	IssuedAt  time.Time
	// ExpirationTime and NotBefore are optional: zero when absent.
	ExpirationTime time.Time
	NotBefore      time.Time
	RequestID      string // optional
	Resources      []string
}

const (
	header = " wants you to sign in with your Ethereum account:"
	// maxLen bounds a message: a sign-in message is a few hundred bytes; more is not one.
	maxLen = 16 << 10
)

var (
	schemeRE    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)
	addressRE   = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
	statementRE = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;= ]+$`)
	nonceRE     = regexp.MustCompile(`^[A-Za-z0-9]{8,}$`)
	chainIDRE   = regexp.MustCompile(`^[1-9][0-9]{0,19}$`)
	// pchar of RFC 3986, for the Request ID.
	requestIDRE = regexp.MustCompile(`^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$`)
)

// ErrMalformed wraps every parse error.
var ErrMalformed = errors.New("siwe: malformed message")

// String renders m in EIP-4361 form: the exact text the wallet signs.
func (m *Message) String() string {
	var b strings.Builder
	if m.Scheme != "" {
		b.WriteString(m.Scheme + "://")
	}
	b.WriteString(m.Domain + header + "\n")
	b.WriteString(m.Address.Hex() + "\n\n")
	if m.Statement != "" {
		b.WriteString(m.Statement + "\n")
	}
	b.WriteString("\nURI: " + m.URI)
	b.WriteString("\nVersion: " + m.Version)
	b.WriteString("\nChain ID: " + strconv.FormatUint(m.ChainID, 10))
	b.WriteString("\nNonce: " + m.Nonce)
	b.WriteString("\nIssued At: " + formatTime(m.IssuedAt))
	if !m.ExpirationTime.IsZero() {
		b.WriteString("\nExpiration Time: " + formatTime(m.ExpirationTime))
	}
	if !m.NotBefore.IsZero() {
		b.WriteString("\nNot Before: " + formatTime(m.NotBefore))
	}
	if m.RequestID != "" {
		b.WriteString("\nRequest ID: " + m.RequestID)
	}
	if len(m.Resources) > 0 {
		b.WriteString("\nResources:")
		for _, r := range m.Resources {
			b.WriteString("\n- " + r)
		}
	}
	return b.String()
}

// formatTime is RFC 3339 in the time's own zone, with the fraction it has (none for whole seconds).
func formatTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

// Parse reads an EIP-4361 message strictly: every line in the EIP's order, LF line ends, no trailing
// newline, an EIP-55 checksummed address, RFC 3339 times, nothing the ABNF does not allow. The domain must
// be host[:port] (no user information).
func Parse(s string) (*Message, error) {
	m, err := parse(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return m, nil
}

func parse(s string) (*Message, error) {
	if len(s) > maxLen {
		return nil, fmt.Errorf("longer than %d bytes", maxLen)
	}
	lines := strings.Split(s, "\n")
	next := func() (string, bool) {
		if len(lines) == 0 {
			return "", false
		}
		l := lines[0]
		lines = lines[1:]
		return l, true
	}
	field := func(prefix string) (string, error) {
		l, ok := next()
		if !ok || !strings.HasPrefix(l, prefix) {
			return "", fmt.Errorf("want a line %q", prefix+"…")
		}
		return l[len(prefix):], nil
	}
	optional := func(prefix string) (string, bool) {
		if len(lines) > 0 && strings.HasPrefix(lines[0], prefix) {
			l, _ := next()
			return l[len(prefix):], true
		}
		return "", false
	}

	var m Message
	first, _ := next()
	authority, ok := strings.CutSuffix(first, header)
	if !ok {
		return nil, fmt.Errorf("the first line does not end with %q", header)
	}
	if scheme, rest, ok := strings.Cut(authority, "://"); ok {
		if !schemeRE.MatchString(scheme) {
			return nil, fmt.Errorf("scheme %q", scheme)
		}
		m.Scheme, authority = scheme, rest
	}
	if err := checkDomain(authority); err != nil {
		return nil, err
	}
	m.Domain = authority

	addr, _ := next()
	if !addressRE.MatchString(addr) {
		return nil, fmt.Errorf("address %q is not 0x and 40 hex digits", addr)
	}
	b, _ := hex.DecodeString(addr[2:]) // addressRE: 40 hex digits
	m.Address = Address(b)
	if m.Address.Hex() != addr {
		return nil, fmt.Errorf("address %q is not EIP-55 checksummed (%s)", addr, m.Address.Hex())
	}
	if l, ok := next(); !ok || l != "" {
		return nil, errors.New("want an empty line after the address")
	}
	l, ok := next()
	if !ok {
		return nil, errors.New("the message ends after the address")
	}
	if l != "" {
		if !statementRE.MatchString(l) {
			return nil, fmt.Errorf("statement %q has characters EIP-4361 does not allow", l)
		}
		m.Statement = l
		if l, ok := next(); !ok || l != "" {
			return nil, errors.New("want an empty line after the statement")
		}
	}

	var err error
	if m.URI, err = field("URI: "); err != nil {
		return nil, err
	}
	if err := checkURI(m.URI); err != nil {
		return nil, fmt.Errorf("URI: %w", err)
	}
	if m.Version, err = field("Version: "); err != nil {
		return nil, err
	}
	if m.Version != "1" {
		return nil, fmt.Errorf("version %q, want 1", m.Version)
	}
	id, err := field("Chain ID: ")
	if err != nil {
		return nil, err
	}
	if !chainIDRE.MatchString(id) {
		return nil, fmt.Errorf("chain id %q", id)
	}
	if m.ChainID, err = strconv.ParseUint(id, 10, 64); err != nil {
		return nil, fmt.Errorf("chain id %q: %w", id, err)
	}
	if m.Nonce, err = field("Nonce: "); err != nil {
		return nil, err
	}
	if !nonceRE.MatchString(m.Nonce) {
		return nil, fmt.Errorf("nonce %q is not at least 8 letters and digits", m.Nonce)
	}
	issued, err := field("Issued At: ")
	if err != nil {
		return nil, err
	}
	if m.IssuedAt, err = parseTime(issued); err != nil {
		return nil, fmt.Errorf("issued at: %w", err)
	}
	if v, ok := optional("Expiration Time: "); ok {
		if m.ExpirationTime, err = parseTime(v); err != nil {
			return nil, fmt.Errorf("expiration time: %w", err)
		}
	}
	if v, ok := optional("Not Before: "); ok {
		if m.NotBefore, err = parseTime(v); err != nil {
			return nil, fmt.Errorf("not before: %w", err)
		}
	}
	if v, ok := optional("Request ID: "); ok {
		if !requestIDRE.MatchString(v) {
			return nil, fmt.Errorf("request id %q", v)
		}
		m.RequestID = v
	}
	if len(lines) > 0 && lines[0] == "Resources:" {
		next()
		for len(lines) > 0 {
			r, err := field("- ")
			if err != nil {
				return nil, err
			}
			if err := checkURI(r); err != nil {
				return nil, fmt.Errorf("resource: %w", err)
			}
			m.Resources = append(m.Resources, r)
		}
		if len(m.Resources) == 0 {
			return nil, errors.New("Resources: with no resource")
		}
	}
	if len(lines) > 0 {
		return nil, fmt.Errorf("unexpected line %q", lines[0])
	}
	return &m, nil
}

// checkDomain accepts host[:port]: a registered name, an IPv4 address or a bracketed IPv6 address.
func checkDomain(d string) error {
	u, err := url.Parse("http://" + d)
	if err != nil || d == "" || u.Host != d || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Hostname() == "" {
		return fmt.Errorf("domain %q is not host[:port]", d)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.ParseUint(p, 10, 16); err != nil || strconv.FormatUint(n, 10) != p {
			return fmt.Errorf("domain %q: port %q", d, p)
		}
	} else if strings.HasSuffix(d, ":") {
		return fmt.Errorf("domain %q: empty port", d)
	}
	for _, c := range u.Hostname() {
		if c <= ' ' || c >= 0x7f || strings.ContainsRune(`"<>\^`+"`{|}%", c) {
			return fmt.Errorf("domain %q has character %q", d, c)
		}
	}
	return nil
}

// checkURI accepts an absolute RFC 3986 URI of printable ASCII.
func checkURI(s string) error {
	for _, c := range s {
		if c <= ' ' || c >= 0x7f {
			return fmt.Errorf("%q has character %q", s, c)
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if !schemeRE.MatchString(u.Scheme) {
		return fmt.Errorf("%q is not an absolute URI", s)
	}
	return nil
}

// parseTime reads an RFC 3339 date-time; the zone is required (Z or ±hh:mm).
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	// time.Parse accepts a few forms RFC 3339 does not (a 24th hour, one-digit fields); a time must read
	// back as what was written, up to the fraction's trailing zeros.
	if !strings.HasPrefix(s, t.Format("2006-01-02T15:04:05")) {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 date-time", s)
	}
	return t, nil
}
