package failure

import "slices"

// Action is what the extension's consent window does when an operation
// fails with a code.
type Action string

// The consent window's actions.
const (
	ShowCard    Action = "card"    // back to the card screen: place, change or choose the card
	AskPIN      Action = "pin"     // stay on the PIN pad and say how many tries are left
	ShowBlocked Action = "blocked" // the blocked-PIN screen; nothing more is sent to the card
	Reread      Action = "reread"  // the card changed: read it again and show the sheet again
	OfferRetry  Action = "retry"   // say so and offer to try again
	Final       Action = "final"   // the request cannot be carried out as it is: say why, no retry
	Fail        Action = "fail"    // the card or the host misbehaved: offer a retry, else CARD_ERROR
)

// Entry is what one code means to the extension and to pages.
type Entry struct {
	Code   Code
	Action Action
	// PageReason is the page error (docs/page-api.md, data.reason) a
	// request ended by this code becomes when the code is about the chain.
	// Empty means CARD_ERROR, with the host code in data.hostCode.
	PageReason string
	// FixedMessage, when set, replaces the error's text on the wire: the
	// cause can name a configured endpoint (an RPC or bundler URL with its
	// API key) or the host's internals, and messages reach pages. The
	// cause goes to the host's log.
	FixedMessage string
}

// catalog lists every code, in the order of docs/host-protocol.md.
var catalog = []Entry{
	{Code: NoReader, Action: ShowCard},
	{Code: NoCard, Action: ShowCard},
	{Code: NotMyNumberCard, Action: ShowCard},
	{Code: ReaderRequired, Action: ShowCard},
	{Code: CardRemoved, Action: ShowCard},
	{Code: CardReset, Action: OfferRetry},
	{Code: CardMute, Action: ShowCard},
	{Code: ReaderBusy, Action: ShowCard},
	{Code: QueueFull, Action: OfferRetry},
	{Code: PINWrong, Action: AskPIN},
	{Code: PINBlocked, Action: ShowBlocked},
	{Code: PINFormat, Action: Fail},
	{Code: BadOrigin, Action: Fail},
	{Code: BadNonce, Action: Fail},
	{Code: CardChanged, Action: Reread},
	{Code: CardError, Action: Fail},
	{Code: PCSCUnavailable, Action: ShowCard},
	{Code: Timeout, Action: OfferRetry, FixedMessage: "the operation did not finish in time"},
	{Code: BadRequest, Action: Fail},
	{Code: UnknownMethod, Action: Fail},
	{Code: MessageTooLarge, Action: Fail},
	{Code: HandshakeRequired, Action: Fail},
	{Code: VersionMismatch, Action: Fail},
	{Code: ChainUnconfigured, Action: Fail, PageReason: "CHAIN_UNCONFIGURED", FixedMessage: "this chain is not configured for MynaConnect"},
	{Code: ChainUnavailable, Action: Fail, PageReason: "CHAIN_DISCONNECTED", FixedMessage: "the chain's endpoint cannot be reached"},
	// A node's own error reaches the page as the node gave it (code,
	// message, revert data): that is what dapps parse.
	{Code: RPCError, Action: Fail},
	{Code: RPCMethodNotAllowed, Action: Fail},
	{Code: ResultTooLarge, Action: Fail},
	{Code: AccountMismatch, Action: ShowCard},
	{Code: TransactionReverted, Action: Final, PageReason: "TRANSACTION_REVERTED"},
	{Code: SubmitFailed, Action: Fail, PageReason: "SUBMIT_FAILED", FixedMessage: "the bundler or relayer did not take the operation"},
	{Code: GasLimitExceeded, Action: Final, PageReason: "GAS_LIMIT_EXCEEDED"},
	{Code: FeeChanged, Action: Fail, PageReason: "FEE_CHANGED"},
	{Code: Internal, Action: Fail, FixedMessage: "the host failed unexpectedly"},
}

// Catalog returns every code of the protocol with what it means to the
// extension.
func Catalog() []Entry { return slices.Clone(catalog) }

// Describe returns the entry of code; an unknown code is described as
// INTERNAL, as the protocol asks.
func Describe(code Code) Entry {
	for _, e := range catalog {
		if e.Code == code {
			return e
		}
	}
	return Describe(Internal)
}
