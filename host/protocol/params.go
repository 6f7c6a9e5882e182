package protocol

import (
	"errors"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

// HelloParams are hello's parameters.
type HelloParams struct {
	// Protocol is the version the extension speaks.
	Protocol uint64 `wire:"protocol,required"`
	// ExtensionVersion is the extension's version, for the host's log.
	ExtensionVersion string `wire:"extensionVersion,required,max=maxVersionLen"`
}

// DecodeHello decodes hello's params: both members are required.
func DecodeHello(params []byte) (p HelloParams, err *Error) {
	err = decodeParams(params, &p)
	return p, err
}

// DecodeNoParams checks the params of a method that takes none: absent or {}.
func DecodeNoParams(params []byte) *Error {
	if params == nil {
		return nil
	}
	return decodeParams(params, &struct{}{})
}

// ReaderParams are the parameters of readAuthCertificate and authPinStatus.
type ReaderParams struct {
	// Reader names the PC/SC reader; absent means the only My Number card
	// present (empty is refused: omit it instead).
	Reader string `wire:"reader,nonempty,max=maxReaderNameLen"`
}

// DecodeReaderParams decodes params with an optional reader.
func DecodeReaderParams(params []byte) (p ReaderParams, err *Error) {
	if params == nil {
		return p, nil
	}
	err = decodeParams(params, &p)
	return p, err
}

// AuthenticateParams are authenticate's parameters, as the card service
// takes them (cards.Service.Authenticate).
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
	var w struct {
		Origin            string `wire:"origin,required"`
		ChallengeNonce    string `wire:"challengeNonce,required"`
		PIN               PIN    `wire:"pin,required"`
		Reader            string `wire:"reader,nonempty,max=maxReaderNameLen"`
		CertificateSHA256 []byte `wire:"certificateSha256,sha256"`
	}
	if err = decodeParams(params, &w); err != nil {
		w.PIN.Clear()
		return p, err
	}
	ch, cerr := authtoken.NewChallenge(w.Origin, w.ChallengeNonce)
	if cerr != nil {
		w.PIN.Clear()
		field := "params.challengeNonce"
		if errors.Is(cerr, authtoken.ErrBadOrigin) {
			field = "params.origin"
		}
		return p, &Error{Code: failure.CodeOf(cerr), Field: field, Message: cerr.Error()}
	}
	return AuthenticateParams{Challenge: ch, PIN: w.PIN, Reader: w.Reader, CertificateSHA256: w.CertificateSHA256}, nil
}

// maxStringLen bounds strings whose real limit is checked later, so that
// the error names the field rather than the message size.
const maxStringLen = 4096
