package origin

import (
	"strings"
	"unicode"
)

// scriptOf names the script of a letter, or "" for characters that belong to
// every script (digits, "-", the Japanese prolonged sound mark "ー") or take
// the script of the letter before them (combining marks). Letters of
// scripts not listed in scripts are "Other": ranging over unicode.Scripts
// would cost 66 KB of WebAssembly to tell apart scripts that no Latin or
// Japanese reader confuses with their own.
func scriptOf(r rune) string {
	if r < 0x80 {
		if unicode.IsLetter(r) {
			return "Latin"
		}
		return ""
	}
	for _, s := range scripts {
		if unicode.Is(s.table, r) {
			return s.name
		}
	}
	if unicode.Is(unicode.Common, r) || unicode.Is(unicode.Inherited, r) {
		return ""
	}
	return "Other"
}

// scripts, the common ones first; Cherokee, Armenian and Georgian have
// letters that pass for Latin ones.
var scripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Latin", unicode.Latin},
	{"Han", unicode.Han},
	{"Hiragana", unicode.Hiragana},
	{"Katakana", unicode.Katakana},
	{"Cyrillic", unicode.Cyrillic},
	{"Greek", unicode.Greek},
	{"Hangul", unicode.Hangul},
	{"Bopomofo", unicode.Bopomofo},
	{"Armenian", unicode.Armenian},
	{"Georgian", unicode.Georgian},
	{"Cherokee", unicode.Cherokee},
	{"Hebrew", unicode.Hebrew},
	{"Arabic", unicode.Arabic},
	{"Thai", unicode.Thai},
	{"Devanagari", unicode.Devanagari},
}

// allowedMixes are the script sets one label may combine without looking
// like a spoof: UTS #39's "highly restrictive" level. Japanese names mix Han,
// Hiragana, Katakana and Latin ("マイナ2ポータルjp" is ordinary); Latin with
// Cyrillic or Greek in one label is how "pаypal" (Cyrillic а) is made.
var allowedMixes = [][]string{
	{"Latin", "Han", "Hiragana", "Katakana"},
	{"Latin", "Han", "Bopomofo"},
	{"Latin", "Han", "Hangul"},
}

// labelScripts returns the distinct scripts of label's letters, in order of
// first appearance.
func labelScripts(label string) []string {
	var scripts []string
	for _, r := range label {
		s := scriptOf(r)
		if s == "" || contains(scripts, s) {
			continue
		}
		scripts = append(scripts, s)
	}
	return scripts
}

// mixedScript reports whether label combines scripts that no allowed mix
// covers.
func mixedScript(label string) bool {
	scripts := labelScripts(label)
	if len(scripts) < 2 {
		return false
	}
	for _, mix := range allowedMixes {
		covered := true
		for _, s := range scripts {
			if !contains(mix, s) {
				covered = false
				break
			}
		}
		if covered {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lookalikes maps characters that are read as a Latin letter (or a URL
// delimiter) to what they are read as. It is deliberately small: the letters
// attackers use for Latin-looking names (Unicode's confusables.txt has
// thousands of entries, most of them irrelevant to host names).
var lookalikes = map[rune]string{
	// Cyrillic
	'а': "a", 'в': "b", 'е': "e", 'о': "o", 'р': "p", 'с': "c", 'у': "y",
	'х': "x", 'і': "i", 'ј': "j", 'ѕ': "s", 'ԁ': "d", 'ԛ': "q", 'ԝ': "w",
	'һ': "h", 'ӏ': "l", 'ь': "b", 'к': "k", 'м': "m", 'н': "h", 'т': "t",
	'ё': "e", 'ї': "i", 'ӓ': "a", 'ӧ': "o", 'ԍ': "g",
	// Greek
	'ο': "o", 'α': "a", 'ν': "v", 'ι': "i", 'κ': "k", 'ρ': "p", 'τ': "t",
	'υ': "u", 'χ': "x", 'ϲ': "c", 'ϳ': "j", 'ε': "e", 'γ': "y", 'ω': "w",
	'ί': "i", 'ό': "o", 'ύ': "u",
	// Armenian
	'ո': "n", 'ս': "u", 'օ': "o", 'հ': "h", 'ց': "g", 'զ': "q", 'ա': "w",
	// Latin letters that read as other Latin letters
	'ı': "i", 'ɑ': "a", 'ɡ': "g", 'ɩ': "i", 'ʟ': "l", 'ſ': "f",
	// Not letters, but read as the delimiters of a URL.
	'∕': "/", '⁄': "/", '／': "/", '：': ":", '．': ".", '。': ".", '﹒': ".",
	'＠': "@", '？': "?", '＃': "#",
}

// kanaLookalikes are kanji that read as katakana. "マイナポ一タル" with the
// kanji 一 for the long vowel mark ー is a phishing name a Latin-centric
// table misses; they are flagged only next to kana, where they are out of
// place.
var kanaLookalikes = map[rune]string{
	'一': "ー", '口': "ロ", '工': "エ", '二': "ニ", '力': "カ", '夕': "タ",
	'卜': "ト", '八': "ハ", '己': "コ",
}

// lookalike returns what r is read as, and whether r is confusable.
// Fullwidth ASCII (Ａ-ｚ, ０-９) reads as ASCII by construction.
func lookalike(r rune) (string, bool) {
	if s, ok := lookalikes[r]; ok {
		return s, true
	}
	if r >= 0xFF01 && r <= 0xFF5E {
		return asciiLower(string(r - 0xFEE0)), true
	}
	return "", false
}

func isKana(r rune) bool {
	return unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hiragana, r) || r == 'ー'
}

func isKatakana(r rune) bool {
	return unicode.Is(unicode.Katakana, r) || r == 'ー'
}

// confusable reports whether label contains a character that a person would
// read as a different one, in a way that matters: mixed into a label of
// another script, making up the whole label (Cyrillic "раура" reads "paypa"),
// a kanji that reads as the katakana next to it, the long vowel mark ー where
// it reads as a hyphen, or a fullwidth / delimiter / invisible character
// anywhere. A Russian name like "сайт" contains "а" and "с" but also letters
// no Latin reader mistakes, so it is not flagged; nor is "はじめの一歩".
// skeleton is the label as it reads, lookalikes replaced.
func confusable(label string, mixed bool) (skeleton string, flagged bool) {
	runes := []rune(label)
	var b strings.Builder
	letters, alike, always := 0, 0, false
	for i, r := range runes {
		var prev, next rune
		if i > 0 {
			prev = runes[i-1]
		}
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		if unicode.IsLetter(r) {
			letters++
		}
		switch s, ok := lookalike(r); {
		case r == 0x200C || r == 0x200D:
			// Zero-width (non-)joiners: invisible, so always worth a look.
			always = true
		case ok:
			b.WriteString(s)
			if scriptOf(r) == "Latin" || !unicode.IsLetter(r) || r >= 0xFF01 && r <= 0xFF5E {
				always = true
			} else {
				alike++
			}
		case kanaLookalikes[r] != "" && (isKatakana(prev) || isKatakana(next)):
			b.WriteString(kanaLookalikes[r])
			always = true
		case r == 'ー' && !isKana(prev):
			b.WriteByte('-')
			always = true
		default:
			b.WriteRune(r)
		}
	}
	flagged = always || (alike > 0 && (mixed || alike == letters))
	return b.String(), flagged
}
