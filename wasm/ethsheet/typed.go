package ethsheet

import (
	"strconv"
	"strings"
)

// Kind is the type of a JSON value.
type Kind int

// JSON value kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// Value is a JSON value as JSON.parse returned it, walked into Go by the
// WebAssembly glue (the module has no encoding/json). Numbers are integers
// of at most 15 digits: ScanNumbers refuses the text before it is parsed
// otherwise, so every number is exactly what the text says.
type Value struct {
	Kind   Kind
	Bool   bool
	Int    int64
	Str    string
	Items  []*Value          // Array
	Fields map[string]*Value // Object
}

// maxDigits: JSON.parse holds an integer exactly up to 2^53; every
// integer of 15 digits is below it, and a digit count is a rule a person
// can check.
const maxDigits = 15

// ScanNumbers checks every number literal in JSON text (outside strings)
// is an integer of at most 15 significant digits written without a
// fraction or exponent. Larger amounts are written as strings in typed
// data; a literal JSON.parse would round must not be shown rounded.
// It does not check the rest of the syntax: JSON.parse does.
func ScanNumbers(text string) error {
	inString := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '-' || ('0' <= c && c <= '9'):
			j := i + 1
			for j < len(text) && strings.IndexByte("0123456789+-.eE", text[j]) >= 0 {
				j++
			}
			lit := text[i:j]
			if strings.ContainsAny(lit, ".eE") {
				return fail(ReasonBadTypedData, "number "+quoteCut(lit)+" is not written as an integer")
			}
			if len(strings.TrimLeft(strings.TrimPrefix(lit, "-"), "0")) > maxDigits {
				return fail(ReasonBadTypedData, "number "+quoteCut(lit)+" has more than 15 digits: write it as a string")
			}
			i = j - 1
		}
	}
	return nil
}

// quoteCut quotes the start of a page-supplied string for a detail message.
func quoteCut(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + visible(s) + `"`
}

// Entry is one field of the typed-data message: a value, or a struct or
// array with entries under it.
type Entry struct {
	Name     string // the field name; "1", "2", … for array items
	Path     string // data-path: field names and 0-based indices joined by "."
	Type     string // the EIP-712 type
	Value    string // as shown; "" for structs and arrays
	Children []*Entry
}

type field struct{ name, typ string }

// typedData is what the sheet shows of an EIP-712 request.
type typedData struct {
	primaryType       string
	domainName        string
	domainVersion     string
	domainSalt        string
	verifyingContract string
	chainID           int64
	hasChainID        bool
	message           *Entry
}

// Bounds on the tree, so a hostile request cannot exhaust the window.
const (
	maxDepth   = 32
	maxEntries = 4096
)

// parseTypedData checks the EIP-712 request and builds the message tree
// following its types. Everything the host would refuse is refused here,
// so the sheet never shows a request that cannot be what is signed.
func parseTypedData(root *Value) (*typedData, error) {
	if root.Kind != Object {
		return nil, fail(ReasonBadTypedData, "not a JSON object")
	}
	typesV, primary, domain, message := root.Fields["types"], root.Fields["primaryType"], root.Fields["domain"], root.Fields["message"]
	if typesV == nil || typesV.Kind != Object || primary == nil || primary.Kind != String ||
		domain == nil || domain.Kind != Object || message == nil || message.Kind != Object {
		return nil, fail(ReasonBadTypedData, "types, primaryType, domain and message are required")
	}
	types := map[string][]field{}
	for name, list := range typesV.Fields {
		if list.Kind != Array {
			return nil, fail(ReasonBadTypedData, "types."+name+" is not an array")
		}
		for _, f := range list.Items {
			n, t := f.Fields["name"], f.Fields["type"]
			if f.Kind != Object || n == nil || t == nil || n.Kind != String || t.Kind != String {
				return nil, fail(ReasonBadTypedData, "types."+name+" has an entry without a name and a type")
			}
			types[name] = append(types[name], field{n.Str, t.Str})
		}
	}
	if _, ok := types[primary.Str]; !ok {
		return nil, fail(ReasonBadTypedData, "primaryType "+quoteCut(primary.Str)+" is not in types")
	}
	td := &typedData{primaryType: primary.Str}
	if err := td.readDomain(domain); err != nil {
		return nil, err
	}
	w := walker{types: types}
	msg, err := w.walk(primary.Str, message, primary.Str, "", 0)
	if err != nil {
		return nil, err
	}
	td.message = msg
	return td, nil
}

func (td *typedData) readDomain(d *Value) error {
	for _, key := range []string{"name", "version", "verifyingContract", "salt"} {
		v := d.Fields[key]
		if v == nil {
			continue
		}
		if v.Kind != String || (key == "verifyingContract" && !isAddress(v.Str)) {
			return fail(ReasonBadTypedData, "domain."+key+" is not valid")
		}
		switch key {
		case "name":
			td.domainName = visible(v.Str)
		case "version":
			td.domainVersion = visible(v.Str)
		case "verifyingContract":
			td.verifyingContract = v.Str
		case "salt":
			if b, ok := decodeHex(v.Str); !ok || len(b) != 32 {
				return fail(ReasonBadTypedData, "domain.salt is not 32 bytes of hex")
			}
			td.domainSalt = v.Str
		}
	}
	if v := d.Fields["chainId"]; v != nil {
		id, ok := chainID(v)
		if !ok {
			return fail(ReasonBadTypedData, "domain.chainId is not a chain id")
		}
		td.chainID, td.hasChainID = id, true
	}
	return nil
}

type walker struct {
	types   map[string][]field
	entries int
}

func (w *walker) walk(typ string, v *Value, name, path string, depth int) (*Entry, error) {
	w.entries++
	if depth > maxDepth || w.entries > maxEntries {
		return nil, fail(ReasonBadTypedData, "the message is too deep or too large to show")
	}
	e := &Entry{Name: name, Path: path, Type: typ}
	bad := func(want string) error {
		where := path
		if where == "" {
			where = "message"
		}
		return fail(ReasonBadTypedData, where+" is not "+want)
	}
	join := func(p string) string {
		if path == "" {
			return p
		}
		return path + "." + p
	}
	if i := strings.LastIndexByte(typ, '['); i > 0 && strings.HasSuffix(typ, "]") {
		if v.Kind != Array {
			return nil, bad("an array")
		}
		if n := typ[i+1 : len(typ)-1]; n != "" && n != strconv.Itoa(len(v.Items)) {
			return nil, bad("an array of " + n)
		}
		for k, item := range v.Items {
			c, err := w.walk(typ[:i], item, strconv.Itoa(k+1), join(strconv.Itoa(k)), depth+1)
			if err != nil {
				return nil, err
			}
			e.Children = append(e.Children, c)
		}
		return e, nil
	}
	if fields, ok := w.types[typ]; ok {
		if v.Kind != Object {
			return nil, bad("a " + typ)
		}
		for _, f := range fields {
			fv := v.Fields[f.name]
			if fv == nil {
				return nil, fail(ReasonBadTypedData, join(f.name)+" is missing")
			}
			c, err := w.walk(f.typ, fv, f.name, join(f.name), depth+1)
			if err != nil {
				return nil, err
			}
			e.Children = append(e.Children, c)
		}
		return e, nil
	}
	ok := false
	signed, isInt := intType(typ)
	switch {
	case typ == "address":
		e.Value, ok = v.Str, v.Kind == String && isAddress(v.Str)
	case typ == "bool":
		e.Value, ok = strconv.FormatBool(v.Bool), v.Kind == Bool
	case typ == "string":
		e.Value, ok = visible(v.Str), v.Kind == String
	case strings.HasPrefix(typ, "bytes"):
		b, isHex := decodeHex(v.Str)
		e.Value = v.Str
		ok = v.Kind == String && isHex && (typ == "bytes" || sized(typ[5:], len(b), 1))
	case isInt:
		var n string
		n, ok = integer(v, signed)
		e.Value = group(n)
	default:
		return nil, fail(ReasonBadTypedData, "type "+quoteCut(typ)+" is not defined")
	}
	if !ok {
		return nil, bad("a valid " + typ)
	}
	return e, nil
}

// intType recognises int8-int256 and uint8-uint256 (and int, uint).
func intType(typ string) (signed, ok bool) {
	rest, unsigned := strings.CutPrefix(typ, "u")
	rest, isInt := strings.CutPrefix(rest, "int")
	return !unsigned, isInt && sized(rest, -1, 8)
}

// sized checks the size in a type name: "" or a canonical decimal
// multiple of unit up to 32 units (bytes1-bytes32, int8-int256); when
// length is not -1 the size must be exactly that many units and not "".
func sized(s string, length, unit int) bool {
	if s == "" {
		return length == -1
	}
	n, ok := decimal(s)
	u := int64(unit)
	return ok && strconv.FormatInt(n, 10) == s && n%u == 0 && u <= n && n <= 32*u && (length == -1 || n == int64(length)*u)
}

// chainID reads a domain's chainId: an unsigned integer up to 2^53, the
// largest a JavaScript number holds exactly.
func chainID(v *Value) (int64, bool) {
	n, ok := integer(v, false)
	if !ok {
		return 0, false
	}
	id, ok := decimal(n)
	return id, ok && id <= 1<<53
}

// decimal parses s, 1 to 16 ASCII digits (so below 2^63), without
// strconv.Atoi or ParseInt: their errors link strconv.Quote and its Unicode
// tables into the module.
func decimal(s string) (int64, bool) {
	if s == "" || len(s) > 16 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// integer reads an EIP-712 integer: a JSON number, a decimal string, or a
// 0x hex string, as libraries accept them. It returns the decimal digits.
func integer(v *Value, signed bool) (string, bool) {
	switch {
	case v.Kind == Number:
		return strconv.FormatInt(v.Int, 10), signed || v.Int >= 0
	case v.Kind != String:
		return "", false
	case strings.HasPrefix(v.Str, "0x"):
		x, ok := parseQuantity(v.Str)
		return x.String(), ok
	}
	digits := v.Str
	if signed {
		digits = strings.TrimPrefix(digits, "-")
	}
	if digits == "" || len(digits) > 78 || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	return v.Str, true
}
