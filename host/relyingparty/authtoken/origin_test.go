package authtoken_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

var goodOrigins = []string{
	"https://example.com",
	"https://login.example.jp",
	"https://a.b.c.d.example.co.jp",
	"https://localhost",
	"https://intranet",
	"https://example.com:8443",
	"https://example.com:1",
	"https://example.com:65535",
	"https://example.com:80",           // http's default is not https's
	"https://xn--eckwd4c7c.xn--zckzah", // punycode, as the browser serializes it
	"https://xn--r8jz45g.jp",
	"https://my-site.example",
	"https://0-9.example",
	"https://1password.com",
	"https://example.123abc",
	"https://192.0.2.1",
	"https://192.0.2.1:8443",
	"https://[2001:db8::1]",
	"https://[2001:db8::1]:8443",
	"https://[::1]",
	"http://localhost",
	"http://localhost:8080",
	"http://127.0.0.1",
	"http://127.0.0.1:3000",
	"http://127.1.2.3:3000",
	"http://[::1]:8080",
	"http://localhost:443", // https's default is not http's
	"https://" + strings.Repeat("a", 63) + ".example",
	"https://" + strings.Repeat("abcdefghi.", 24) + "example", // a 247-byte host
}

var badOrigins = []struct{ name, origin string }{
	{"empty", ""},
	{"null origin", "null"},
	{"no scheme", "example.com"},
	{"scheme only", "https://"},
	{"uppercase scheme", "HTTPS://example.com"},
	{"other scheme", "ftp://example.com"},
	{"extension scheme", "chrome-extension://abcdefghijklmnopabcdefghijklmnop"},
	{"file scheme", "file://"},
	{"one slash", "https:/example.com"},
	{"plain http", "http://example.com"},
	{"http on a LAN address", "http://192.168.1.10"},
	{"http on a localhost lookalike", "http://localhost.example.com"},
	{"http on a localhost subdomain", "http://foo.localhost"},
	{"http on unspecified IPv6", "http://[::]"},
	{"trailing slash", "https://example.com/"},
	{"path", "https://example.com/login"},
	{"query", "https://example.com?x=1"},
	{"fragment", "https://example.com#top"},
	{"userinfo", "https://user@example.com"},
	{"userinfo with password", "https://user:pw@example.com"},
	{"uppercase host", "https://Example.com"},
	{"Unicode host", "https://例え.jp"},
	{"fullwidth dot", "https://example。com"},
	{"percent-encoded host", "https://%65xample.com"},
	{"underscore", "https://my_site.example.com"},
	{"space", "https://example .com"},
	{"tab", "https://example.com\t"},
	{"NUL", "https://example.com\x00"},
	{"backslash", "https:\\\\example.com"},
	{"trailing dot", "https://example.com."},
	{"leading dot", "https://.example.com"},
	{"empty label", "https://example..com"},
	{"label starts with hyphen", "https://-example.com"},
	{"label ends with hyphen", "https://example-.com"},
	{"label too long", "https://" + strings.Repeat("a", 64) + ".example"},
	{"too long", "https://" + strings.Repeat("abcdefghi.", 26) + "example"},
	{"default https port", "https://example.com:443"},
	{"default http port", "http://localhost:80"},
	{"empty port", "https://example.com:"},
	{"port zero", "https://example.com:0"},
	{"port leading zero", "https://example.com:08443"},
	{"port too large", "https://example.com:65536"},
	{"port huge", "https://example.com:99999999999999999999"},
	{"port with sign", "https://example.com:+8443"},
	{"two ports", "https://example.com:1:2"},
	{"port letters", "https://example.com:https"},
	{"IPv4 with leading zero", "https://192.0.2.01"},
	{"IPv4 short form", "https://127.1"},
	{"IPv4 as a number", "https://2130706433"},
	{"IPv4 out of range", "https://192.0.2.256"},
	{"IPv4 in hex", "https://0x7f.0.0.1"},
	{"hex last label", "https://example.0x1"},
	{"numeric last label", "https://example.123"},
	{"IPv6 without brackets", "https://2001:db8::1"},
	{"IPv6 not compressed", "https://[2001:db8:0:0:0:0:0:1]"},
	{"IPv6 uppercase", "https://[2001:DB8::1]"},
	{"IPv6 zone", "https://[fe80::1%25eth0]"},
	{"IPv6 unterminated", "https://[::1"},
	{"IPv6 junk after", "https://[::1]x"},
	{"IPv6 empty", "https://[]"},
	{"IPv4 in brackets", "https://[127.0.0.1]"},
	{"IPv4-mapped IPv6", "https://[::ffff:7f00:1]"},
	{"bracket in a name", "https://exa]mple.com"},
}

func TestValidateOrigin(t *testing.T) {
	for _, o := range goodOrigins {
		if err := authtoken.ValidateOrigin(o); err != nil {
			t.Errorf("ValidateOrigin(%q) = %v, want nil", o, err)
		}
	}
	for _, tt := range badOrigins {
		err := authtoken.ValidateOrigin(tt.origin)
		if !errors.Is(err, authtoken.ErrBadOrigin) {
			t.Errorf("%s: ValidateOrigin(%q) = %v, want ErrBadOrigin", tt.name, tt.origin, err)
		}
	}
}

func TestValidateOriginErrorIsShort(t *testing.T) {
	err := authtoken.ValidateOrigin("https://" + strings.Repeat("x", 100000))
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("error for a 100 kB origin is %d bytes", len(err.Error()))
	}
}

// FuzzValidateOrigin checks that ValidateOrigin never panics and that
// whatever it accepts is an origin net/url reads the same way: scheme and
// host only, serializing back to the same string.
func FuzzValidateOrigin(f *testing.F) {
	for _, o := range goodOrigins {
		f.Add(o)
	}
	for _, tt := range badOrigins {
		f.Add(tt.origin)
	}
	f.Fuzz(func(t *testing.T, origin string) {
		if authtoken.ValidateOrigin(origin) != nil {
			return
		}
		if len(origin) > authtoken.MaxOriginLength {
			t.Fatalf("accepted %d bytes", len(origin))
		}
		u, err := url.Parse(origin)
		if err != nil {
			t.Fatalf("accepted %q, which net/url rejects: %v", origin, err)
		}
		if u.Scheme != "https" && u.Scheme != "http" || u.User != nil || u.Path != "" ||
			u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || u.ForceQuery {
			t.Fatalf("accepted %q, which net/url reads as %#v", origin, u)
		}
		if got := u.Scheme + "://" + u.Host; got != origin {
			t.Fatalf("accepted %q, which net/url serializes as %q", origin, got)
		}
		if u.Host != strings.ToLower(u.Host) {
			t.Fatalf("accepted uppercase host %q", u.Host)
		}
		if u.Scheme == "http" {
			switch h := u.Hostname(); {
			case h == "localhost", h == "::1", strings.HasPrefix(h, "127."):
			default:
				t.Fatalf("accepted http for non-loopback host %q", h)
			}
		}
	})
}
