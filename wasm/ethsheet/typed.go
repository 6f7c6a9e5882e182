package ethsheet

import (
	"strconv"
	"strings"

	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// Entry is one field of the typed-data message: a value, or a struct or
// array with entries under it.
type Entry struct {
	Name     string // the field name; "1", "2", … for array items
	Path     string // data-path: field names and 0-based indices joined by "."
	Type     string // the EIP-712 type
	Value    string // as shown; "" for structs and arrays
	Children []*Entry
}

// typedData is what the sheet shows of an EIP-712 request: eip712.Decode's
// reading, which is also the host's, put into words.
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

// readTypedData reads the page's text with eip712.Decode, the reading the
// host hashes, and prepares it for the sheet.
func readTypedData(text string) (*typedData, error) {
	decoded, err := eip712.Decode(text)
	if err != nil {
		return nil, fail(ReasonBadTypedData, err.Error())
	}
	td := &typedData{primaryType: decoded.PrimaryType, message: entry(decoded.Message, decoded.PrimaryType, "")}
	td.domainName, _ = decoded.DomainField("name")
	td.domainName = visible(td.domainName)
	td.domainVersion, _ = decoded.DomainField("version")
	td.domainVersion = visible(td.domainVersion)
	td.verifyingContract, _ = decoded.DomainField("verifyingContract")
	td.domainSalt, _ = decoded.DomainField("salt")
	if id, ok := decoded.DomainField("chainId"); ok {
		n, ok := decimal(id)
		if !ok || n > 1<<53 {
			return nil, fail(ReasonBadTypedData, "domain.chainId "+id+" is larger than a chain id can be")
		}
		td.chainID, td.hasChainID = n, true
	}
	return td, nil
}

// entry turns a decoded value into the tree the sheet shows: strings with
// hidden characters escaped, integers grouped by thousands.
func entry(n *eip712.Node, name, path string) *Entry {
	e := &Entry{Name: name, Path: path, Type: n.Type}
	join := func(p string) string {
		if path == "" {
			return p
		}
		return path + "." + p
	}
	for i, c := range n.Children {
		if c.Name == "" { // an array item
			e.Children = append(e.Children, entry(c, strconv.Itoa(i+1), join(strconv.Itoa(i))))
		} else {
			e.Children = append(e.Children, entry(c, c.Name, join(c.Name)))
		}
	}
	switch {
	case n.Type == "string":
		e.Value = visible(n.Value)
	case strings.HasPrefix(n.Type, "int") || strings.HasPrefix(n.Type, "uint"):
		e.Value = group(n.Value)
	default:
		e.Value = n.Value
	}
	return e
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
