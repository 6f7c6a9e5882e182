// Package eip712 is the one reading of eth_signTypedData_v4's typed data:
// the consent sheet renders what Decode returns and the host hashes what
// Decode returns, from the same text, with the same code. Nothing else in
// MynaConnect parses a page's typed data (ARCHITECTURE.md, rule 4).
//
// Decode is strict where libraries are lenient, because every leniency is
// a place where two readers can disagree:
//
//   - the JSON itself: see json.go (duplicate members, lone surrogates,
//     numbers a JavaScript number would round are refused);
//   - member names are matched exactly; an unknown member is refused at
//     every level, so a case variant ("PrimaryType", "Domain") or a
//     Unicode-folded one ("meſſage") can never be read by anyone;
//   - the document has exactly types, primaryType, domain and message;
//     every struct value has exactly its type's fields;
//   - types follow EIP-712: identifiers for names, fields unique, every
//     referenced type defined, no type left unused, EIP712Domain with the
//     standard fields in the standard order and types;
//   - values follow their types exactly: integers in range (a JSON number,
//     a decimal string or a 0x hex string), bytesN of exactly N bytes,
//     booleans as JSON booleans, addresses as 0x and 40 hex digits.
//
// The result holds canonical values (integers in decimal), so what the
// sheet shows and what the host hashes cannot be two readings.
package eip712

import "github.com/mynaconnect/mynaconnect/wasm/ethtext"

// Error says why typed data was refused: Path is where ("domain.chainId",
// "message.to.wallet", "" for the whole text), Detail is English for logs
// and for the page's INVALID_PARAMS message.
type Error struct{ Path, Detail string }

func (e *Error) Error() string {
	if e.Path == "" {
		return "typed data: " + e.Detail
	}
	return "typed data: " + e.Path + ": " + e.Detail
}

func fail(path, detail string) error { return &Error{Path: path, Detail: detail} }

// TypedData is typed data as Decode read it.
type TypedData struct {
	// Types holds every struct type, EIP712Domain included, each with its
	// fields in order.
	Types map[string][]Field
	// PrimaryType is the message's type; never EIP712Domain.
	PrimaryType string
	// Domain is the domain as a struct of type EIP712Domain.
	Domain *Node
	// Message is the message as a struct of type PrimaryType.
	Message *Node
}

// Field is one member of a struct type.
type Field struct{ Name, Type string }

// Node is one value of the domain or message tree.
type Node struct {
	// Name is the field name, or "" for an array item.
	Name string
	// Type is the EIP-712 type: a struct name, an atomic type, or T[] /
	// T[n].
	Type string
	// Value is set for atomic types, canonically: "true"/"false"; integers
	// in decimal with "-" for negatives; address, bytes and bytesN as the
	// page wrote them (0x and hex digits, either case, already checked);
	// strings exactly.
	Value string
	// Children are a struct's fields in type order, or an array's items.
	Children []*Node
}

// DomainField is the value of the domain's field name ("name", "version",
// "chainId", "verifyingContract", "salt"), canonical as in Node.Value.
func (td *TypedData) DomainField(name string) (string, bool) {
	for _, c := range td.Domain.Children {
		if c.Name == name {
			return c.Value, true
		}
	}
	return "", false
}

// CheckChain refuses typed data whose domain names a chain other than
// chainID: a signature for another chain is not what was asked for here.
func (td *TypedData) CheckChain(chainID uint64) error {
	want := ethtext.Uint256{0, 0, 0, chainID}.String()
	if id, ok := td.DomainField("chainId"); ok && id != want {
		return fail("domain.chainId", "is "+id+", the request's chain is "+want)
	}
	return nil
}

// domainFields are EIP712Domain's possible fields in the order EIP-712
// gives them; a domain uses a subsequence of them.
var domainFields = []Field{
	{"name", "string"}, {"version", "string"}, {"chainId", "uint256"},
	{"verifyingContract", "address"}, {"salt", "bytes32"},
}

// quote writes a page-supplied name for an error message: its first 40
// characters, anything but printable ASCII as a \u escape, so that a log
// line or a page's error message shows every character it has.
func quote(s string) string {
	const hexDigits = "0123456789abcdef"
	b := []byte{'"'}
	n := 0
	for _, r := range s {
		if n++; n > 40 {
			b = append(b, "…"...)
			break
		}
		if 0x20 <= r && r < 0x7f && r != '"' && r != '\\' {
			b = append(b, byte(r))
			continue
		}
		if r > 0xffff {
			b = append(b, `\u{`...)
			for shift := 20; shift >= 0; shift -= 4 {
				b = append(b, hexDigits[r>>shift&15])
			}
			b = append(b, '}')
			continue
		}
		b = append(b, '\\', 'u')
		for shift := 12; shift >= 0; shift -= 4 {
			b = append(b, hexDigits[r>>shift&15])
		}
	}
	return string(append(b, '"'))
}
