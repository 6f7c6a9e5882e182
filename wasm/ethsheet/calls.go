package ethsheet

import (
	"github.com/mynaconnect/mynaconnect/wasm/ethtext"
	"strconv"
	"strings"
)

// CallInput is one call as the page sent it: the transaction of
// eth_sendTransaction or one call of wallet_sendCalls. Value is a hex
// quantity and Data hex bytes; "" means none.
type CallInput struct{ To, Value, Data string }

// Call kinds: the data-call-kind hook and Call.Kind.
const (
	KindNative       = "native"             // no data: a plain transfer of Value
	KindTransfer     = "erc20-transfer"     // transfer(address,uint256)
	KindApprove      = "erc20-approve"      // approve(address,uint256)
	KindTransferFrom = "erc20-transferFrom" // transferFrom(address,address,uint256)
	KindSelf         = "self"               // a call to the account itself: changes its settings
	KindUnknown      = "unknown"            // anything else: shown as raw data

	// The account's own CardRecovery calls (protection.go), from MynaConnect's page only.
	KindSetGuardians          = "recovery-set-guardians"
	KindCancelRecovery        = "recovery-cancel"
	KindCancelGuardiansChange = "recovery-cancel-change"
	KindRotateOwner           = "recovery-rotate"  // the owner hands the account to a renewed card at once
	KindStartRecovery         = "recovery-start"   // a guardian starts moving another person's account
	KindExecuteRecovery       = "recovery-execute" // anyone finishes a move after its waiting time
)

// Call is what the sheet found in one call, as the consent window's result
// reports it.
type Call struct {
	Kind string
	To   string // the call's target, as given
	// Token is the symbol of the known token (ERC-20 kinds) or of the
	// native currency (native); "" for a token the chain does not list.
	Token string
	// Amount is exact, in whole units ("0.5"), without separators; the raw
	// integer for a token the chain does not list; "" for self and unknown.
	Amount    string
	Unlimited bool // an approve of 2^255 or more
	// The ERC-20 arguments, lower-case: From (transferFrom), Recipient
	// (transfer, transferFrom), Spender (approve).
	From, Recipient, Spender string
	// setGuardians' arguments: the guardians' ERC-7913 signers (hex), the
	// approvals a recovery needs and the delay in seconds (0: the default).
	Guardians []string
	Threshold int
	Delay     int64
	// The calls that hand an account to a new card: the account moved
	// (lower-case; "" for rotateOwner, the account's own), the new key's
	// KeyCheck, and startRecovery's count of approving guardians, and
	// whether the sending account is one of them (it approves by calling).
	Moved     string
	KeyCheck  string
	Approvals int
	ByCaller  bool

	value  ethtext.Uint256 // native currency sent with the call
	amount ethtext.Uint256 // ERC-20 amount
	token  *Token          // nil for a token the chain does not list
	data   []byte
}

// ERC-20 function selectors and the exact length of their call data.
var erc20 = []struct {
	selector string
	kind     string
	words    int
}{
	{"\xa9\x05\x9c\xbb", KindTransfer, 2},
	{"\x09\x5e\xa7\xb3", KindApprove, 2},
	{"\x23\xb8\x72\xdd", KindTransferFrom, 3},
}

// decodeCall reads one call of r's account. Errors are BAD_CALLS: a page
// that sends something the sheet cannot show exactly gets no sheet.
func decodeCall(in CallInput, r *Request) (Call, error) {
	chain := &r.Chain
	c := Call{To: in.To}
	if !ethtext.IsAddress(in.To) {
		// No "to" is a contract creation: a card account only calls.
		return c, fail(ReasonBadCalls, "to is not an address")
	}
	if in.Value != "" {
		v, ok := ethtext.ParseQuantity(in.Value)
		if !ok {
			return c, fail(ReasonBadCalls, "value is not a hex quantity of at most 256 bits")
		}
		c.value = v
	}
	if in.Data != "" {
		if len(in.Data) > 2+2*MaxBytes {
			return c, fail(ReasonBadCalls, "data is over "+strconv.Itoa(MaxBytes)+" bytes")
		}
		d, ok := ethtext.DecodeHex(in.Data)
		if !ok {
			return c, fail(ReasonBadCalls, "data is not 0x-prefixed hex bytes")
		}
		c.data = d
	}
	switch {
	case sameFold(in.To, r.Account):
		c.Kind = KindSelf
	case r.Protection != nil && sameFold(in.To, r.Protection.Recovery):
		return c, decodeRecovery(&c, r.Self, r.Account)
	case len(c.data) == 0:
		c.Kind, c.Token, c.Amount = KindNative, chain.Native.Symbol, scale(c.value.String(), chain.Native.Decimals)
	default:
		c.Kind = KindUnknown
		decodeERC20(&c, chain)
	}
	return c, nil
}

// decodeERC20 recognises transfer, approve and transferFrom with exactly
// the right length and clean address words; anything else stays unknown.
func decodeERC20(c *Call, chain *Chain) {
	d := c.data
	var args []string // address arguments
	for _, f := range erc20 {
		if len(d) != 4+32*f.words || string(d[:4]) != f.selector {
			continue
		}
		for i := 0; i < f.words-1; i++ {
			w := d[4+32*i : 4+32*(i+1)]
			if strings.Trim(string(w[:12]), "\x00") != "" {
				return // not an address: the token would revert, or do something else
			}
			args = append(args, ethtext.EncodeHex(w[12:]))
		}
		c.Kind, c.amount = f.kind, ethtext.FromWord(d[4+32*(f.words-1):])
		break
	}
	switch c.Kind {
	case KindUnknown:
		return
	case KindTransfer:
		c.Recipient = args[0]
	case KindApprove:
		c.Spender, c.Unlimited = args[0], c.amount[0]>>63 == 1
	case KindTransferFrom:
		c.From, c.Recipient = args[0], args[1]
	}
	c.Amount = c.amount.String()
	for i := range chain.Tokens {
		if t := &chain.Tokens[i]; sameFold(t.Address, c.To) {
			c.token, c.Token, c.Amount = t, t.Symbol, scale(c.Amount, t.Decimals)
			break
		}
	}
}
