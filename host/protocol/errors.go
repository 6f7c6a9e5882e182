package protocol

import (
	"fmt"

	"github.com/mynaconnect/mynaconnect/host/failure"
)

// Error is the error member of a response.
//
// Nothing a request carried is ever copied into an Error: a PIN must not be
// echoed, and a page's text does not belong in a log.
type Error struct {
	Code    failure.Code `json:"code"`
	Message string       `json:"message"`
	// Field is the request member a BAD_REQUEST is about, e.g.
	// "params.origin".
	Field string `json:"field,omitempty"`
	// RetriesLeft is set for PIN_WRONG (1 or 2 on a real card) and
	// PIN_BLOCKED (0).
	RetriesLeft *int `json:"retriesLeft,omitempty"`
	// Readers lists the candidates for READER_REQUIRED.
	Readers []string `json:"readers,omitempty"`
	// SupportedProtocols and HostVersion come with VERSION_MISMATCH.
	SupportedProtocols []int  `json:"supportedProtocols,omitempty"`
	HostVersion        string `json:"hostVersion,omitempty"`
	// RPCCode and RPCData come with RPC_ERROR: the node's JSON-RPC error
	// code and, when it gave one, its error data as text.
	RPCCode *int   `json:"rpcCode,omitempty"`
	RPCData string `json:"rpcData,omitempty"`
	// Detail is the cause behind a fixed Message, for the host's log only:
	// it may name an endpoint (URLs redacted), which pages must not see.
	Detail string `json:"-"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an Error with a formatted message.
func Errorf(code failure.Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// badField is the BAD_REQUEST for one member of a request.
func badField(field, format string, args ...any) *Error {
	return &Error{Code: failure.BadRequest, Field: field, Message: fmt.Sprintf(format, args...)}
}
