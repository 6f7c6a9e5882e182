package protocol

import (
	"encoding/hex"
	"errors"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

// HelloParams are hello's parameters.
type HelloParams struct {
	// Protocol is the version the extension speaks.
	Protocol uint64
	// ExtensionVersion is the extension's version, for the host's log.
	ExtensionVersion string
}

// DecodeHello decodes hello's params: both members are required.
func DecodeHello(params []byte) (HelloParams, *Error) {
	var p HelloParams
	if params == nil {
		return p, badField("params", "required field missing")
	}
	err := decodeObject(params, "params",
		fieldSpec{"protocol", true, uintInto(&p.Protocol)},
		fieldSpec{"extensionVersion", true, stringInto(&p.ExtensionVersion, maxVersionLen)},
	)
	return p, err
}

// DecodeNoParams checks the params of a method that takes none: absent or {}.
func DecodeNoParams(params []byte) *Error {
	if params == nil {
		return nil
	}
	return decodeObject(params, "params")
}

// ReaderParams are the parameters of readAuthCertificate and authPinStatus.
type ReaderParams struct {
	// Reader names the PC/SC reader; empty means the only My Number card
	// present.
	Reader string
}

// DecodeReaderParams decodes params with an optional reader.
func DecodeReaderParams(params []byte) (ReaderParams, *Error) {
	var p ReaderParams
	if params == nil {
		return p, nil
	}
	err := decodeObject(params, "params", readerSpec(&p.Reader))
	return p, err
}

func readerSpec(dst *string) fieldSpec {
	return fieldSpec{"reader", false, func(field string, raw []byte) *Error {
		if err := stringInto(dst, maxReaderNameLen)(field, raw); err != nil {
			return err
		}
		if *dst == "" {
			return badField(field, "empty; omit it to use the only My Number card present")
		}
		return nil
	}}
}

// AuthenticateParams are authenticate's parameters.
type AuthenticateParams struct {
	// Challenge is the requesting page's origin, as the browser reported
	// it, and the site's challenge nonce: checked here, where the request
	// enters the host, and nowhere else.
	Challenge authtoken.Challenge
	// PIN is the auth PIN; its owner clears it after use.
	PIN PIN
	// Reader is optional, as in ReaderParams.
	Reader string
	// CertificateSHA256, when set, is the SHA-256 of the certificate the
	// consent sheet showed; nothing is signed with any other.
	CertificateSHA256 []byte
}

// DecodeAuthenticate decodes authenticate's params and checks the origin
// and the nonce (BAD_ORIGIN, BAD_NONCE); the PIN's format is the card
// service's to check, before any APDU. On error no PIN is returned and any
// PIN copy already made is cleared.
func DecodeAuthenticate(params []byte) (p AuthenticateParams, err *Error) {
	if params == nil {
		return p, badField("params", "required field missing")
	}
	var origin, nonce string
	defer func() {
		if err != nil {
			p.PIN.Clear()
			p.PIN = nil
		}
	}()
	err = decodeObject(params, "params",
		fieldSpec{"origin", true, stringInto(&origin, maxStringLen)},
		fieldSpec{"challengeNonce", true, stringInto(&nonce, maxStringLen)},
		fieldSpec{"pin", true, func(field string, raw []byte) *Error {
			var e *Error
			p.PIN, e = decodePIN(field, raw)
			return e
		}},
		readerSpec(&p.Reader),
		fieldSpec{"certificateSha256", false, func(field string, raw []byte) *Error {
			var s string
			if err := stringInto(&s, 64)(field, raw); err != nil {
				return err
			}
			b, err := hex.DecodeString(s)
			if err != nil || len(b) != 32 {
				return badField(field, "want 64 hex digits (a SHA-256)")
			}
			p.CertificateSHA256 = b
			return nil
		}},
	)
	if err != nil {
		return p, err
	}
	ch, cerr := authtoken.NewChallenge(origin, nonce)
	if cerr != nil {
		field := "params.challengeNonce"
		if errors.Is(cerr, authtoken.ErrBadOrigin) {
			field = "params.origin"
		}
		return p, &Error{Code: failure.CodeOf(cerr), Field: field, Message: cerr.Error()}
	}
	p.Challenge = ch
	return p, nil
}

// maxStringLen bounds strings whose real limit is checked later, so that
// the error names the field rather than the message size.
const maxStringLen = 4096
