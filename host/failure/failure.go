// Package failure names every way a host operation can fail, once.
//
// Each failure is one Go value from where it is detected to the protocol:
// the sentinel errors of the card, chain and login packages are made with
// New and carry their protocol Code, so the router asks an error for its
// code (CodeOf) instead of keeping a table of other packages' errors, and
// the extension's table of what to do with each code is generated from
// Catalog at build time. A package that detects a failure wraps the
// sentinel with its context (fmt.Errorf("…: %w", ErrX)); the code travels
// with it through every layer unchanged.
//
// The package imports nothing of this module, so the card library, the
// login-token library and the host can all name their failures with it.
package failure

import (
	"context"
	"errors"
)

// Code names one kind of failure in the host protocol
// (docs/host-protocol.md). The extension acts on the code; messages are
// English for developers and may change.
type Code string

// Codes of the host protocol; Catalog says what each means.
const (
	NoReader          Code = "NO_READER"          // no PC/SC reader, or the named one is gone
	NoCard            Code = "NO_CARD"            // the reader is empty
	NotMyNumberCard   Code = "NOT_MYNUMBER_CARD"  // the card has no JPKI applet or another token
	ReaderRequired    Code = "READER_REQUIRED"    // several My Number cards: name one
	CardRemoved       Code = "CARD_REMOVED"       // the card left the reader mid-operation
	CardReset         Code = "CARD_RESET"         // another program reset the card mid-operation
	ReaderBusy        Code = "READER_BUSY"        // another program holds the card
	CardMute          Code = "CARD_MUTE"          // the card does not answer: inserted wrongly, or not a chip card
	QueueFull         Code = "QUEUE_FULL"         // too many card operations waiting
	PINWrong          Code = "PIN_WRONG"          // wrong PIN; retriesLeft says how many tries remain
	PINBlocked        Code = "PIN_BLOCKED"        // no tries left; only the municipal office can unblock it
	PINFormat         Code = "PIN_FORMAT"         // not 4 digits; nothing was sent to the card
	BadOrigin         Code = "BAD_ORIGIN"         // not a browser-serialized https (or loopback http) origin
	BadNonce          Code = "BAD_NONCE"          // not padded base64 of at least 32 bytes
	CardChanged       Code = "CARD_CHANGED"       // the card's certificate is not the one shown
	CardError         Code = "CARD_ERROR"         // the card answered something unexpected
	PCSCUnavailable   Code = "PCSC_UNAVAILABLE"   // the PC/SC service (pcscd) is not running
	Timeout           Code = "TIMEOUT"            // the operation did not finish in time
	BadRequest        Code = "BAD_REQUEST"        // the request is malformed; field names the culprit
	UnknownMethod     Code = "UNKNOWN_METHOD"     // no such method in this protocol version
	MessageTooLarge   Code = "MESSAGE_TOO_LARGE"  // the message is over the host's size limit
	HandshakeRequired Code = "HANDSHAKE_REQUIRED" // the first request must be hello
	VersionMismatch   Code = "VERSION_MISMATCH"   // hello asked for a protocol the host does not speak
	Internal          Code = "INTERNAL"           // a bug in the host

	// Codes of the Ethereum methods.
	ChainUnconfigured   Code = "CHAIN_UNCONFIGURED"     // no chain config, chainId not in it, or no way to submit
	ChainUnavailable    Code = "CHAIN_UNAVAILABLE"      // the chain's RPC endpoint cannot be reached
	RPCError            Code = "RPC_ERROR"              // the node answered an error; rpcCode, rpcData
	RPCMethodNotAllowed Code = "RPC_METHOD_NOT_ALLOWED" // ethRpc with a method not on the read-only list
	ResultTooLarge      Code = "RESULT_TOO_LARGE"       // the node's answer is over the host's outbound limit
	AccountMismatch     Code = "ACCOUNT_MISMATCH"       // the card does not own the account; no PIN sent
	TransactionReverted Code = "TRANSACTION_REVERTED"   // the calls revert, in simulation or on chain
	SubmitFailed        Code = "SUBMIT_FAILED"          // the bundler or relayer did not take the operation
	GasLimitExceeded    Code = "GAS_LIMIT_EXCEEDED"     // the calls need more gas than the wallet lets one call or operation use
	FeeChanged          Code = "FEE_CHANGED"            // the operation now needs more gas or a higher fee than the sheet showed
)

// Coded is an error that knows its protocol code: the sentinels made by
// New, and the error types that carry details (a wrong PIN's retries, an
// unexpected status word, a node's error answer).
type Coded interface {
	error
	Code() Code
}

// Error is a sentinel failure with its code.
type Error struct {
	code Code
	text string
}

// New returns a sentinel error with the given code and text. Compare
// with errors.Is as with any sentinel.
func New(code Code, text string) *Error { return &Error{code: code, text: text} }

func (e *Error) Error() string { return e.text }

// Code is the failure's protocol code.
func (e *Error) Code() Code { return e.code }

// CodeOf returns the code of err: that of the outermost coded error in its
// tree (the most specific context wraps the rest), TIMEOUT for a deadline,
// and INTERNAL for anything else, which is a bug: every failure a person
// can meet has a name.
func CodeOf(err error) Code {
	var c Coded
	switch {
	case errors.As(err, &c):
		return c.Code()
	case errors.Is(err, context.DeadlineExceeded):
		return Timeout
	}
	return Internal
}
