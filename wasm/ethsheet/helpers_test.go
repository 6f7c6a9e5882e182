package ethsheet

import (
	"strconv"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/wasm/origin"
	"github.com/mynaconnect/mynaconnect/wasm/sheet"
)

const (
	account = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"
	jpyc    = "0x0FEED58692C78EE5F927DCED75918F17373A9237"
	bob     = "0xab8483f64d9c6d1ecf9b849ae677dd3315835cb2"
	other   = "0x4b20993bc481177ec7e8f571cecae8a9e22c02db"
	// recoveryAddr stands for the chain's CardRecovery.
	recoveryAddr = "0x00000000000000000000000000000000000ec0de"
)

var devChain = Chain{
	ID: 1337, Name: "MynaConnect dev chain",
	Native: Currency{Name: "Ether", Symbol: "ETH", Decimals: 18},
	Tokens: []Token{{Address: strings.ToLower(jpyc), Symbol: "JPYC", Name: "JPY Coin", Decimals: 18, Fiat: "JPY"},
		{Address: other, Symbol: "USDC", Name: "USD Coin", Decimals: 6}},
}

func request(t testing.TB, o, lang string) Request {
	t.Helper()
	a, err := origin.Analyze(o)
	if err != nil {
		t.Fatal(err)
	}
	return Request{Origin: a, Lang: lang, Account: account, Chain: devChain}
}

// word32 is an ABI word: an address or a number in hex, left-padded.
func word32(hexDigits string) string {
	return strings.Repeat("0", 64-len(hexDigits)) + hexDigits
}

func codes(s *Sheet) string { return strings.Join(s.Warnings(), ",") }

func findAll(n *sheet.Node, name, value string) []*sheet.Node {
	var out []*sheet.Node
	if v, ok := n.Attr(name); ok && (value == "" || v == value) {
		out = append(out, n)
	}
	for _, c := range n.Children {
		out = append(out, findAll(c, name, value)...)
	}
	return out
}

func find(t *testing.T, n *sheet.Node, name, value string) *sheet.Node {
	t.Helper()
	all := findAll(n, name, value)
	if len(all) != 1 {
		t.Fatalf("%d elements with %s=%q, want 1", len(all), name, value)
	}
	return all[0]
}

// checkSafe: only the tags and attributes the sheets need, so nothing in
// the tree can run script or load anything, whatever the page sent.
func checkSafe(t *testing.T, n *sheet.Node) {
	t.Helper()
	tags := map[string]bool{"": true, "section": true, "header": true, "h1": true, "h2": true, "p": true,
		"span": true, "strong": true, "ul": true, "li": true, "dl": true, "div": true, "dt": true, "dd": true}
	if !tags[n.Tag] {
		t.Errorf("tag <%s> in the sheet", n.Tag)
	}
	for _, a := range n.Attrs {
		if a.Name != "class" && a.Name != "lang" && a.Name != "role" && a.Name != "tabindex" && !strings.HasPrefix(a.Name, "data-") {
			t.Errorf("attribute %s=%q in the sheet", a.Name, a.Value)
		}
	}
	for _, c := range n.Children {
		checkSafe(t, c)
	}
}

// devFee is a fee as the dev chain's host prepares one for a transfer:
// 215,000 gas in all at 2 gwei, so at most 0.00043 ETH.
var devFee = FeeInput{CallGasLimit: "0x88b8", VerificationGasLimit: "0x1fbd0", PreVerificationGas: "0xc350",
	MaxFeePerGas: "0x77359400", MaxPriorityFeePerGas: "0x3b9aca00"}

// setGuardiansData is the calldata of setGuardians(guardians, threshold, delay), each guardian hex bytes,
// written out word by word as the ABI specification lays it out.
func setGuardiansData(threshold, delay int, guardians ...string) string {
	hexWord := func(n int) string { return word32(strconv.FormatInt(int64(n), 16)) }
	n := len(guardians)
	d := "0x4c5848ed" + hexWord(96) + hexWord(threshold) + hexWord(delay) + hexWord(n)
	var tails string
	for _, g := range guardians {
		d += hexWord(32*n + len(tails)/2)
		b := strings.TrimPrefix(g, "0x")
		tails += hexWord(len(b)/2) + b + strings.Repeat("0", (64-len(b)%64)%64)
	}
	return d + tails
}

// abiArg is one argument for abiCall: a static word (hex digits), dynamic bytes (hex), or a bytes[] list.
type abiArg struct {
	word   string
	bytes  *string
	list   []string
	isList bool
}

func wordArg(hexDigits string) abiArg   { return abiArg{word: hexDigits} }
func bytesArg(hexBytes string) abiArg   { return abiArg{bytes: &hexBytes} }
func listArg(hexBytes ...string) abiArg { return abiArg{list: hexBytes, isList: true} }

// abiCall lays out selector and args word by word as the ABI specification does (heads, then tails).
func abiCall(selector string, args ...abiArg) string {
	hexWord := func(n int) string { return word32(strconv.FormatInt(int64(n), 16)) }
	padded := func(b string) string { return hexWord(len(b)/2) + b + strings.Repeat("0", (64-len(b)%64)%64) }
	head, tail := "", ""
	for _, a := range args {
		switch {
		case a.bytes != nil:
			head += hexWord(32*len(args) + len(tail)/2)
			tail += padded(*a.bytes)
		case a.isList:
			head += hexWord(32*len(args) + len(tail)/2)
			tail += hexWord(len(a.list))
			elems := ""
			for _, b := range a.list {
				tail += hexWord(32*len(a.list) + len(elems)/2)
				elems += padded(b)
			}
			tail += elems
		default:
			head += word32(a.word)
		}
	}
	return selector + head + tail
}

// A renewed card's key for the recovery calls: e = 65537 and a 2048-bit modulus, and its check code (the
// first 8 bytes of the modulus's SHA-256, as sha256sum prints them).
var (
	newKeyE     = "010001"
	newKeyN     = "c0" + strings.Repeat("5a", 247) + "0123456789abcdef"
	newKeyCheck = "7212 62C4 2375 EE2E"
)
