package authtoken

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/mynaconnect/mynaconnect/wasm/origin"
)

// MaxOriginLength is the longest origin accepted, in bytes: origin.MaxLength,
// the one limit the extension, the consent sheet and this package share.
const MaxOriginLength = origin.MaxLength

// ValidateOrigin reports whether s is the exact serialization a browser
// gives for a web origin that may ask for a login: "https://" followed by a
// lowercase ASCII host (punycode as is, never Unicode, and valid punycode)
// and an optional port that is not 443. "http://" is accepted only for
// loopback hosts (localhost, 127.0.0.0/8, [::1]), where the port may not be
// 80. IPv4 and IPv6 literals must be in the canonical form a browser
// prints. Userinfo, a path (even a single trailing slash), a query and a
// fragment are all rejected, as is anything longer than MaxOriginLength.
//
// The check is strict on purpose: the origin is signed byte for byte, so two
// spellings of one site would be two different logins, and a spelling no
// browser produces means the value did not come from a browser. It is the
// consent sheet's own check (package wasm/origin), so that what the person
// was shown and what is signed are accepted by one rule set.
//
// The error wraps ErrBadOrigin and says what is wrong.
func ValidateOrigin(s string) error {
	if _, err := origin.Analyze(s); err != nil {
		var oe *origin.Error
		reason := err.Error()
		if errors.As(err, &oe) {
			reason = string(oe.Reason)
		}
		return fmt.Errorf("%w %s: %s", ErrBadOrigin, quote(s), reason)
	}
	return nil
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
