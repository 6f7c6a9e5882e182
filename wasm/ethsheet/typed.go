package ethsheet

import (
	"strconv"
	"strings"

	"github.com/mynaconnect/mynaconnect/wasm/eip712"
	"github.com/mynaconnect/mynaconnect/wasm/ethtext"
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
		// Decode wrote it in decimal; a chain id is at most 2^53, the largest a
		// JavaScript number holds exactly.
		n, _ := ethtext.ParseDecimal(id)
		if n.Cmp(ethtext.Uint256{0, 0, 0, 1 << 53}) > 0 {
			return nil, fail(ReasonBadTypedData, "domain.chainId "+id+" is larger than a chain id can be")
		}
		td.chainID, td.hasChainID = int64(n[3]), true
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
