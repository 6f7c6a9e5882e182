package ethsheet

import (
	"github.com/mynaconnect/mynaconnect/wasm/ethtext"
	"strconv"

	"github.com/mynaconnect/mynaconnect/wasm/sheet"
)

// Sheet kinds: the data-sheet hook.
const (
	SheetConnect   = "connect"
	SheetMessage   = "message"
	SheetTypedData = "typed-data"
	SheetCalls     = "calls"
	SheetHandover  = "handover"
)

// Sheet is one Ethereum consent sheet, in one language, and what the
// consent window's result reports about it.
type Sheet struct {
	Kind string
	// Header is the login sheet's header (title, who is asking, badges,
	// warnings) and question, with this sheet's title and warnings added.
	Header                      *sheet.Sheet
	SentHeading, NotSentHeading string
	Sent                        []Item
	NotSent                     []sheet.Item
	Batch                       string // calls: the all-or-none notice for more than one call

	// renderMessage's result.
	Encoding     string // "text" or "hex"
	Bytes        int
	SIWE         bool
	SIWEMismatch bool
	// renderTypedData's result.
	PrimaryType       string
	VerifyingContract string // "" when the domain has none
	DomainChainID     int64
	HasDomainChainID  bool
	ChainMismatch     bool
	// renderCalls's result.
	Calls []Call
	Fee   Fee
}

// Item is one line of what is sent, with the sheet's own DOM hooks.
type Item struct {
	sheet.Item
	Attrs []sheet.Attr // set on the <li>: data-call-kind, data-call-index, data-unlimited, data-encoding
	Tree  *Entry       // typed data: the message
}

// The warnings the sheets add to the origin's, in the order of
// texts.warnings; tables rather than maps, which cost init code.
const (
	warnBinaryMessage = iota
	warnSIWEMismatch
	warnChainMismatch
	warnUnlimitedApproval
	warnCallToSelf
	warnUnknownToken
	warnUnknownCall
	warnHighFee
	warnRecoveryPending
	warnKeyChange
	warnNoGuardians
	warnGuardianApproval
)

var warnings = [12]struct{ code, severity string }{
	{"BINARY_MESSAGE", "caution"},
	{"SIWE_MISMATCH", "danger"},
	{"CHAIN_MISMATCH", "danger"},
	{"UNLIMITED_APPROVAL", "danger"},
	{"CALL_TO_SELF", "danger"},
	{"UNKNOWN_TOKEN", "caution"},
	{"UNKNOWN_CALL", "caution"},
	{"HIGH_FEE", "caution"},
	{"RECOVERY_PENDING", "danger"},
	{"KEY_CHANGE_SOON", "caution"},
	{"NO_GUARDIANS", "caution"},
	{"GUARDIAN_APPROVAL", "danger"},
}

// Kinds in the order of texts.titles and texts.calls.
var (
	sheetKinds = []string{SheetConnect, SheetMessage, SheetTypedData, SheetCalls, SheetHandover}
	callKinds  = []string{KindNative, KindTransfer, KindApprove, KindTransferFrom, KindSelf, KindUnknown,
		KindSetGuardians, KindCancelRecovery, KindCancelGuardiansChange, KindRotateOwner, KindStartRecovery, KindExecuteRecovery}
)

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return 0
}

func (s *Sheet) warn(t *texts, w int, detail sheet.Phrase) {
	code := warnings[w].code
	for _, x := range s.Header.Warnings {
		if x.Code == code {
			return // once per sheet, however many calls have it
		}
	}
	msg := t.warnings[w]
	s.Header.Warnings = append(s.Header.Warnings,
		sheet.Warning{Code: code, Severity: warnings[w].severity, Title: msg[0], Text: msg[1], Detail: detail})
}

// Warnings lists the codes of the warnings the sheet shows, in order.
func (s *Sheet) Warnings() []string {
	codes := make([]string, len(s.Header.Warnings))
	for i, w := range s.Header.Warnings {
		codes[i] = w.Code
	}
	return codes
}

func start(r *Request, kind string) (*Sheet, *texts, error) {
	if err := r.check(); err != nil {
		return nil, nil, err
	}
	t := &ja
	if r.Lang == "en" {
		t = &en
	}
	h := sheet.Build(sheet.Input{Origin: r.Origin, Self: r.Self, FirstSeen: r.FirstSeen, Lang: r.Lang})
	h.Title.After = t.titles[index(sheetKinds, kind)]
	s := &Sheet{Kind: kind, Header: h}
	if r.Protection != nil {
		protectionWarnings(s, t, r.Protection)
	}
	s.SentHeading, s.NotSentHeading, s.NotSent = sheet.Lists(h.Lang)
	s.NotSent = append(s.NotSent, sheet.Item{Key: "certificate", Label: t.certificate})
	return s, t, nil
}

func accountItem(t *texts, r *Request) Item {
	return Item{Item: sheet.Item{Key: "account", Label: t.account, Note: t.accountNote, Fields: []sheet.Field{
		{Key: "account", Label: t.address, Value: r.Account, Format: sheet.FormatAddress},
		{Key: "chain", Label: t.network, Value: r.Chain.Name},
	}}}
}

func publicKeyItem(t *texts, note string) Item {
	return Item{Item: sheet.Item{Key: "publicKey", Label: t.publicKey, Note: note}}
}

// Connect is the sheet for eth_requestAccounts: the account and the chain
// are sent now; the public key (publicKeySHA256, 64 hex digits, its
// fingerprint) once the person signs or sends anything.
func Connect(r Request, publicKeySHA256 string) (*Sheet, error) {
	s, t, err := start(&r, SheetConnect)
	if err != nil {
		return nil, err
	}
	if _, ok := ethtext.DecodeHex("0x" + publicKeySHA256); !ok || len(publicKeySHA256) != 64 {
		return nil, fail(ReasonBadArguments, "publicKeySha256 is not 64 hex digits")
	}
	pk := publicKeyItem(t, t.publicKeyConnect)
	pk.Fields = []sheet.Field{{Key: "publicKeySha256", Label: t.fingerprint, Value: publicKeySHA256}}
	s.Sent = []Item{accountItem(t, &r), pk}
	return s, nil
}

// Message is the sheet for personal_sign of hexMessage ("0x" + hex): the
// exact bytes, as text when they read as text, otherwise as hex.
func Message(r Request, hexMessage string) (*Sheet, error) {
	s, t, err := start(&r, SheetMessage)
	if err != nil {
		return nil, err
	}
	if len(hexMessage) > 2+2*MaxBytes {
		return nil, fail(ReasonBadMessage, "message is over "+strconv.Itoa(MaxBytes)+" bytes")
	}
	b, ok := ethtext.DecodeHex(hexMessage)
	if !ok {
		return nil, fail(ReasonBadMessage, "message is not 0x-prefixed hex bytes")
	}
	s.Bytes, s.Encoding = len(b), "text"
	shown := string(b)
	switch {
	case !isText(b):
		s.Encoding, shown = "hex", hexMessage
		s.warn(t, warnBinaryMessage, sheet.Phrase{})
	case len(b) == 0:
		shown = t.empty
	default:
		if domain, uri, ok := parseSIWE(shown); ok {
			s.SIWE = true
			if siweMatches(domain, uri, r.Origin) {
				h := s.Header
				h.Badges = append(h.Badges, sheet.Badge{Key: "siwe-login", Text: h.Asker.Site + t.siweBadge})
			} else {
				s.SIWEMismatch = true
				s.warn(t, warnSIWEMismatch, sheet.Phrase{Before: t.siweBefore, Value: visible(domain), After: t.siweAfter})
			}
		}
	}
	sig := Item{Item: sheet.Item{Key: "signature", Label: t.signMessage, Note: t.signNote, Fields: []sheet.Field{
		{Key: "message", Label: t.message, Value: shown, Format: sheet.FormatBlock},
		{Key: "bytes", Label: t.length, Value: t.bytes(len(b))},
	}}, Attrs: []sheet.Attr{{Name: "data-encoding", Value: s.Encoding}}}
	s.Sent = []Item{sig, accountItem(t, &r), publicKeyItem(t, t.publicKeySign)}
	return s, nil
}

// TypedData is the sheet for eth_signTypedData_v4. text is the exact JSON
// the page sent, which the host receives too: both read it with
// eip712.Decode, so the sheet shows the one reading the card signs.
func TypedData(r Request, text string) (*Sheet, error) {
	s, t, err := start(&r, SheetTypedData)
	if err != nil {
		return nil, err
	}
	td, err := readTypedData(text)
	if err != nil {
		return nil, err
	}
	approval := r.Protection != nil && sameFold(td.verifyingContract, r.Protection.Recovery)
	switch {
	case approval && !r.Self:
		// A guardian's approval of moving some account to another card: a
		// site asking for one is phishing for the takeover of that account.
		return nil, fail(ReasonBadTypedData, "a site may not ask for a signature for the recovery contract: it would approve moving an account to another card")
	case approval && td.primaryType != "Recovery":
		return nil, fail(ReasonBadTypedData, "the recovery contract's only typed data is a guardian's Recovery approval")
	case approval:
		// MynaConnect's page gathers a card guardian's approval for a
		// quorum of more than one: said in plain words, in red.
		s.warn(t, warnGuardianApproval, sheet.Phrase{})
	}
	s.PrimaryType, s.VerifyingContract = td.primaryType, td.verifyingContract
	s.DomainChainID, s.HasDomainChainID = td.chainID, td.hasChainID
	var fields []sheet.Field
	add := func(key, label, value, format string) {
		if value != "" {
			fields = append(fields, sheet.Field{Key: key, Label: label, Value: value, Format: format})
		}
	}
	add("domainName", t.domainName, td.domainName, "")
	add("domainVersion", t.domainVersion, td.domainVersion, "")
	if td.hasChainID {
		id, name := strconv.FormatInt(td.chainID, 10), r.Chain.Name
		if td.chainID != r.Chain.ID {
			s.ChainMismatch, name = true, ""
			s.warn(t, warnChainMismatch, sheet.Phrase{Before: t.chainBefore, Value: id, After: t.chainAfter})
		}
		add("domainChainId", t.domainChainID, t.chainID(id, name), "")
	}
	add("verifyingContract", t.verifyingContract, td.verifyingContract, sheet.FormatAddress)
	add("domainSalt", t.domainSalt, td.domainSalt, "")
	add("primaryType", t.primaryType, visible(td.primaryType), "")
	sig := Item{Item: sheet.Item{Key: "signature", Label: t.signData, Note: t.signNote, Fields: fields}, Tree: td.message}
	if approval {
		sig.Label, sig.Note = t.calls[index(callKinds, KindStartRecovery)], t.approvalNote
	}
	s.Sent = []Item{sig, accountItem(t, &r), publicKeyItem(t, t.publicKeySign)}
	return s, nil
}

// Calls is the sheet for eth_sendTransaction (one call) and
// wallet_sendCalls (an atomic batch), with the most the operation can cost
// in fees (fee, from the host's preparation of exactly these calls).
func Calls(r Request, calls []CallInput, fee FeeInput) (*Sheet, error) {
	s, t, err := start(&r, SheetCalls)
	if err != nil {
		return nil, err
	}
	if len(calls) == 0 || len(calls) > MaxCalls {
		return nil, fail(ReasonBadCalls, "1 to "+strconv.Itoa(MaxCalls)+" calls")
	}
	if len(calls) > 1 {
		s.Batch = t.batch(len(calls))
	}
	for i, in := range calls {
		c, err := decodeCall(in, &r)
		if err != nil {
			e := err.(*Error)
			e.Detail = "calls[" + strconv.Itoa(i) + "]: " + e.Detail
			return nil, e
		}
		s.Calls = append(s.Calls, c)
		it := callItem(t, s, &r, c)
		if s.Batch != "" {
			it.Label = strconv.Itoa(i+1) + ". " + it.Label
		}
		it.Attrs = append(it.Attrs, sheet.Attr{Name: "data-call-index", Value: strconv.Itoa(i)})
		s.Sent = append(s.Sent, it)
	}
	if s.Fee, err = readFee(fee, s.Calls, &r.Chain); err != nil {
		return nil, err
	}
	if s.Fee.High {
		s.warn(t, warnHighFee, sheet.Phrase{})
	}
	s.Sent = append(s.Sent, feeItem(t, &r.Chain, s.Fee), accountItem(t, &r), publicKeyItem(t, t.publicKeySign),
		Item{Item: sheet.Item{Key: "signature", Label: t.txSignature, Note: t.txSignatureNote}})
	return s, nil
}

func callItem(t *texts, s *Sheet, r *Request, c Call) Item {
	chain := &r.Chain
	it := Item{Item: sheet.Item{Key: "call", Label: t.calls[index(callKinds, c.Kind)]}, Attrs: []sheet.Attr{{Name: "data-call-kind", Value: c.Kind}}}
	field := func(key, label, value, format string) {
		it.Fields = append(it.Fields, sheet.Field{Key: key, Label: label, Value: value, Format: format})
	}
	native := func(x ethtext.Uint256) string {
		return group(scale(x.String(), chain.Native.Decimals)) + " " + chain.Native.Symbol
	}
	amount := func() string {
		if c.Unlimited {
			return t.unlimited
		}
		if c.token == nil {
			return group(c.Amount) + t.rawUnit
		}
		n := group(c.Amount)
		if c.token.Fiat != "" {
			return n + " " + c.token.Symbol + t.fiat(n, c.token.Fiat)
		}
		return n + " " + c.token.Symbol
	}
	switch c.Kind {
	case KindNative:
		field("to", t.to, c.To, sheet.FormatAddress)
		field("amount", t.amount, native(c.value), "")
	case KindSetGuardians, KindCancelRecovery, KindCancelGuardiansChange, KindRotateOwner, KindStartRecovery, KindExecuteRecovery:
		recoveryItem(t, s, &it, c, r.Protection)
	case KindSelf, KindUnknown:
		if c.Kind == KindSelf {
			s.warn(t, warnCallToSelf, sheet.Phrase{})
		} else {
			s.warn(t, warnUnknownCall, sheet.Phrase{})
			field("to", t.target, c.To, sheet.FormatAddress)
		}
		field("data", t.data, ethtext.EncodeHex(c.data), sheet.FormatBlock)
	default: // ERC-20
		switch c.Kind {
		case KindTransfer:
			field("recipient", t.recipient, c.Recipient, sheet.FormatAddress)
			field("amount", t.amount, amount(), "")
		case KindApprove:
			it.Note = t.approveNote
			field("spender", t.spender, c.Spender, sheet.FormatAddress)
			field("amount", t.limit, amount(), "")
			if c.Unlimited {
				it.Attrs = append(it.Attrs, sheet.Attr{Name: "data-unlimited", Value: "true"})
				s.warn(t, warnUnlimitedApproval, sheet.Phrase{})
			}
		case KindTransferFrom:
			field("from", t.from, c.From, sheet.FormatAddress)
			field("recipient", t.recipient, c.Recipient, sheet.FormatAddress)
			field("amount", t.amount, amount(), "")
		}
		name := t.unknownToken
		switch {
		case c.token != nil && c.token.Name != "":
			name = c.token.Name + " (" + c.token.Symbol + ")"
		case c.token != nil:
			name = c.token.Symbol
		default:
			s.warn(t, warnUnknownToken, sheet.Phrase{})
		}
		field("token", t.token, name, "")
		field("contract", t.contract, c.To, sheet.FormatAddress)
	}
	if c.Kind != KindNative && c.value != (ethtext.Uint256{}) {
		field("value", t.value, native(c.value), "")
	}
	return it
}

// Handover is the sheet of a renewed or reissued card's application to take over Request.Account, the
// account of the person's previous card: the card signs CardRecovery's recoveryHash of that account and its
// own key, which the host reads from the chain (never a hash from a page). Only MynaConnect's own page asks for
// it. The card's public key goes with it: it becomes the account's key once guardians agree and the waiting
// time passes, or at once when the previous card switches.
func Handover(r Request, publicKeySHA256 string) (*Sheet, error) {
	if !r.Self {
		return nil, fail(ReasonBadArguments, "only MynaConnect's own page applies to take over an account")
	}
	s, t, err := start(&r, SheetHandover)
	if err != nil {
		return nil, err
	}
	if _, ok := ethtext.DecodeHex("0x" + publicKeySHA256); !ok || len(publicKeySHA256) != 64 {
		return nil, fail(ReasonBadArguments, "publicKeySha256 is not 64 hex digits")
	}
	sig := Item{Item: sheet.Item{Key: "signature", Label: t.handover, Note: t.handoverNote, Fields: []sheet.Field{
		{Key: "moved", Label: t.moved, Value: r.Account, Format: sheet.FormatAddress},
		{Key: "chain", Label: t.network, Value: r.Chain.Name},
	}}}
	pk := publicKeyItem(t, t.publicKeySign)
	pk.Fields = []sheet.Field{{Key: "publicKeySha256", Label: t.fingerprint, Value: publicKeySHA256}}
	s.Sent = []Item{sig, pk}
	return s, nil
}
