package protocol

import "encoding/json"

// member is one name/value pair of a JSON object. value is a slice of the
// message, not a copy: clearing the message clears it, which is how the
// host wipes a PIN it has decoded.
type member struct {
	name  string
	value []byte
}

// members splits a JSON object into its members, in order. data must be
// valid JSON (nativemsg checks it before anything is decoded); members only
// checks that it is an object and that no name repeats, because
// encoding/json would silently keep the last of two "pin" members.
func members(data []byte, field string) ([]member, *Error) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, badField(field, "want an object, got %s", kindOf(data[i:]))
	}
	var out []member
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return out, nil
	}
	for i < len(data) {
		end := skipString(data, i)
		var name string
		if err := json.Unmarshal(data[i:end], &name); err != nil {
			return nil, badField(field, "malformed member name")
		}
		i = skipSpace(data, end)
		i = skipSpace(data, i+1) // the colon
		end = skipValue(data, i)
		for _, m := range out {
			if m.name == name {
				return nil, badField(join(field, name), "appears twice")
			}
		}
		out = append(out, member{name: name, value: data[i:end]})
		i = skipSpace(data, end)
		if i < len(data) && data[i] == '}' {
			return out, nil
		}
		i = skipSpace(data, i+1) // the comma
	}
	return nil, badField(field, "malformed object")
}

// join names a member inside field, e.g. "params" + "pin" = "params.pin".
func join(field, name string) string {
	if field == "" {
		return name
	}
	return field + "." + name
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just past the string starting at data[i].
func skipString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// skipValue returns the index just past the valid JSON value at data[i].
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for ; i < len(data); i++ {
			switch data[i] {
			case '"':
				i = skipString(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(data)
	}
	for ; i < len(data); i++ { // a number or a literal
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}

// kindOf names the JSON type of a valid value, for error messages, without
// showing the value itself.
func kindOf(raw []byte) string {
	i := skipSpace(raw, 0)
	if i >= len(raw) {
		return "nothing"
	}
	switch raw[i] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// stringInto decodes a JSON string of at most maxLen bytes into *dst.
func stringInto(dst *string, maxLen int) func(string, []byte) *Error {
	return func(field string, raw []byte) *Error {
		if raw[0] != '"' {
			return badField(field, "want a string, got %s", kindOf(raw))
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return badField(field, "malformed string")
		}
		if len(s) > maxLen {
			return badField(field, "longer than %d bytes", maxLen)
		}
		*dst = s
		return nil
	}
}

// uintInto decodes a non-negative integer no larger than JavaScript can
// represent exactly (2^53-1) into *dst. 1.0 and 1e0 are refused: the
// extension sends integers, and accepting other spellings only invites two
// readings of one id.
func uintInto(dst *uint64) func(string, []byte) *Error {
	return func(field string, raw []byte) *Error {
		var n uint64
		if kindOf(raw) != "a number" {
			return badField(field, "want an unsigned integer, got %s", kindOf(raw))
		}
		for _, c := range raw {
			if c < '0' || c > '9' {
				return badField(field, "want an unsigned integer")
			}
			n = n*10 + uint64(c-'0')
			if n > maxSafeInteger {
				return badField(field, "larger than %d", uint64(maxSafeInteger))
			}
		}
		if len(raw) > 1 && raw[0] == '0' {
			return badField(field, "want an unsigned integer without leading zeros")
		}
		*dst = n
		return nil
	}
}

// maxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER.
const maxSafeInteger = 1<<53 - 1

// elements splits a valid JSON array into its elements, in order, as slices
// of data.
func elements(data []byte, field string) ([][]byte, *Error) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return nil, badField(field, "want an array, got %s", kindOf(data[i:]))
	}
	var out [][]byte
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return out, nil
	}
	for i < len(data) {
		end := skipValue(data, i)
		out = append(out, data[i:end])
		i = skipSpace(data, end)
		if i < len(data) && data[i] == ']' {
			return out, nil
		}
		i = skipSpace(data, i+1) // the comma
	}
	return nil, badField(field, "malformed array")
}
