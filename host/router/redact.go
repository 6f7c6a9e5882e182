package router

import (
	"net/url"
	"regexp"
	"strings"
)

// urlPattern finds URLs in an error's text: Go's HTTP and dial errors quote
// the endpoint they failed on, API key and all.
var urlPattern = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`)

// redactURLs keeps only the scheme and host of every URL in s: enough to
// tell which endpoint failed, without the user, password, path or query
// that often carry an API key.
func redactURLs(s string) string {
	return urlPattern.ReplaceAllStringFunc(s, func(raw string) string {
		// Punctuation after a URL belongs to the sentence around it.
		trimmed := strings.TrimRight(raw, ":,.;)")
		u, err := url.Parse(trimmed)
		if err != nil || u.Host == "" {
			return "[url]" + raw[len(trimmed):]
		}
		return u.Scheme + "://" + u.Hostname() + "/…" + raw[len(trimmed):]
	})
}
