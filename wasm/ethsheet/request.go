package ethsheet

import (
	"strconv"

	"github.com/mynaconnect/mynaconnect/wasm/ethtext"

	"github.com/mynaconnect/mynaconnect/wasm/origin"
)

// Request is what every Ethereum sheet is computed from besides its payload.
type Request struct {
	Origin *origin.Origin // required unless Self
	// Self: MynaConnect's own page asks (the extension's origin), not a
	// site. Only such a request may change the account's protection.
	Self      bool
	FirstSeen bool   // no earlier approved request from this origin
	Lang      string // "ja" (default) or "en"
	Account   string // the card account: "0x" + 40 hex digits (EIP-55 checksummed)
	Chain     Chain
	// Protection is what protects the account (the host's ethAccount);
	// nil when the extension does not know it (it always does for an
	// account it shows).
	Protection *Protection
}

// Chain is the network the account is on, from the extension's chain
// configuration (host/chainconfig).
type Chain struct {
	ID     int64 // EIP-155 chain id, > 0
	Name   string
	Native Currency
	Tokens []Token // the ERC-20 tokens the sheet names
}

// Currency is a chain's native currency.
type Currency struct {
	Name, Symbol string
	Decimals     int // 0-36
}

// Token is an ERC-20 token the sheet knows by address.
type Token struct {
	Address, Symbol, Name string
	Decimals              int    // 0-36
	Fiat                  string // ISO 4217 code of the currency one token is worth ("JPY"), or ""
}

// Reasons a payload is refused (Error.Reason), stable for the extension's
// logs and tests.
const (
	ReasonBadArguments = "BAD_ARGUMENTS"  // the Request itself: account, chain, public key hash
	ReasonBadMessage   = "BAD_MESSAGE"    // not "0x" + an even number of hex digits, or over MaxBytes
	ReasonBadTypedData = "BAD_TYPED_DATA" // not EIP-712 typed data the sheet can show exactly
	ReasonBadCalls     = "BAD_CALLS"      // no calls, too many, or a call with a bad to, value or data
)

// Limits on what the page sends, far above real use. MaxBytes bounds a
// message, one call's data, and the typed-data JSON text.
const (
	MaxBytes = 64 << 10
	MaxCalls = 32
	// maxDecimals matches chainconfig's limit; it also bounds the zeros
	// scale may add.
	maxDecimals = 36
)

// Error says why a payload was refused; Detail is English for logs.
type Error struct{ Reason, Detail string }

func (e *Error) Error() string { return e.Reason + ": " + e.Detail }

func fail(reason, detail string) error { return &Error{reason, detail} }

// check refuses a request the extension should never make: these values
// come from its own configuration, not from the page.
func (r *Request) check() error {
	c := &r.Chain
	switch {
	case (r.Origin == nil) != r.Self:
		return fail(ReasonBadArguments, "an origin, or self, but not both")
	case !ethtext.IsAddress(r.Account):
		return fail(ReasonBadArguments, "account is not an address")
	case c.ID <= 0 || c.Name == "" || c.Native.Symbol == "" || !decimalsOK(c.Native.Decimals):
		return fail(ReasonBadArguments, "chain needs a chainId, a name and a native currency")
	}
	if r.Protection != nil {
		if err := r.Protection.check(); err != nil {
			return err
		}
	}
	for i, t := range c.Tokens {
		if !ethtext.IsAddress(t.Address) || t.Symbol == "" || !decimalsOK(t.Decimals) {
			return fail(ReasonBadArguments, "chain.tokens["+strconv.Itoa(i)+"] needs an address, a symbol and decimals")
		}
	}
	return nil
}

func decimalsOK(d int) bool { return 0 <= d && d <= maxDecimals }
