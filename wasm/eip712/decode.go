package eip712

import (
	"strconv"
	"strings"

	"github.com/mynaconnect/mynaconnect/wasm/ethtext"
)

// Bounds on the decoded tree, so a hostile request cannot exhaust the
// consent window or the host.
const (
	maxTypeDepth = 32   // structs and arrays inside each other in the message
	maxNodes     = 4096 // values in the domain and message together
	maxArray     = 1024 // the n of T[n]
)

// Decode reads typed data (eth_signTypedData_v4's JSON text) by the rules
// in the package comment. An error is an *Error.
func Decode(text string) (*TypedData, error) {
	root, err := parseJSON(text)
	if err != nil {
		return nil, err
	}
	if root.kind != kindObject {
		return nil, fail("", "not a JSON object")
	}
	if err := exactMembers(root, "", []string{"types", "primaryType", "domain", "message"}); err != nil {
		return nil, err
	}
	td := &TypedData{Types: map[string][]Field{}}
	if err := td.readTypes(root.members["types"]); err != nil {
		return nil, err
	}
	primary := root.members["primaryType"]
	switch {
	case primary.kind != kindString:
		return nil, fail("primaryType", "not a string")
	case primary.text == "EIP712Domain":
		return nil, fail("primaryType", "cannot be EIP712Domain")
	case td.Types[primary.text] == nil:
		return nil, fail("primaryType", quote(primary.text)+" is not one of the types")
	}
	td.PrimaryType = primary.text
	if err := td.checkAllUsed(root.members["types"].names); err != nil {
		return nil, err
	}
	d := decoder{td: td}
	if td.Domain, err = d.node("domain", "", "EIP712Domain", root.members["domain"], 0); err != nil {
		return nil, err
	}
	if len(td.Domain.Children) == 0 {
		return nil, fail("domain", "has no members")
	}
	if td.Message, err = d.node("message", "", td.PrimaryType, root.members["message"], 0); err != nil {
		return nil, err
	}
	return td, nil
}

// exactMembers refuses an object that lacks one of want or has any other
// member: an unknown member is never silently ignored, since another
// reader might not ignore it.
func exactMembers(v *value, path string, want []string) error {
	for _, name := range want {
		if v.members[name] == nil {
			return fail(join(path, name), "is missing")
		}
	}
	if len(v.names) == len(want) {
		return nil
	}
	for _, name := range v.names {
		if !contains(want, name) {
			return fail(path, "unknown member "+quote(name)+" (member names are exact and case-sensitive)")
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (td *TypedData) readTypes(v *value) error {
	if v.kind != kindObject {
		return fail("types", "not an object")
	}
	for _, name := range v.names {
		path := "types." + name
		if !isIdentifier(name) {
			return fail("types", "type name "+quote(name)+" is not an identifier")
		}
		if isAtomic(name) {
			return fail("types", "type name "+quote(name)+" is an atomic type")
		}
		list := v.members[name]
		if list.kind != kindArray {
			return fail(path, "not an array")
		}
		fields := make([]Field, 0, len(list.items))
		for i, item := range list.items {
			at := path + "." + strconv.Itoa(i)
			if item.kind != kindObject {
				return fail(at, "not an object")
			}
			if err := exactMembers(item, at, []string{"name", "type"}); err != nil {
				return err
			}
			n, t := item.members["name"], item.members["type"]
			if n.kind != kindString || !isIdentifier(n.text) {
				return fail(at+".name", "not an identifier")
			}
			if t.kind != kindString {
				return fail(at+".type", "not a string")
			}
			for _, f := range fields {
				if f.Name == n.text {
					return fail(at+".name", quote(n.text)+" appears twice")
				}
			}
			fields = append(fields, Field{n.text, t.text})
		}
		td.Types[name] = fields
	}
	// In the text's order, so that the reason given is the same every time.
	for _, name := range v.names {
		for i, f := range td.Types[name] {
			base, _, ok := splitArrays(f.Type)
			if !ok || (!isAtomic(base) && td.Types[base] == nil) || base == "EIP712Domain" {
				return fail("types."+name+"."+strconv.Itoa(i)+".type", quote(f.Type)+" is not a defined type")
			}
		}
	}
	dom, ok := td.Types["EIP712Domain"]
	if !ok {
		return fail("types", "EIP712Domain is missing")
	}
	next := 0
	for i, f := range dom {
		for next < len(domainFields) && domainFields[next].Name != f.Name {
			next++
		}
		if next == len(domainFields) || domainFields[next].Type != f.Type {
			return fail("types.EIP712Domain."+strconv.Itoa(i), "want fields among name string, version string, chainId uint256, verifyingContract address, salt bytes32, in that order")
		}
		next++
	}
	return nil
}

// checkAllUsed refuses types that neither the domain nor the message uses:
// a definition no one reads is text the sheet would not show. names are
// the types in the text's order.
func (td *TypedData) checkAllUsed(names []string) error {
	used := map[string]bool{"EIP712Domain": true}
	var visit func(string)
	visit = func(name string) {
		if used[name] {
			return
		}
		used[name] = true
		for _, f := range td.Types[name] {
			if base, _, _ := splitArrays(f.Type); td.Types[base] != nil {
				visit(base)
			}
		}
	}
	visit(td.PrimaryType)
	for _, name := range names {
		if !used[name] {
			return fail("types."+name, "is not used by the domain or the message")
		}
	}
	return nil
}

// splitArrays cuts a type into its base and its array suffixes, innermost
// first: "Mail[2][]" is "Mail" with lengths [2, -1] (-1 for dynamic).
func splitArrays(typ string) (base string, lengths []int, ok bool) {
	base = typ
	for strings.HasSuffix(base, "]") {
		open := strings.LastIndexByte(base, '[')
		if open <= 0 {
			return "", nil, false
		}
		n := -1
		if digits := base[open+1 : len(base)-1]; digits != "" {
			x, ok := ethtext.ParseDecimal(digits)
			if !ok || x.String() != digits || x.IsZero() || x.BitLen() > 11 || int(x[3]) > maxArray {
				return "", nil, false
			}
			n = int(x[3])
		}
		lengths = append([]int{n}, lengths...)
		base = base[:open]
	}
	return base, lengths, isIdentifier(base)
}

// isIdentifier: a Solidity identifier, as EIP-712 asks of type and field
// names: [A-Za-z_$][A-Za-z0-9_$]*, at most 64 characters.
func isIdentifier(s string) bool {
	if s == "" || len(s) > 64 || '0' <= s[0] && s[0] <= '9' {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '$') {
			return false
		}
	}
	return true
}

// isAtomic: address, bool, string, bytes, bytes1-bytes32, int8-int256 and
// uint8-uint256 in steps of 8 (and int, uint).
func isAtomic(typ string) bool {
	switch typ {
	case "address", "bool", "string", "bytes":
		return true
	}
	if n, ok := strings.CutPrefix(typ, "bytes"); ok {
		return size(n, 1) > 0
	}
	_, bitsN := intBits(typ)
	return bitsN > 0
}

// intBits: whether typ is signed and its width in bits; 0 when typ is not
// an integer type.
func intBits(typ string) (signed bool, width int) {
	rest, unsigned := strings.CutPrefix(typ, "u")
	rest, isInt := strings.CutPrefix(rest, "int")
	if !isInt {
		return false, 0
	}
	if rest == "" {
		return !unsigned, 256
	}
	return !unsigned, size(rest, 8) * 8
}

// size reads a type's size suffix: a canonical decimal multiple of unit
// from unit to 32 units, as a count of units; 0 when it is not one.
func size(s string, unit int) int {
	x, ok := ethtext.ParseDecimal(s)
	if !ok || x.String() != s || x.BitLen() > 9 {
		return 0
	}
	n := int(x[3])
	if n < unit || n > 32*unit || n%unit != 0 {
		return 0
	}
	return n / unit
}

type decoder struct {
	td    *TypedData
	nodes int
}

// node decodes v as a value of typ at path.
func (d *decoder) node(path, name, typ string, v *value, depth int) (*Node, error) {
	if d.nodes++; d.nodes > maxNodes || depth > maxTypeDepth {
		return nil, fail(path, "the typed data is too deep or too large to show")
	}
	n := &Node{Name: name, Type: typ}
	if _, lengths, _ := splitArrays(typ); len(lengths) > 0 {
		if v.kind != kindArray {
			return nil, fail(path, "not an array ("+typ+")")
		}
		if want := lengths[len(lengths)-1]; want >= 0 && len(v.items) != want {
			return nil, fail(path, "has "+strconv.Itoa(len(v.items))+" items, "+typ+" has "+strconv.Itoa(want))
		}
		inner := typ[:strings.LastIndexByte(typ, '[')]
		for i, item := range v.items {
			c, err := d.node(join(path, strconv.Itoa(i)), "", inner, item, depth+1)
			if err != nil {
				return nil, err
			}
			n.Children = append(n.Children, c)
		}
		return n, nil
	}
	if fields, ok := d.td.Types[typ]; ok {
		if v.kind != kindObject {
			return nil, fail(path, "not an object ("+typ+")")
		}
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.Name
		}
		if err := exactMembers(v, path, names); err != nil {
			return nil, err
		}
		for _, f := range fields {
			c, err := d.node(join(path, f.Name), f.Name, f.Type, v.members[f.Name], depth+1)
			if err != nil {
				return nil, err
			}
			n.Children = append(n.Children, c)
		}
		return n, nil
	}
	value, err := atomic(typ, v)
	if err != nil {
		return nil, fail(path, err.Error())
	}
	n.Value = value
	return n, nil
}

// atomicError is an atomic value's refusal, before the path is known.
type atomicError string

func (e atomicError) Error() string { return string(e) }

// atomic checks v as a value of the atomic type typ and returns it
// canonically (Node.Value).
func atomic(typ string, v *value) (string, error) {
	want := func(what string) error {
		return atomicError("not " + what + " (" + typ + "), got " + kindNames[v.kind])
	}
	switch {
	case typ == "bool":
		if v.kind != kindBool {
			return "", want("true or false")
		}
		if v.boolean {
			return "true", nil
		}
		return "false", nil
	case typ == "string":
		if v.kind != kindString {
			return "", want("a string")
		}
		return v.text, nil
	case typ == "address":
		if v.kind != kindString || !ethtext.IsAddress(v.text) {
			return "", want("an address: 0x and 40 hex digits")
		}
		return v.text, nil
	case strings.HasPrefix(typ, "bytes"):
		b, ok := ethtext.DecodeHex(v.text)
		if v.kind != kindString || !ok {
			return "", want("0x and an even number of hex digits")
		}
		if n := size(typ[5:], 1); typ != "bytes" && len(b) != n {
			return "", atomicError("has " + strconv.Itoa(len(b)) + " bytes, " + typ + " has " + strconv.Itoa(n))
		}
		return v.text, nil
	}
	signed, width := intBits(typ)
	neg, x, ok := integer(v, signed)
	if !ok {
		return "", want("an integer: a JSON number, a decimal string or a 0x hex string")
	}
	// In range: unsigned below 2^width; signed from -2^(width-1) to
	// 2^(width-1)-1.
	limit := width
	if signed {
		limit--
	}
	// -2^(width-1) itself is a one followed by width-1 zero bits.
	if !(x.BitLen() <= limit || neg && x.BitLen() == limit+1 && isPowerOfTwo(x)) {
		return "", atomicError("is out of range for " + typ)
	}
	if neg && !x.IsZero() {
		return "-" + x.String(), nil
	}
	return x.String(), nil
}

func isPowerOfTwo(x ethtext.Uint256) bool {
	ones := 0
	for _, w := range x {
		for ; w != 0; w &= w - 1 {
			ones++
		}
	}
	return ones == 1
}

// integer reads an EIP-712 integer as libraries accept one: a JSON number
// (already at most 15 digits), a decimal string ("-12" for a signed type),
// or a 0x hex string (non-negative). It returns the sign and magnitude.
func integer(v *value, signed bool) (neg bool, x ethtext.Uint256, ok bool) {
	if v.kind != kindNumber && v.kind != kindString {
		return false, x, false
	}
	s := v.text
	if v.kind == kindString && strings.HasPrefix(s, "0x") {
		x, ok = ethtext.ParseQuantity(s)
		return false, x, ok
	}
	if rest, cut := strings.CutPrefix(s, "-"); cut {
		if !signed {
			return false, x, false
		}
		neg, s = true, rest
	}
	if len(s) > 78 {
		return false, x, false
	}
	x, ok = ethtext.ParseDecimal(s)
	return neg, x, ok
}
