package origin

// Reason is the stable, machine-readable name of why an origin was refused.
// The extension passes it on to its logs and tests; the strings never change.
type Reason string

const (
	ReasonEmpty         Reason = "EMPTY"             // ""
	ReasonTooLong       Reason = "TOO_LONG"          // over MaxLength bytes
	ReasonOpaque        Reason = "OPAQUE"            // "null": sandboxed frames, data: URLs
	ReasonScheme        Reason = "BAD_SCHEME"        // not https:// or http://
	ReasonInsecure      Reason = "HTTP_NOT_LOOPBACK" // http:// to a host that is not this computer
	ReasonUserinfo      Reason = "USERINFO"          // "user@host": never part of an origin
	ReasonPath          Reason = "PATH"              // a path, query or fragment after the host
	ReasonHost          Reason = "BAD_HOST"          // not a host name or IP address
	ReasonIDN           Reason = "BAD_IDN"           // an xn-- label that is not valid punycode of a valid name
	ReasonPort          Reason = "BAD_PORT"          // not a port number 1-65535
	ReasonNotSerialized Reason = "NOT_SERIALIZED"    // valid URL, but not as the browser serialises an origin
)

// MaxLength bounds the origin string: "https://", a host name of at most
// 253 bytes (browsers cap them there) and ":65535". The extension
// (extension/src/lib/params.js), the consent sheet and the login token
// (host/relyingparty/authtoken) refuse longer origins alike.
const MaxLength = len("https://") + 253 + len(":65535")

// Error says why an origin was refused, and which origin.
type Error struct {
	Reason Reason
	Origin string // the input, cut to 100 bytes
}

func (e *Error) Error() string {
	return "origin: " + string(e.Reason) + ": " + quote(e.Origin)
}

// quote wraps s in double quotes, escaping quotes, backslashes and control
// bytes so a hostile origin cannot forge log lines. strconv.Quote would do,
// but links Unicode printability tables into the WebAssembly module.
func quote(s string) string {
	const hex = "0123456789abcdef"
	b := []byte{'"'}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\', 'x', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '"'))
}

// Is makes errors.Is(err, origin.ErrPath) match any *Error with that reason.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Origin == "" && t.Reason == e.Reason
}

// Sentinels for errors.Is.
var (
	ErrEmpty         = &Error{Reason: ReasonEmpty}
	ErrTooLong       = &Error{Reason: ReasonTooLong}
	ErrOpaque        = &Error{Reason: ReasonOpaque}
	ErrScheme        = &Error{Reason: ReasonScheme}
	ErrInsecure      = &Error{Reason: ReasonInsecure}
	ErrUserinfo      = &Error{Reason: ReasonUserinfo}
	ErrPath          = &Error{Reason: ReasonPath}
	ErrHost          = &Error{Reason: ReasonHost}
	ErrIDN           = &Error{Reason: ReasonIDN}
	ErrPort          = &Error{Reason: ReasonPort}
	ErrNotSerialized = &Error{Reason: ReasonNotSerialized}
)

func refuse(reason Reason, origin string) *Error {
	if len(origin) > 100 {
		origin = origin[:100]
	}
	return &Error{Reason: reason, Origin: origin}
}
