package origin

import "strings"

// Punycode (RFC 3492) with the IDNA parameters. The browser hands us hosts
// already in punycode; we decode them to show the person the name they
// would read in the address bar. golang.org/x/net/idna would do this, but it
// needs golang.org/x/text (not a dependency of this module) and its
// normalisation tables; decoding alone is fifty lines.
const (
	pcBase        = 36
	pcTMin        = 1
	pcTMax        = 26
	pcSkew        = 38
	pcDamp        = 700
	pcInitialBias = 72
	pcInitialN    = 128
	// pcMaxLabel bounds the work per label: DNS labels are at most 63 bytes.
	pcMaxLabel = 63
)

func pcAdapt(delta, numPoints int, first bool) int {
	if first {
		delta /= pcDamp
	} else {
		delta /= 2
	}
	delta += delta / numPoints
	k := 0
	for delta > ((pcBase-pcTMin)*pcTMax)/2 {
		delta /= pcBase - pcTMin
		k += pcBase
	}
	return k + (pcBase-pcTMin+1)*delta/(delta+pcSkew)
}

func pcDigit(c byte) (int, bool) {
	switch {
	case c >= 'a' && c <= 'z':
		return int(c - 'a'), true
	case c >= '0' && c <= '9':
		return int(c-'0') + 26, true
	}
	// Upper case is not accepted: hosts reach us lower-cased.
	return 0, false
}

func pcThreshold(k, bias int) int {
	switch {
	case k <= bias:
		return pcTMin
	case k >= bias+pcTMax:
		return pcTMax
	}
	return k - bias
}

// decodePunycode decodes the part of a label after "xn--". ok is false for
// anything that is not valid punycode of Unicode scalar values.
func decodePunycode(s string) (string, bool) {
	if len(s) == 0 || len(s) > pcMaxLabel {
		return "", false
	}
	var out []rune
	if b := strings.LastIndexByte(s, '-'); b > 0 {
		for i := 0; i < b; i++ {
			if s[i] >= 0x80 {
				return "", false
			}
			out = append(out, rune(s[i]))
		}
		s = s[b+1:]
	}
	n, bias, i := pcInitialN, pcInitialBias, 0
	for pos := 0; pos < len(s); {
		oldi, w := i, 1
		for k := pcBase; ; k += pcBase {
			if pos >= len(s) {
				return "", false
			}
			d, ok := pcDigit(s[pos])
			pos++
			if !ok {
				return "", false
			}
			// The bounds keep i and w far from int overflow on every
			// platform (wasm ints are 64-bit, but GOARCH=386 is not).
			if d > (1<<30-i)/w {
				return "", false
			}
			i += d * w
			t := pcThreshold(k, bias)
			if d < t {
				break
			}
			if w > (1<<30)/(pcBase-t) {
				return "", false
			}
			w *= pcBase - t
		}
		bias = pcAdapt(i-oldi, len(out)+1, oldi == 0)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		if n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF) {
			return "", false
		}
		out = append(out, 0)
		copy(out[i+1:], out[i:])
		out[i] = rune(n)
		i++
	}
	return string(out), true
}

// encodePunycode encodes a label (without "xn--"). decodeLabel uses it to
// insist on the one canonical encoding, so that two different ASCII hosts
// can never show the same Unicode name.
func encodePunycode(label string) string {
	runes := []rune(label)
	var b strings.Builder
	basic := 0
	for _, r := range runes {
		if r < 0x80 {
			b.WriteByte(byte(r))
			basic++
		}
	}
	h := basic
	if basic > 0 {
		b.WriteByte('-')
	}
	n, delta, bias := pcInitialN, 0, pcInitialBias
	for h < len(runes) {
		m := rune(0x10FFFF + 1)
		for _, r := range runes {
			if int(r) >= n && r < m {
				m = r
			}
		}
		delta += (int(m) - n) * (h + 1)
		n = int(m)
		for _, r := range runes {
			if int(r) < n {
				delta++
			}
			if int(r) == n {
				q := delta
				for k := pcBase; ; k += pcBase {
					t := pcThreshold(k, bias)
					if q < t {
						break
					}
					b.WriteByte(pcEncodeDigit(t + (q-t)%(pcBase-t)))
					q = (q - t) / (pcBase - t)
				}
				b.WriteByte(pcEncodeDigit(q))
				bias = pcAdapt(delta, h+1, h == basic)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return b.String()
}

func pcEncodeDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}
