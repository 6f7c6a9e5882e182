package protocol

import "fmt"

// Code names one kind of failure. The extension acts on the code; the
// message is English for developers and may change.
type Code string

// Error codes. docs/host-protocol.md says what each means to the person at
// the reader.
const (
	CodeNoReader          Code = "NO_READER"          // no PC/SC reader, or the named one is gone
	CodeNoCard            Code = "NO_CARD"            // the reader is empty
	CodeNotMyNumberCard   Code = "NOT_MYNUMBER_CARD"  // the card has no JPKI applet or another token
	CodeReaderRequired    Code = "READER_REQUIRED"    // several My Number cards: name one
	CodeCardRemoved       Code = "CARD_REMOVED"       // the card left the reader mid-operation
	CodeCardReset         Code = "CARD_RESET"         // another program reset the card mid-operation
	CodeReaderBusy        Code = "READER_BUSY"        // another program holds the card
	CodeCardMute          Code = "CARD_MUTE"          // the card does not answer: inserted wrongly, or not a chip card
	CodeQueueFull         Code = "QUEUE_FULL"         // too many card operations waiting
	CodePINWrong          Code = "PIN_WRONG"          // wrong PIN; retriesLeft says how many tries remain
	CodePINBlocked        Code = "PIN_BLOCKED"        // no tries left; only the municipal office can unblock it
	CodePINFormat         Code = "PIN_FORMAT"         // not 4 digits; nothing was sent to the card
	CodeBadOrigin         Code = "BAD_ORIGIN"         // not a browser-serialized https (or loopback http) origin
	CodeBadNonce          Code = "BAD_NONCE"          // not padded base64 of at least 32 bytes
	CodeCardChanged       Code = "CARD_CHANGED"       // the card's certificate is not the one shown
	CodeCardError         Code = "CARD_ERROR"         // the card answered something unexpected
	CodePCSCUnavailable   Code = "PCSC_UNAVAILABLE"   // the PC/SC service (pcscd) is not running
	CodeTimeout           Code = "TIMEOUT"            // the operation did not finish in time
	CodeBadRequest        Code = "BAD_REQUEST"        // the request is malformed; field names the culprit
	CodeUnknownMethod     Code = "UNKNOWN_METHOD"     // no such method in this protocol version
	CodeMessageTooLarge   Code = "MESSAGE_TOO_LARGE"  // the message is over the host's size limit
	CodeHandshakeRequired Code = "HANDSHAKE_REQUIRED" // the first request must be hello
	CodeVersionMismatch   Code = "VERSION_MISMATCH"   // hello asked for a protocol the host does not speak
	CodeInternal          Code = "INTERNAL"           // a bug in the host

	// Codes of the Ethereum methods.
	CodeChainUnconfigured   Code = "CHAIN_UNCONFIGURED"     // no chain config, chainId not in it, or no way to submit
	CodeChainUnavailable    Code = "CHAIN_UNAVAILABLE"      // the chain's RPC endpoint cannot be reached
	CodeRPCError            Code = "RPC_ERROR"              // the node answered an error; rpcCode, rpcData
	CodeRPCMethodNotAllowed Code = "RPC_METHOD_NOT_ALLOWED" // ethRpc with a method not on the read-only list
	CodeResultTooLarge      Code = "RESULT_TOO_LARGE"       // the node's answer is over the host's outbound limit
	CodeAccountMismatch     Code = "ACCOUNT_MISMATCH"       // the card does not own the account; no PIN sent
	CodeTransactionReverted Code = "TRANSACTION_REVERTED"   // the calls revert, in simulation or on chain
	CodeSubmitFailed        Code = "SUBMIT_FAILED"          // the bundler or relayer did not take the operation
	CodeGasLimitExceeded    Code = "GAS_LIMIT_EXCEEDED"     // the calls need more gas than the wallet lets one call or operation use
	CodeFeeChanged          Code = "FEE_CHANGED"            // the operation now needs more gas or a higher fee than the sheet showed
)

// Error is the error member of a response.
//
// Nothing a request carried is ever copied into an Error: a PIN must not be
// echoed, and a page's text does not belong in a log.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
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
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// badField is the BAD_REQUEST for one member of a request.
func badField(field, format string, args ...any) *Error {
	return &Error{Code: CodeBadRequest, Field: field, Message: fmt.Sprintf(format, args...)}
}
