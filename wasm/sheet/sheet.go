// Package sheet computes the consent sheet for a signature-only login from
// the exact payload: the origin that will be signed, the certificate that
// will be sent. It is pure data (Build) and a pure node tree (Render), so
// every word and every DOM hook is tested without a browser; the
// WebAssembly glue only copies the tree into the page.
package sheet

import (
	"strings"

	"github.com/mynaconnect/mynaconnect/wasm/certview"
	"github.com/mynaconnect/mynaconnect/wasm/origin"
)

// Input is what the sheet is computed from.
type Input struct {
	Origin *origin.Origin // required unless Self
	// Self: MynaConnect's own page asks, not a site (Ethereum sheets that
	// change the account's protection); Origin is nil.
	Self bool
	// Certificate is the 利用者証明用 certificate that will be sent; nil for
	// the screens shown before the card is read (the "asker" header only).
	Certificate *certview.Certificate
	// PublicKeySHA256 is the fingerprint of the certificate's public key,
	// 64 hex digits, as the host computed it (readAuthCertificate): the
	// sheet shows the host's hash rather than hashing again.
	PublicKeySHA256 string
	FirstSeen       bool   // no earlier approved login from this origin
	Lang            string // "ja" (default) or "en"
	// Now is the current time in Unix seconds, to warn about an expired
	// certificate; 0 skips the check.
	Now int64
	// Accounts are the card's Ethereum accounts on the configured chains,
	// which the certificate's public key gives away to anyone who gets it.
	Accounts []Account
}

// Account is the card's account on one chain.
type Account struct{ Chain, Address string }

// Sheet is the consent sheet's content, in one language.
type Sheet struct {
	Lang     string // "ja" or "en"
	Title    Phrase // "<site>が操作を求めています": Value is the site
	Asker    Asker
	Badges   []Badge
	Warnings []Warning
	// Sent and NotSent are empty when Input.Certificate is nil.
	SentHeading, NotSentHeading string
	Sent                        []Item
	NotSent                     []Item
	Question                    Phrase // Value is the origin, exactly as signed
	// QuestionUnicode is the origin with its host in Unicode, shown beside
	// Question.Value for internationalised names; "" otherwise.
	QuestionUnicode string
}

// Phrase is a sentence around one value the page styles apart.
type Phrase struct{ Before, Value, After string }

// Asker says who is asking. The registrable domain is what a person should
// recognise ("example.co.jp" in "https://login.example.co.jp"); the origin
// is split around it so it can stand out. Names flagged CONFUSABLE or
// MIXED_SCRIPT are shown in ASCII ("xn--pypal-4ve.com", not "pаypal.com").
type Asker struct {
	Label string
	// Site is the registrable domain in Unicode (ASCII for misleading
	// names); the host when there is none (IP addresses, localhost,
	// public suffixes).
	Site string
	// The origin as shown, split around Site: Before + Site + After.
	OriginBefore, OriginAfter string
	// ASCII is the origin as signed, when the one above is in Unicode.
	ASCIILabel, ASCII string
}

// Badge is a short status shown next to the site: "first-visit" or
// "development".
type Badge struct{ Key, Text string }

// Warning explains one origin.Warning, or a certificate or payload
// problem, in plain words. Severity is "danger" (probably not the site
// the person thinks, or a request that can cost them dearly), "caution"
// (check before going on) or "info".
type Warning struct {
	Code     string
	Severity string
	Title    string
	Text     string
	// Detail is a sentence around one value shown apart: for CONFUSABLE,
	// the name as it reads; for other sheets' warnings, the name or number
	// that does not match.
	Detail Phrase
}

// Item is one line of what is (not) sent, with the fields shown under it.
type Item struct {
	Key    string // "certificate", "publicKey", "signature", "myNumber", "personal"
	Label  string
	Note   string
	Fields []Field
	// NotePhrase is a note with a value in it (the signature's origin).
	NotePhrase Phrase
}

// Field is one labelled value; Key is its stable DOM hook.
type Field struct {
	Key, Label, Value, Note string
	Format                  string // "" (plain text), FormatAddress or FormatBlock
}

// Field formats.
const (
	// FormatAddress shows a hex address in groups of four digits.
	FormatAddress = "address"
	// FormatBlock shows long text (a message, call data) in a box that
	// scrolls, newlines kept.
	FormatBlock = "block"
)

var severities = map[origin.Warning]string{
	origin.WarnConfusable:          "danger",
	origin.WarnMixedScript:         "danger",
	origin.WarnIDN:                 "info",
	origin.WarnNoRegistrableDomain: "caution",
	origin.WarnIPAddress:           "caution",
}

// Build computes the sheet. in.Origin must not be nil unless in.Self.
func Build(in Input) *Sheet {
	t, lang := textsFor(in.Lang)
	o := in.Origin
	s := &Sheet{Lang: lang}
	if in.Self {
		// Nothing about a site to analyse: the asker is MynaConnect itself.
		s.Asker = Asker{Label: t.asker, Site: t.self}
		s.Title = Phrase{Before: t.titleBefore, Value: t.self, After: t.titleAfter}
		s.Question = Phrase{Value: t.self, After: t.selfQuestion}
		return s
	}
	// A name built to be misread is shown in ASCII, as browsers show it in
	// the address bar; the warning says what it looks like.
	spoof := o.Has(origin.WarnConfusable) || o.Has(origin.WarnMixedScript)
	s.Asker = asker(t, o, spoof)
	s.Title = Phrase{Before: t.titleBefore, Value: s.Asker.Site, After: t.titleAfter}
	if in.FirstSeen {
		s.Badges = append(s.Badges, Badge{Key: "first-visit", Text: t.firstVisit})
	}
	if o.Development {
		s.Badges = append(s.Badges, Badge{Key: "development", Text: t.development})
	}
	for _, w := range o.Warnings {
		sev, shown := severities[w]
		if !shown {
			// DEVELOPMENT is a badge, not a warning.
			continue
		}
		msg := t.warnings[string(w)]
		warn := Warning{Code: string(w), Severity: sev, Title: msg[0], Text: msg[1]}
		if w == origin.WarnConfusable {
			warn.Detail = Phrase{Before: t.looksLikeBefore, Value: o.LooksLike, After: t.looksLikeAfter}
		}
		s.Warnings = append(s.Warnings, warn)
	}
	s.Question = Phrase{Before: t.questionBefore, Value: o.Serialized, After: t.questionAfter}
	if o.IDN && !spoof {
		s.QuestionUnicode = unicodeOrigin(o)
	}
	if c := in.Certificate; c != nil {
		if w, ok := validityWarning(t, c, in.Now); ok {
			s.Warnings = append(s.Warnings, w)
		}
		s.SentHeading, s.NotSentHeading, s.NotSent = Lists(lang)
		s.Sent = sent(t, o, c, in.PublicKeySHA256, in.Accounts)
	}
	return s
}

func textsFor(lang string) (*texts, string) {
	if lang == "en" {
		return &en, "en"
	}
	return &ja, "ja"
}

// Lists returns the headings of the "sent" and "not sent" lists and the
// personal data that no sheet sends (個人番号; 氏名、住所、性別、生年月日),
// so every sheet says it in the same words.
func Lists(lang string) (sentHeading, notSentHeading string, notSent []Item) {
	t, _ := textsFor(lang)
	return t.sentHeading, t.notSentHeading, []Item{
		{Key: "myNumber", Label: t.myNumber},
		{Key: "personal", Label: t.personal},
	}
}

func unicodeOrigin(o *origin.Origin) string {
	s := o.Scheme + "://" + o.UnicodeHost
	if o.Port != "" {
		s += ":" + o.Port
	}
	return s
}

// asker splits the origin around its registrable domain, in Unicode, or in
// ASCII when ascii is set.
func asker(t *texts, o *origin.Origin, ascii bool) Asker {
	full, host, site := unicodeOrigin(o), o.UnicodeHost, o.RegistrableDomain
	if ascii {
		full, host, site = o.Serialized, o.ASCIIHost, o.RegistrableDomainASCII
	}
	a := Asker{Label: t.asker, Site: site}
	hostStart := len(o.Scheme) + len("://")
	hostEnd := hostStart + len(host)
	if a.Site == "" {
		a.Site = strings.TrimSuffix(host, ".")
	}
	// The site is the tail of the host (before any trailing dot).
	siteEnd := hostStart + len(strings.TrimSuffix(host, "."))
	siteStart := siteEnd - len(a.Site)
	if siteStart < hostStart || full[siteStart:siteEnd] != a.Site {
		// Cannot happen for a value from origin.Analyze; keep the whole
		// host prominent rather than highlight the wrong part.
		siteStart, siteEnd = hostStart, hostEnd
		a.Site = host
	}
	a.OriginBefore, a.OriginAfter = full[:siteStart], full[siteEnd:]
	if o.IDN && !ascii {
		a.ASCIILabel, a.ASCII = t.asciiForm, o.Serialized
	}
	return a
}

func validityWarning(t *texts, c *certview.Certificate, now int64) (Warning, bool) {
	code := ""
	switch {
	case now == 0:
		return Warning{}, false
	case now > c.NotAfter.Unix():
		code = "CERTIFICATE_EXPIRED"
	case now < c.NotBefore.Unix():
		code = "CERTIFICATE_NOT_YET_VALID"
	default:
		return Warning{}, false
	}
	msg := t.warnings[code]
	return Warning{Code: code, Severity: "danger", Title: msg[0], Text: msg[1]}, true
}

func sent(t *texts, o *origin.Origin, c *certview.Certificate, publicKeySHA256 string, accounts []Account) []Item {
	municipality, note := t.municipalityNone, ""
	if c.Municipality != "" {
		municipality, note = t.municipalityFormat(c), t.municipalityNote
	}
	return []Item{
		{Key: "certificate", Label: t.certificate, Note: t.certificateNote, Fields: []Field{
			{Key: "subject", Label: t.subject, Value: c.Subject},
			{Key: "issuer", Label: t.issuer, Value: c.Issuer},
			{Key: "validity", Label: t.validity, Value: t.validityFormat(c.NotBefore, c.NotAfter)},
			{Key: "municipality", Label: t.municipality, Value: municipality, Note: note},
		}},
		{Key: "publicKey", Label: t.publicKey, Note: t.publicKeyNote, Fields: append([]Field{
			{Key: "publicKeyAlgorithm", Label: t.keyAlgorithm, Value: t.keyFormat(c.PublicKeyAlgorithm, c.PublicKeyBits)},
			{Key: "publicKeySha256", Label: t.fingerprint, Value: publicKeySHA256},
		}, linkedAccounts(t, accounts)...)},
		{Key: "signature", Label: t.signature,
			NotePhrase: Phrase{Before: t.signatureBefore, Value: o.Serialized, After: t.signatureAfter}},
	}
}

// linkedAccounts are the fields that name the card's accounts: the login
// sends the public key, and each account's address is computed from it.
func linkedAccounts(t *texts, accounts []Account) []Field {
	var fields []Field
	for _, a := range accounts {
		fields = append(fields, Field{Key: "linkedAccount", Label: t.linkedAccount(a.Chain),
			Value: a.Address, Note: t.linkedAccountNote, Format: FormatAddress})
	}
	return fields
}
