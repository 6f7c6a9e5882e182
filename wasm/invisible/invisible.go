// Package invisible is the one set of characters every consent sheet
// refuses to show as they are: characters that are not seen, or that
// reorder the text around them, so that what a person reads would not be
// what is sent. The login sheet's certificate view, the Ethereum sheets'
// messages and typed data, and the origin check all use it.
package invisible

import "unicode"

// Is reports whether r is not seen as itself on screen:
//   - control characters (C0, DEL, C1), tab and line breaks included: a
//     caller that shows multi-line text lets \n, \r and \t through itself;
//   - format characters (Cf): bidirectional controls U+061C, U+200E/F,
//     U+202A–U+202E, U+2066–U+2069; zero-width space, joiners and word
//     joiner U+200B–U+200D, U+2060; U+FEFF; the soft hyphen; tags;
//   - the line and paragraph separators U+2028 and U+2029, which break a
//     line where no line break is seen in the text;
//   - characters that render blank although they are letters or marks:
//     the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0, the combining
//     grapheme joiner U+034F, the Khmer inherent vowels U+17B4/U+17B5, the
//     Mongolian variation selectors U+180B–U+180F, the variation selectors
//     U+FE00–U+FE0F and U+E0100–U+E01EF, and the braille blank U+2800.
func Is(r rune) bool {
	switch {
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		return true
	case r == 0x2028, r == 0x2029:
		return true
	case r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0, r == 0x034f, r == 0x17b4, r == 0x17b5, r == 0x2800:
		return true
	case 0x180b <= r && r <= 0x180f, 0xfe00 <= r && r <= 0xfe0f, 0xe0100 <= r && r <= 0xe01ef:
		return true
	}
	return false
}
