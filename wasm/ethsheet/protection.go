package ethsheet

import (
	"strconv"

	"github.com/mynaconnect/mynaconnect/wasm/certview"
	"github.com/mynaconnect/mynaconnect/wasm/ethtext"
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

// The CardRecovery functions an account calls on itself, as MynaConnect's page sends them.
const (
	selectorSetGuardians          = "\x4c\x58\x48\xed" // setGuardians(bytes[],uint8,uint32)
	selectorCancelRecovery        = "\x0b\xa2\x34\xd6" // cancelRecovery()
	selectorCancelGuardiansChange = "\xe6\xa7\x57\xf2" // cancelGuardiansChange()
)

// Bounds of setGuardians that the contract enforces too: a guardian is an address or a verifier's address and
// a key (a P-256 key is 64 bytes; 256 leaves room for others).
const (
	maxGuardians     = 16
	maxGuardianBytes = 20 + 256
)

// decodeRecovery reads a call to the account's CardRecovery: only the three functions an owner calls, each in
// the canonical ABI encoding (a second reading of the same bytes cannot differ), and only from MynaConnect's
// own page: a site never changes who can move the account.
func decodeRecovery(c *Call, self bool) error {
	if !self {
		return fail(ReasonBadCalls, "a site may not call the account's recovery contract: only MynaConnect's own page changes its guardians")
	}
	if c.value != (ethtext.Uint256{}) {
		return fail(ReasonBadCalls, "a call to the recovery contract sends no value")
	}
	d := c.data
	switch {
	case len(d) == 4 && string(d) == selectorCancelRecovery:
		c.Kind = KindCancelRecovery
	case len(d) == 4 && string(d) == selectorCancelGuardiansChange:
		c.Kind = KindCancelGuardiansChange
	case len(d) >= 4 && string(d[:4]) == selectorSetGuardians:
		c.Kind = KindSetGuardians
		return decodeSetGuardians(c, d[4:])
	default:
		return fail(ReasonBadCalls, "only setGuardians, cancelRecovery and cancelGuardiansChange may be sent to the recovery contract")
	}
	return nil
}

// decodeSetGuardians reads (bytes[] guardians, uint8 threshold, uint32 delay) and accepts only the canonical
// encoding: the array right after the three head words, each element's offset where the previous one ended,
// zero padding, nothing after the last element. Another encoding of the same call could be read otherwise.
func decodeSetGuardians(c *Call, args []byte) error {
	bad := fail(ReasonBadCalls, "setGuardians is not (bytes[] guardians, uint8 threshold, uint32 delay) in the canonical encoding")
	word := func(at int) (int, bool) {
		if at < 0 || at+32 > len(args) {
			return 0, false
		}
		v := 0
		for i, b := range args[at : at+32] {
			if i < 28 && b != 0 {
				return 0, false
			}
			v = v<<8 | int(b)
		}
		return v, true
	}
	head, okH := word(0)
	threshold, okT := word(32)
	delay, okD := word(64)
	n, okN := word(96)
	if !okH || !okT || !okD || !okN || head != 96 || n == 0 || n > maxGuardians || threshold == 0 || threshold > n {
		return bad
	}
	c.Threshold, c.Delay = threshold, int64(delay)
	next := 32 * n // where the next element must start, from the array's first offset word
	for i := 0; i < n; i++ {
		off, ok := word(128 + 32*i)
		if !ok || off != next {
			return bad
		}
		size, ok := word(128 + off)
		start, padded := 128+off+32, (size+31)/32*32
		if !ok || size < 20 || size > maxGuardianBytes || start+padded > len(args) {
			return bad
		}
		for _, b := range args[start+size : start+padded] {
			if b != 0 {
				return bad
			}
		}
		c.Guardians = append(c.Guardians, ethtext.EncodeHex(args[start:start+size]))
		next = off + 32 + padded
	}
	if 128+next != len(args) {
		return bad
	}
	return nil
}

// recoveryItem shows a change to the account's protection in plain words: who the guardians will be, what
// they can and cannot do, how many must agree and how long a move waits.
func recoveryItem(t *texts, it *Item, c Call, p *Protection) {
	switch c.Kind {
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
