package typedhash_test

import (
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/account/typedhash"
	"github.com/mynaconnect/mynaconnect/wasm/eip712"
	"github.com/mynaconnect/mynaconnect/wasm/ethsheet"
	"github.com/mynaconnect/mynaconnect/wasm/origin"
)

// FuzzTheSheetShowsWhatTheHostHashes: for any text a page could send, the
// consent sheet (ethsheet.TypedData, as the WebAssembly module runs it) and
// the host (eip712.Decode, then typedhash) accept the same texts, and every
// value the sheet shows is the value the host hashes, at the same path.
// The one text the sheet refuses and the host would take is a domain
// chainId above 2^53, which the host refuses too as another chain's.
func FuzzTheSheetShowsWhatTheHostHashes(f *testing.F) {
	f.Add(`{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"chainId","type":"uint256"}],"Order":[{"name":"item","type":"string"},{"name":"price","type":"uint256"},{"name":"tags","type":"bytes4[]"}]},"primaryType":"Order","domain":{"name":"Shop","chainId":1337},"message":{"item":"りんご\u202e","price":"0x78","tags":["0x01020304"]}}`)
	f.Add(`{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"Greeting":[{"name":"text","type":"string"}]},"primaryType":"Greeting","PrimaryType":"Permit","domain":{"name":"Hello"},"message":{"text":"hi"}}`)
	f.Add(`{"types":{"EIP712Domain":[{"name":"chainId","type":"uint256"}],"T":[{"name":"a","type":"int8[2]"},{"name":"b","type":"bool"},{"name":"c","type":"address"}]},"primaryType":"T","domain":{"chainId":"9007199254740993"},"message":{"a":[-128,127],"b":false,"c":"0x1111111111111111111111111111111111111111"}}`)
	o, err := origin.Analyze("https://example.com")
	if err != nil {
		f.Fatal(err)
	}
	r := ethsheet.Request{Origin: o, Lang: "en", Account: "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4",
		Chain: ethsheet.Chain{ID: 1337, Name: "dev", Native: ethsheet.Currency{Name: "Ether", Symbol: "ETH", Decimals: 18}}}
	f.Fuzz(func(t *testing.T, text string) {
		s, sheetErr := ethsheet.TypedData(r, text)
		td, hostErr := eip712.Decode(text)
		switch {
		case sheetErr == nil && hostErr != nil:
			t.Fatalf("the sheet shows typed data the host refuses (%v): %q", hostErr, text)
		case sheetErr != nil && hostErr == nil:
			if id, _ := td.DomainField("chainId"); len(id) >= 16 && strings.Contains(sheetErr.Error(), "larger than a chain id") {
				return
			}
			t.Fatalf("the host takes typed data the sheet refuses (%v): %q", sheetErr, text)
		case sheetErr != nil:
			return
		}
		if s.PrimaryType != td.PrimaryType {
			t.Fatalf("the sheet shows primaryType %q, the host hashes %q", s.PrimaryType, td.PrimaryType)
		}
		same(t, s.Sent[0].Tree, td.Message)
		typedhash.Hash(td) // hashes every value shown without panicking
	})
}

// same checks that the sheet's entry shows node: the same path structure,
// and each value written as the sheet writes it.
func same(t *testing.T, e *ethsheet.Entry, n *eip712.Node) {
	t.Helper()
	if e.Type != n.Type || len(e.Children) != len(n.Children) {
		t.Fatalf("at %q the sheet shows %s with %d entries, the host hashes %s with %d", e.Path, e.Type, len(e.Children), n.Type, len(n.Children))
	}
	if n.Name != "" && e.Name != n.Name {
		t.Fatalf("at %q the sheet names %q, the host %q", e.Path, e.Name, n.Name)
	}
	if len(n.Children) == 0 && n.Value != "" && !shows(e.Value, n) {
		t.Fatalf("at %q the sheet shows %q, the host hashes %q", e.Path, e.Value, n.Value)
	}
	for i := range n.Children {
		same(t, e.Children[i], n.Children[i])
	}
}

// shows reports whether the sheet's text is node's value: integers with
// thousands separators, strings with hidden characters escaped.
func shows(shown string, n *eip712.Node) bool {
	switch {
	case strings.HasPrefix(n.Type, "int"), strings.HasPrefix(n.Type, "uint"):
		return strings.ReplaceAll(shown, ",", "") == n.Value
	case n.Type == "string":
		return shown == n.Value || strings.Contains(shown, `\u`)
	}
	return shown == n.Value
}
