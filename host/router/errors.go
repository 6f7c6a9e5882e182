package router

import (
	"context"
	"errors"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/authtoken"
	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/wallet"
)

// errorFor maps an error from the card service, the card layer or the
// token builder to its protocol error. It is the one place where Go errors
// become error codes; the order matters where one error wraps several.
func errorFor(err error) *protocol.Error {
	var perr *protocol.Error
	if errors.As(err, &perr) {
		return perr
	}
	e := &protocol.Error{Code: codeFor(err), Message: err.Error()}
	if fixed, ok := fixedMessages[e.Code]; ok {
		e.Message, e.Detail = fixed, redactURLs(err.Error())
	}
	if n, ok := jpki.IsWrongPIN(err); ok {
		e.RetriesLeft = &n
	}
	if e.Code == protocol.CodePINBlocked {
		zero := 0
		e.RetriesLeft = &zero
	}
	var rr *cards.ReaderRequiredError
	if errors.As(err, &rr) {
		e.Readers = rr.Readers
	}
	var re *wallet.RPCError
	if errors.As(err, &re) {
		code := re.Code
		// The node's own message is what dapps parse ("execution
		// reverted: …"); a node that quotes a URL still gets it redacted.
		e.Message, e.RPCCode, e.RPCData = redactURLs(e.Message), &code, re.Data
	}
	return e
}

// fixedMessages replace the Go error's text for failures whose cause can
// name a configured endpoint (an RPC or bundler URL with its API key) or
// the host's internals: the extension passes messages on to pages, so these
// say only what happened; the cause goes to the host's log.
var fixedMessages = map[protocol.Code]string{
	protocol.CodeChainUnavailable:  "the chain's endpoint cannot be reached",
	protocol.CodeChainUnconfigured: "this chain is not configured for MynaConnect",
	protocol.CodeSubmitFailed:      "the bundler or relayer did not take the operation",
	protocol.CodeInternal:          "the host failed unexpectedly",
	protocol.CodeTimeout:           "the operation did not finish in time",
}

// codes maps sentinel errors to codes, first match wins.
var codes = []struct {
	err  error
	code protocol.Code
}{
	{jpki.ErrPINBlocked, protocol.CodePINBlocked},
	{jpki.ErrBadPINFormat, protocol.CodePINFormat},
	{authtoken.ErrBadOrigin, protocol.CodeBadOrigin},
	{authtoken.ErrBadNonce, protocol.CodeBadNonce},
	{cards.ErrTimeout, protocol.CodeTimeout},
	{context.DeadlineExceeded, protocol.CodeTimeout},
	{cards.ErrPCSCUnavailable, protocol.CodePCSCUnavailable},
	{cards.ErrQueueFull, protocol.CodeQueueFull},
	{cards.ErrReaderRequired, protocol.CodeReaderRequired},
	{cards.ErrCardChanged, protocol.CodeCardChanged},
	{jpki.ErrCardRemoved, protocol.CodeCardRemoved},
	{jpki.ErrCardReset, protocol.CodeCardReset},
	{cards.ErrReaderBusy, protocol.CodeReaderBusy},
	{cards.ErrCardMute, protocol.CodeCardMute},
	{jpki.ErrNoReader, protocol.CodeNoReader},
	{jpki.ErrNoCard, protocol.CodeNoCard},
	{jpki.ErrNotMyNumberCard, protocol.CodeNotMyNumberCard},
	// The card answered, but not as a JPKI applet should.
	{jpki.ErrSecurityStatus, protocol.CodeCardError},
	{jpki.ErrFileNotFound, protocol.CodeCardError},
	{jpki.ErrMalformedResponse, protocol.CodeCardError},
	{authtoken.ErrBadSignature, protocol.CodeCardError},
	{authtoken.ErrBadCertificate, protocol.CodeCardError},
	{authtoken.ErrUnsupportedKey, protocol.CodeCardError},
	{cards.ErrBadSignature, protocol.CodeCardError},
	// The Ethereum methods.
	{wallet.ErrChainUnconfigured, protocol.CodeChainUnconfigured},
	{wallet.ErrChainUnavailable, protocol.CodeChainUnavailable},
	{wallet.ErrMethodNotAllowed, protocol.CodeRPCMethodNotAllowed},
	{wallet.ErrResultTooLarge, protocol.CodeResultTooLarge},
	{wallet.ErrAccountMismatch, protocol.CodeAccountMismatch},
	{wallet.ErrReverted, protocol.CodeTransactionReverted},
	{wallet.ErrSubmitFailed, protocol.CodeSubmitFailed},
	{wallet.ErrFeeChanged, protocol.CodeFeeChanged},
	{account.ErrGasLimit, protocol.CodeGasLimitExceeded},
}

func codeFor(err error) protocol.Code {
	if _, ok := jpki.IsWrongPIN(err); ok {
		return protocol.CodePINWrong
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	var se *jpki.StatusError
	if errors.As(err, &se) {
		return protocol.CodeCardError
	}
	var re *wallet.RPCError
	if errors.As(err, &re) {
		return protocol.CodeRPCError
	}
	return protocol.CodeInternal
}
