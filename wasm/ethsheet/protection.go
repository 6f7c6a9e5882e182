package ethsheet

import (
	"strconv"
	"strings"

	"github.com/mynaconnect/mynaconnect/wasm/certview"
	"github.com/mynaconnect/mynaconnect/wasm/ethtext"
	"github.com/mynaconnect/mynaconnect/wasm/internal/sha256lite"
	"github.com/mynaconnect/mynaconnect/wasm/sheet"
)

// Protection is what protects the account, as the host read it from the chain (ethAccount's protection and
// certificateNotAfter). Every sheet of the account warns, in red, about a recovery under way, and from
// keyChangeWarning before the certificate expires says the card's key will change; calls to Recovery are
// shown in plain words, and only when MynaConnect's own page asks (Request.Self).
type Protection struct {
	Recovery  string // the CardRecovery contract: "0x" + 40 hex digits
	Guardians int    // how many the owner chose
	// ExecuteAfter is when the recovery the guardians started can be
	// executed (chain time, Unix seconds); zero when none is under way.
	ExecuteAfter int64
	ChainTime    int64 // the latest block's time: the clock ExecuteAfter runs on
	// CertificateNotAfter is the card certificate's expiry and Now the
	// computer's clock, both Unix seconds; zero skips the renewal notice.
	CertificateNotAfter, Now int64
}

// keyChangeWarning is how long before the certificate's expiry the sheets start saying the key will change:
// long enough to add guardians and renew the card at the municipal office.
const keyChangeWarning = 90 * 24 * 3600

func (p *Protection) check() error {
	if !ethtext.IsAddress(p.Recovery) || p.Guardians < 0 || p.ExecuteAfter < 0 || p.ChainTime < 0 {
		return fail(ReasonBadArguments, "protection needs the recovery contract's address and non-negative counts and times")
	}
	return nil
}

// protectionWarnings adds the account's own warnings to every sheet: a recovery under way first (nobody may
// take an account quietly), then the card's coming renewal, and then, near it, the lack of guardians.
func protectionWarnings(s *Sheet, t *texts, p *Protection) {
	if p.ExecuteAfter != 0 {
		detail := sheet.Phrase{Value: t.pendingNow, After: t.pendingAfter}
		if left := p.ExecuteAfter - p.ChainTime; left > 0 {
			detail = sheet.Phrase{Before: t.pendingBefore, Value: t.hours(int((left + 3599) / 3600)), After: t.pendingAfter}
		}
		s.warn(t, warnRecoveryPending, detail)
	}
	if p.CertificateNotAfter != 0 && p.Now != 0 && p.CertificateNotAfter-p.Now <= keyChangeWarning {
		date := sheet.Date(s.Header.Lang, certview.TimeFromUnix(p.CertificateNotAfter))
		s.warn(t, warnKeyChange, sheet.Phrase{Before: t.expiryBefore, Value: date, After: t.expiryAfter})
		if p.Guardians == 0 {
			s.warn(t, warnNoGuardians, sheet.Phrase{})
		}
	}
}

// The CardRecovery functions MynaConnect's page sends: an owner's account calls the first four on its own
// behalf; a guardian's account calls startRecovery and executeRecovery for the account it guards.
const (
	selectorSetGuardians          = "\x4c\x58\x48\xed" // setGuardians(bytes[],uint8,uint32)
	selectorCancelRecovery        = "\x0b\xa2\x34\xd6" // cancelRecovery()
	selectorCancelGuardiansChange = "\xe6\xa7\x57\xf2" // cancelGuardiansChange()
	selectorRotateByOwner         = "\x27\xdd\x82\x4b" // rotateByOwner(bytes,bytes,bytes)
	selectorStartRecovery         = "\xef\x16\xc4\x05" // startRecovery(address,bytes,bytes,bytes,bytes[],bytes[])
	selectorExecuteRecovery       = "\x05\x6b\x2c\x9a" // executeRecovery(address,bytes,bytes)
)

// Bounds of setGuardians that the contract enforces too: a guardian is an address or a verifier's address and
// a key (a P-256 key is 64 bytes; 256 leaves room for others). A card's key: e of at most 4 bytes, n of 2048
// to 4096 bits (CardRSA.isValidKey).
const (
	maxGuardians     = 16
	maxGuardianBytes = 20 + 256
	maxModulusBytes  = 512
	minModulusBytes  = 256
)

// decodeRecovery reads a call to CardRecovery: only the functions MynaConnect's page sends, each in the
// canonical ABI encoding (a second reading of the same bytes cannot differ), and only from MynaConnect's own
// page: a site never changes who can move an account, nor starts or finishes a move.
func decodeRecovery(c *Call, self bool, sender string) error {
	if !self {
		return fail(ReasonBadCalls, "a site may not call the account's recovery contract: only MynaConnect's own page changes its guardians")
	}
	if c.value != (ethtext.Uint256{}) {
		return fail(ReasonBadCalls, "a call to the recovery contract sends no value")
	}
	d := c.data
	if len(d) < 4 {
		return fail(ReasonBadCalls, "a call to the recovery contract names no function")
	}
	args := d[4:]
	var ok bool
	switch string(d[:4]) {
	case selectorCancelRecovery:
		c.Kind, ok = KindCancelRecovery, len(args) == 0
	case selectorCancelGuardiansChange:
		c.Kind, ok = KindCancelGuardiansChange, len(args) == 0
	case selectorSetGuardians:
		c.Kind, ok = KindSetGuardians, decodeSetGuardians(c, args)
	case selectorRotateByOwner:
		c.Kind, ok = KindRotateOwner, decodeNewKey(c, args, sender, abiBytes, abiBytes, abiBytes)
	case selectorStartRecovery:
		c.Kind, ok = KindStartRecovery, decodeNewKey(c, args, sender, abiWord, abiBytes, abiBytes, abiBytes, abiBytesArr, abiBytesArr)
	case selectorExecuteRecovery:
		c.Kind, ok = KindExecuteRecovery, decodeNewKey(c, args, sender, abiWord, abiBytes, abiBytes)
	default:
		return fail(ReasonBadCalls, "only setGuardians, cancelRecovery, cancelGuardiansChange, rotateByOwner, startRecovery and executeRecovery may be sent to the recovery contract")
	}
	if !ok {
		return fail(ReasonBadCalls, "the call to the recovery contract is not its function's arguments in the canonical encoding")
	}
	return nil
}

// decodeSetGuardians reads (bytes[] guardians, uint8 threshold, uint32 delay).
func decodeSetGuardians(c *Call, args []byte) bool {
	v, ok := readCanonical(args, abiBytesArr, abiWord, abiWord)
	if !ok {
		return false
	}
	threshold, okT := uintWord(v[1].Word, 1)
	delay, okD := uintWord(v[2].Word, 4)
	n := len(v[0].List)
	if !okT || !okD || n == 0 || n > maxGuardians || threshold == 0 || int(threshold) > n {
		return false
	}
	for _, g := range v[0].List {
		if len(g) < 20 || len(g) > maxGuardianBytes {
			return false
		}
		c.Guardians = append(c.Guardians, ethtext.EncodeHex(g))
	}
	c.Threshold, c.Delay = int(threshold), int64(delay)
	return true
}

// decodeNewKey reads the calls that hand an account to a new card: the account (startRecovery and
// executeRecovery name it; rotateByOwner is the account's own call), the new card's key (e, n), and for
// startRecovery the approving guardians, whose signatures the sheet counts but does not show, and whether
// the sender is among them with an empty signature (the contract takes that as the caller's own approval).
func decodeNewKey(c *Call, args []byte, sender string, types ...int) bool {
	v, ok := readCanonical(args, types...)
	if !ok {
		return false
	}
	if types[0] == abiWord {
		if !isAddressWord(v[0].Word) {
			return false
		}
		c.Moved, v = ethtext.EncodeHex(v[0].Word[12:]), v[1:]
	}
	e, n := v[0].Bytes, v[1].Bytes
	if string(e) != "\x01\x00\x01" || len(n) < minModulusBytes || len(n) > maxModulusBytes || n[0] == 0 {
		return false // every My Number card key has e = 65537; KeyCheck names n alone
	}
	c.KeyCheck = KeyCheck(n)
	if len(v) == 5 { // startRecovery: newOwnerSignature, guardians, signatures
		if len(v[3].List) == 0 || len(v[3].List) != len(v[4].List) {
			return false
		}
		c.Approvals = len(v[3].List)
		for i, g := range v[3].List {
			c.ByCaller = c.ByCaller || len(v[4].List[i]) == 0 && sameFold(ethtext.EncodeHex(g), sender)
		}
	}
	return true
}

// KeyCheck is the short code a person reads aloud to compare a new card's key: the first eight bytes of the
// SHA-256 of its modulus, in four groups of four hex digits. The settings page shows the same code for the
// card on the reader (extension/src/lib/handover.js), so a guardian on the phone can check it is the right
// card. A hash, not the modulus's own bytes: whoever makes the key chooses those, and could copy another
// card's; matching 64 bits of SHA-256 is out of reach.
func KeyCheck(n []byte) string {
	sum := sha256lite.Sum256(n)
	h := ethtext.EncodeHex(sum[:8])[2:]
	return strings.ToUpper(h[0:4] + " " + h[4:8] + " " + h[8:12] + " " + h[12:16])
}

// uintWord reads a word holding an unsigned integer of size bytes (clean high bytes).
func uintWord(w []byte, size int) (uint64, bool) {
	var v uint64
	for i, b := range w {
		if i < 32-size && b != 0 {
			return 0, false
		}
		v = v<<8 | uint64(b)
	}
	return v, true
}

func isAddressWord(w []byte) bool {
	_, ok := uintWord(w, 20)
	return ok
}

// recoveryItem shows a change to the account's protection in plain words: who the guardians will be, what
// they can and cannot do, how many must agree and how long a move waits.
func recoveryItem(t *texts, s *Sheet, it *Item, c Call, p *Protection) {
	keyFields := func() {
		if c.Moved != "" {
			it.Fields = append(it.Fields, sheet.Field{Key: "moved", Label: t.moved, Value: c.Moved, Format: sheet.FormatAddress})
		}
		it.Fields = append(it.Fields, sheet.Field{Key: "keyCheck", Label: t.keyCheck, Value: c.KeyCheck})
	}
	switch c.Kind {
	case KindRotateOwner:
		it.Note = t.rotateNote
		keyFields()
	case KindStartRecovery:
		// A guardian is the one asked, and the one a scammer calls pretending to be family.
		s.warn(t, warnGuardianApproval, sheet.Phrase{})
		it.Note = t.startNote
		keyFields()
		it.Fields = append(it.Fields, sheet.Field{Key: "approvals", Label: t.approvals, Value: t.approvalsCount(c.Approvals, c.ByCaller)})
	case KindExecuteRecovery:
		it.Note = t.executeNote
		keyFields()
	case KindCancelRecovery:
		it.Note = t.cancelRecoveryNote
	case KindCancelGuardiansChange:
		it.Note = t.cancelChangeNote
	case KindSetGuardians:
		it.Note = t.guardiansNote
		if p.Guardians > 0 {
			it.Note += t.guardiansLater
		}
		delay := c.Delay
		if delay == 0 {
			delay = defaultDelay
		}
		for i, g := range c.Guardians {
			format := sheet.FormatAddress
			if len(g) != 42 {
				format = sheet.FormatBlock // a verifier and its key
			}
			it.Fields = append(it.Fields, sheet.Field{Key: "guardian", Label: t.guardian + " " + strconv.Itoa(i+1), Value: g, Format: format})
		}
		it.Fields = append(it.Fields,
			sheet.Field{Key: "threshold", Label: t.threshold, Value: t.quorum(c.Threshold, len(c.Guardians))},
			sheet.Field{Key: "delay", Label: t.delay, Value: t.hours(int(delay / 3600))})
	}
}

// defaultDelay is what CardRecovery uses for a delay of zero.
const defaultDelay = 72 * 3600

func jaHours(h int) string {
	if h%24 == 0 {
		return strconv.Itoa(h) + "時間（" + strconv.Itoa(h/24) + "日）"
	}
	return strconv.Itoa(h) + "時間"
}

func enHours(h int) string {
	if h%24 == 0 {
		return strconv.Itoa(h) + " hours (" + strconv.Itoa(h/24) + " days)"
	}
	return strconv.Itoa(h) + " hours"
}
