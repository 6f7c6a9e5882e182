package protocol

import "encoding/json"

// HelloResult answers hello.
type HelloResult struct {
	Protocol    int      `json:"protocol"`
	HostVersion string   `json:"hostVersion"`
	Methods     []string `json:"methods"`
}

// VersionResult answers version.
type VersionResult struct {
	HostVersion string `json:"hostVersion"`
	Protocol    int    `json:"protocol"`
	GoVersion   string `json:"goVersion"`
	OS          string `json:"os"`
	Arch        string `json:"arch"`
}

// Reader states.
const (
	StateEmpty    = "empty"    // no card
	StateCard     = "card"     // a card, not identified (yet)
	StateMyNumber = "mynumber" // a My Number card
	StateOther    = "other"    // a card that is not a My Number card
	StateBusy     = "busy"     // another program holds the card exclusively
	StateMute     = "mute"     // a card that does not answer
)

// Reader is one reader in a ReadersResult.
type Reader struct {
	Name  string `json:"name"`
	State string `json:"state"`
	// AuthPINRetries is the auth PIN's tries left, for a My Number card
	// whose counter has been read.
	AuthPINRetries *int `json:"authPinRetries,omitempty"`
}

// ReadersResult answers listReaders, and is the data of readersChanged.
type ReadersResult struct {
	Readers []Reader `json:"readers"`
	// Error is set, with no readers, in a readersChanged event while the
	// PC/SC service is unreachable.
	Error *Error `json:"error,omitempty"`
}

// CertificateResult answers readAuthCertificate.
type CertificateResult struct {
	Reader string `json:"reader"`
	// Certificate is the DER auth certificate (base64 in JSON).
	Certificate []byte `json:"certificate"`
	// CertificateSHA256 is its SHA-256 in lowercase hex, to pass back in
	// authenticate.
	CertificateSHA256 string `json:"certificateSha256"`
}

// PINStatusResult answers authPinStatus.
type PINStatusResult struct {
	Reader      string `json:"reader"`
	RetriesLeft int    `json:"retriesLeft"`
	Blocked     bool   `json:"blocked"`
}

// AuthenticateResult answers authenticate.
type AuthenticateResult struct {
	// Token is the web-eid:1.0 token object, as authtoken marshals it.
	Token  json.RawMessage `json:"token"`
	Reader string          `json:"reader"`
}
