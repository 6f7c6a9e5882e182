package ethsheet

import "bytes"

// The argument types the recovery calls use, for readCanonical.
const (
	abiWord     = iota // any static 32-byte value: address, uint
	abiBytes           // bytes
	abiBytesArr        // bytes[]
)

// abiValue is one decoded argument: Word for static ones, Bytes for bytes, List for bytes[].
type abiValue struct {
	Word  []byte
	Bytes []byte
	List  [][]byte
}

// maxABIList bounds a bytes[] argument: the recovery contract takes at most 16 guardians.
const maxABIList = 16

// readCanonical decodes args (call data after the selector) as the given types and accepts only the canonical
// encoding, the one Solidity produces: it encodes what it read again and wants the same bytes. Any other
// encoding of the same call (offsets that overlap or leave gaps, dirty padding, trailing bytes) could be read
// differently by someone else, so the sheet refuses it rather than guess.
func readCanonical(args []byte, types ...int) ([]abiValue, bool) {
	vals := make([]abiValue, len(types))
	for i, t := range types {
		head, ok := slice(args, 32*i, 32)
		if !ok {
			return nil, false
		}
		if t == abiWord {
			vals[i].Word = head
			continue
		}
		off, ok := small(head)
		if !ok {
			return nil, false
		}
		if t == abiBytes {
			if vals[i].Bytes, ok = readBytes(args, off); !ok {
				return nil, false
			}
			continue
		}
		count, ok := readWord(args, off)
		if !ok || count > maxABIList {
			return nil, false
		}
		base := off + 32
		for k := 0; k < count; k++ {
			elem, ok := readWord(args, base+32*k)
			if !ok {
				return nil, false
			}
			b, ok := readBytes(args, base+elem)
			if !ok {
				return nil, false
			}
			vals[i].List = append(vals[i].List, b)
		}
	}
	if !bytes.Equal(encodeABI(types, vals), args) {
		return nil, false
	}
	return vals, true
}

// encodeABI is the canonical encoding of vals as types.
func encodeABI(types []int, vals []abiValue) []byte {
	head := make([]byte, 0, 32*len(types))
	var tail []byte
	for i, t := range types {
		switch t {
		case abiWord:
			head = append(head, vals[i].Word...)
		case abiBytes:
			head = append(head, wordOf(32*len(types)+len(tail))...)
			tail = appendBytes(tail, vals[i].Bytes)
		case abiBytesArr:
			head = append(head, wordOf(32*len(types)+len(tail))...)
			list := vals[i].List
			tail = append(tail, wordOf(len(list))...)
			var elems []byte
			for _, b := range list {
				tail = append(tail, wordOf(32*len(list)+len(elems))...)
				elems = appendBytes(elems, b)
			}
			tail = append(tail, elems...)
		}
	}
	return append(head, tail...)
}

func appendBytes(dst, b []byte) []byte {
	dst = append(dst, wordOf(len(b))...)
	dst = append(dst, b...)
	return append(dst, make([]byte, (32-len(b)%32)%32)...)
}

func wordOf(n int) []byte {
	w := make([]byte, 32)
	for i := 31; n > 0; i-- {
		w[i], n = byte(n), n>>8
	}
	return w
}

// slice is args[at:at+n], if it is there.
func slice(args []byte, at, n int) ([]byte, bool) {
	if at < 0 || n < 0 || at > len(args) || len(args)-at < n {
		return nil, false
	}
	return args[at : at+n], true
}

// small reads a word that must be a length or an offset within call data: three bytes at most.
func small(w []byte) (int, bool) {
	v, ok := uintWord(w, 3)
	return int(v), ok
}

func readWord(args []byte, at int) (int, bool) {
	w, ok := slice(args, at, 32)
	if !ok {
		return 0, false
	}
	return small(w)
}

func readBytes(args []byte, at int) ([]byte, bool) {
	n, ok := readWord(args, at)
	if !ok {
		return nil, false
	}
	return slice(args, at+32, n)
}
