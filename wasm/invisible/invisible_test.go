package invisible

import "testing"

func TestIsCoversEveryHiddenCharacterTheReviewNamed(t *testing.T) {
	hidden := []rune{
		0x00, 0x1f, 0x7f, 0x85, 0x9f, '\n', '\t', // controls
		0x061c, 0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069, // bidirectional
		0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0xe0041, // zero width, soft hyphen, tag
		0x2028, 0x2029, // separators
		0x3164, 0x115f, 0x1160, 0xffa0, 0x034f, 0x17b4, 0x180e, 0xfe0f, 0xe0100, 0x2800, // blank letters and marks
	}
	for _, r := range hidden {
		if !Is(r) {
			t.Errorf("U+%04X is not flagged", r)
		}
	}
	for _, r := range []rune{'a', ' ', 'あ', 'ア', '漢', 'ー', '・', 'é', 0x3000, 0x0301, '€', 0x1f600} {
		if Is(r) {
			t.Errorf("U+%04X %q is flagged", r, r)
		}
	}
}
