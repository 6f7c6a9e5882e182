package router

import (
	"errors"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/wallet"
)

// errorFor is the protocol error for an error of the card service, the
// wallet or the router itself. The code is the error's own
// (failure.CodeOf): each failure is named once, where it is detected. Here
// it only gains the members its code promises, and a fixed message where
// the cause may name an endpoint or the host's internals (the cause goes
// to the log as Detail).
func errorFor(err error) *protocol.Error {
	var perr *protocol.Error
	if errors.As(err, &perr) {
		return perr
	}
	code := failure.CodeOf(err)
	e := &protocol.Error{Code: code, Message: err.Error()}
	if fixed := failure.Describe(code).FixedMessage; fixed != "" {
		e.Message, e.Detail = fixed, redactURLs(err.Error())
	}
	switch code {
	case failure.PINWrong:
		if n, ok := jpki.IsWrongPIN(err); ok {
			e.RetriesLeft = &n
		}
	case failure.PINBlocked:
		zero := 0
		e.RetriesLeft = &zero
	case failure.ReaderRequired:
		var rr *cards.ReaderRequiredError
		if errors.As(err, &rr) {
			e.Readers = rr.Readers
		}
	case failure.RPCError:
		var re *wallet.RPCError
		if errors.As(err, &re) {
			nodeCode := re.NodeCode
			// The node's own message is what dapps parse ("execution
			// reverted: …"); a node that quotes a URL still gets it redacted.
			e.Message, e.RPCCode, e.RPCData = redactURLs(e.Message), &nodeCode, re.Data
		}
	}
	return e
}
