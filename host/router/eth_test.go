package router

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/pinleak"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// fakeNode is a JSON-RPC endpoint answering from a table; a method in hold
// waits until release is closed.
type fakeNode struct {
	answers map[string]string // method → the response's members besides jsonrpc and id
	// calls: eth_call's target (lower case), or the target and the
	// function's selector ("0x…:0x12345678"), → its answer, before
	// answers["eth_call"]; the selector's entry first.
	calls   map[string]string
	hold    string
	release chan struct{}
	mu      sync.Mutex
	seen    []string
}

// fakeRequest is one JSON-RPC request to the fake node.
type fakeRequest struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params []struct {
		To    string `json:"to"`
		Input string `json:"input"`
		Data  string `json:"data"`
	} `json:"params"`
}

func (f *fakeNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	if trimmed := strings.TrimSpace(string(body)); strings.HasPrefix(trimmed, "[") {
		var reqs []fakeRequest
		json.Unmarshal(body, &reqs)
		answers := make([]string, len(reqs))
		for i, req := range reqs {
			answers[i] = f.answer(req)
		}
		io.WriteString(w, "["+strings.Join(answers, ",")+"]")
		return
	}
	var req fakeRequest
	json.Unmarshal(body, &req)
	io.WriteString(w, f.answer(req))
}

// answer is the response to one request: from calls for an eth_call with a
// target (an address it does not list has no code: "0x", as a node answers),
// else from answers.
func (f *fakeNode) answer(req fakeRequest) string {
	f.mu.Lock()
	f.seen = append(f.seen, req.Method)
	f.mu.Unlock()
	if req.Method == f.hold {
		<-f.release
	}
	answer, ok := f.answers[req.Method]
	if req.Method == "eth_call" && len(req.Params) > 0 && req.Params[0].To != "" {
		to, input := strings.ToLower(req.Params[0].To), req.Params[0].Input+req.Params[0].Data
		if answer, ok = f.calls[to+":"+input[:min(len(input), 10)]]; !ok {
			if answer, ok = f.calls[to]; !ok {
				answer, ok = `"result":"0x"`, true
			}
		}
	}
	if !ok {
		answer = `"error":{"code":-32601,"message":"the method does not exist"}`
	}
	return `{"jsonrpc":"2.0","id":` + string(req.ID) + `,` + answer + `}`
}

// undeployedAccountNode answers what ethAccount asks about an account
// without code (its code, the accounts handed to the card, the factory's
// CardRecovery, the chain's time), and answers as given.
func undeployedAccountNode(answers map[string]string) *fakeNode {
	base := map[string]string{
		"eth_getCode":          `"result":"0x"`,
		"eth_getLogs":          `"result":[]`,
		"eth_getBlockByNumber": `"result":{"timestamp":"0x6553f100"}`,
	}
	for k, v := range answers {
		base[k] = v
	}
	word := func(addr string) string { return `"result":"0x000000000000000000000000` + addr + `"` }
	isCardAccount := hexutil.Encode(contracts.CardAccountFactory.ABI().Methods["isCardAccount"].ID)
	return &fakeNode{answers: base, calls: map[string]string{
		fakeFactory + ":" + isCardAccount: word(strings.Repeat("0", 40)), // false: no account here is a card's
		fakeFactory:                       word(fakeImplementation[2:]),  // implementation()
		fakeImplementation:                word(fakeRecovery[2:]),        // recovery()
	}}
}

// The fake chain's factory, its implementation and their CardRecovery.
const (
	fakeFactory        = "0x00000000000000000000000000000000000000fa"
	fakeImplementation = "0x00000000000000000000000000000000000000fb"
	fakeRecovery       = "0x00000000000000000000000000000000000000fc"
)

func (f *fakeNode) methods() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

// chainsFor writes a chain configuration for chain 1337 at url.
func chainsFor(t testing.TB, url string) string {
	t.Helper()
	f := &chainconfig.File{Format: chainconfig.Format, Networks: []chainconfig.Network{{
		Name: "Fake chain", ChainID: 1337, RPCURL: url,
		EntryPoint:     common.HexToAddress("0x4337084d9e255ff0702461cf8895ce9e3b5ff108"),
		AccountFactory: common.HexToAddress(fakeFactory),
		NativeCurrency: chainconfig.Currency{Name: "Ether", Symbol: "ETH", Decimals: 18},
		Tokens:         []chainconfig.Token{{Address: common.HexToAddress("0x0a"), Symbol: "JPYC", Name: "JPY Coin", Decimals: 18, Fiat: "JPY"}},
	}}}
	path := filepath.Join(t.TempDir(), "chains.json")
	if err := f.Write(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func fakeChain(t testing.TB, node *fakeNode) string {
	srv := httptest.NewServer(node)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if node.release != nil {
			select {
			case <-node.release:
			default:
				close(node.release)
			}
		}
	})
	return chainsFor(t, srv.URL)
}

const certSHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func signMessageParams(account, pin string) map[string]any {
	return map[string]any{"chainId": 1337, "account": account, "certificateSha256": certSHA, "pin": pin, "message": "0x68656c6c6f"}
}

func TestEthereumMethodsAreDispatched(t *testing.T) {
	node := undeployedAccountNode(map[string]string{
		"eth_blockNumber": `"result":"0x2a"`,
		"eth_call":        `"error":{"code":3,"message":"execution reverted","data":"0x08c379a0"}`,
	})
	h := newHarness(t, options{chains: fakeChain(t, node)})
	h.Hello()
	h.insert(reader0, vcardtest.NewCard(t, nil), "mynumber")

	var hello protocol.HelloResult
	h.OK("hello", map[string]any{"protocol": 1, "extensionVersion": "0.1.0"}, &hello)
	if got := strings.Join(hello.Methods, " "); !strings.Contains(got, "ethChains ethAccount ethRpc ethSignMessage ethSignTypedData ethPrepareCalls ethSendCalls ethSignHandover") {
		t.Errorf("hello methods: %s", got)
	}

	var chains protocol.EthChainsResult
	h.OK("ethChains", nil, &chains)
	if chains.DefaultChainID != 1337 || len(chains.Chains) != 1 || chains.Chains[0].Tokens[0].Symbol != "JPYC" {
		t.Errorf("ethChains: %+v", chains)
	}

	var rpc protocol.EthRPCResult
	h.OK("ethRpc", map[string]any{"chainId": 1337, "method": "eth_blockNumber"}, &rpc)
	if string(rpc.Result) != `"0x2a"` {
		t.Errorf("ethRpc result %s", rpc.Result)
	}
	e := h.Fails("ethRpc", map[string]any{"chainId": 1337, "method": "eth_call", "params": []any{map[string]any{}, "latest"}}, failure.RPCError)
	if e.RPCCode == nil || *e.RPCCode != 3 || e.RPCData != "0x08c379a0" {
		t.Errorf("RPC_ERROR without the node's code and data: %+v", e)
	}
	h.Fails("ethRpc", map[string]any{"chainId": 1337, "method": "eth_sendRawTransaction", "params": []any{"0x00"}}, failure.RPCMethodNotAllowed)
	for _, m := range node.methods() {
		if m == "eth_sendRawTransaction" {
			t.Error("a method off the list reached the node")
		}
	}
	h.Fails("ethRpc", map[string]any{"chainId": 5, "method": "eth_blockNumber"}, failure.ChainUnconfigured)

	var acct protocol.EthAccountResult
	h.OK("ethAccount", map[string]any{"chainId": 1337}, &acct)
	if acct.Reader != reader0 || acct.Deployed || !common.IsHexAddress(acct.Address) || len(acct.CertificateSHA256) != 64 {
		t.Errorf("ethAccount: %+v", acct)
	}

	// Another account than the card's: nothing signed, no PIN sent.
	p := signMessageParams("0x0000000000000000000000000000000000000001", "1234")
	p["certificateSha256"] = acct.CertificateSHA256
	h.Fails("ethSignMessage", p, failure.AccountMismatch)
	// Another card than the one shown.
	h.Fails("ethSignMessage", signMessageParams(acct.Address, "1234"), failure.CardChanged)
	h.Fails("ethSignMessage", signMessageParams(acct.Address, "12"), failure.PINFormat)
	h.Fails("ethSignTypedData", map[string]any{"chainId": 1337, "account": acct.Address, "certificateSha256": acct.CertificateSHA256,
		"pin": "1234", "typedData": "{"}, failure.BadRequest)
	if e := h.Fails("ethSendCalls", map[string]any{"chainId": 1337, "account": acct.Address, "certificateSha256": acct.CertificateSHA256,
		"pin": "1234", "calls": []any{}}, failure.BadRequest); e.Field != "params.calls" {
		t.Errorf("empty calls: field %q", e.Field)
	}
	// No bundler and no relayer key in the configuration.
	fee := map[string]any{"callGasLimit": "0x88b8", "verificationGasLimit": "0x1fbd0", "preVerificationGas": "0xc350",
		"maxFeePerGas": "0x77359400", "maxPriorityFeePerGas": "0x3b9aca00"}
	h.Fails("ethSendCalls", map[string]any{"chainId": 1337, "account": acct.Address, "certificateSha256": acct.CertificateSHA256,
		"pin": "1234", "calls": []any{map[string]any{"to": acct.Address}}, "fee": fee}, failure.ChainUnconfigured)
	h.Fails("ethPrepareCalls", map[string]any{"chainId": 1337, "account": acct.Address, "certificateSha256": acct.CertificateSHA256,
		"calls": []any{map[string]any{"to": acct.Address}}}, failure.ChainUnconfigured)
	if n := h.verifyWithPIN.Load(); n != 0 {
		t.Errorf("%d VERIFY with a PIN", n)
	}
}

func TestWithoutAWalletTheEthereumMethodsAreUnconfigured(t *testing.T) {
	h := newHarness(t, options{})
	h.Hello()
	h.Fails("ethChains", nil, failure.ChainUnconfigured)
	h.Fails("ethSignMessage", signMessageParams("0x0000000000000000000000000000000000000001", "1234"), failure.ChainUnconfigured)
	h.Fails("ethAccount", map[string]any{}, failure.BadRequest)
}

// An Ethereum method waiting for the network holds up nothing: listReaders,
// version and card methods are answered meanwhile.
func TestListReadersIsAnsweredWhileAnEthereumMethodWaits(t *testing.T) {
	node := &fakeNode{answers: map[string]string{"eth_blockNumber": `"result":"0x1"`}, hold: "eth_blockNumber", release: make(chan struct{})}
	h := newHarness(t, options{chains: fakeChain(t, node)})
	h.Hello()
	h.insert(reader0, vcardtest.NewCard(t, nil), "mynumber")
	slow := h.Request("ethRpc", map[string]any{"chainId": 1337, "method": "eth_blockNumber"})
	deadline := time.Now().Add(5 * time.Second)
	for len(node.methods()) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	h.readers()
	h.OK("version", nil, nil)
	h.OK("authPinStatus", nil, nil)
	if took := time.Since(start); took > time.Second {
		t.Errorf("listReaders, version and authPinStatus took %v behind a waiting ethRpc", took)
	}
	close(node.release)
	if r := h.Response(); r.ID == nil || *r.ID != slow || r.Error != nil {
		t.Errorf("the held ethRpc: %+v", r)
	}
}

func TestThePINNeverAppearsInWhatTheEthereumMethodsWrite(t *testing.T) {
	const right, wrong, malformed = "7319", "8264", "46a1"
	const message = "0x6d7973656372657474657874" // "mysecrettext"
	node := undeployedAccountNode(map[string]string{"eth_chainId": `"result":"0x539"`})
	h := newHarness(t, options{chains: fakeChain(t, node)})
	h.Hello()
	h.insert(reader0, vcardtest.NewCard(t, nil), "mynumber")
	var acct protocol.EthAccountResult
	h.OK("ethAccount", map[string]any{"chainId": 1337}, &acct)
	base := func(pin string) map[string]any {
		return map[string]any{"chainId": 1337, "account": acct.Address, "certificateSha256": acct.CertificateSHA256, "pin": pin, "message": message}
	}
	h.Fails("ethSignMessage", base(wrong), failure.PINWrong)
	h.Fails("ethSignMessage", base(malformed), failure.PINFormat)
	p := base(right)
	p["extra"] = true
	h.Fails("ethSignMessage", p, failure.BadRequest)
	p = base(right)
	p["account"] = "0x0000000000000000000000000000000000000001"
	h.Fails("ethSignMessage", p, failure.AccountMismatch)
	h.Fails("ethSignTypedData", map[string]any{"chainId": 1337, "account": acct.Address, "certificateSha256": acct.CertificateSHA256,
		"pin": right, "typedData": `{"secret":"mysecrettext"}`}, failure.BadRequest)
	// The renewed card's application: refused before the card (the fake chain has no card account), and
	// its PIN as well kept out of every line.
	handover := map[string]any{"chainId": 1337, "account": "0x00000000000000000000000000000000000a11ce", "certificateSha256": acct.CertificateSHA256, "pin": right}
	if e := h.Fails("ethSignHandover", handover, failure.BadRequest); e.Field != "params.account" {
		t.Errorf("an application for no card account: field %q", e.Field)
	}
	handover["pin"] = malformed
	h.Fails("ethSignHandover", handover, failure.PINFormat)
	handover["pin"], handover["extra"] = right, 1
	h.Fails("ethSignHandover", handover, failure.BadRequest)
	pinleak.Check(t, h.Output(), h.stderr.String(), right, wrong, malformed)
	if strings.Contains(h.stderr.String(), "mysecrettext") || strings.Contains(h.stderr.String(), message[2:]) {
		t.Error("the log holds the message or the typed data")
	}
}

// The review's typed-data attack sent straight to the host (as a page could
// not, but a bug in the extension might): one text that a lenient parser
// reads as a harmless greeting and another as an unlimited Permit. The host
// reads it as the sheet does and refuses it before any VERIFY.
func TestTypedDataThatTwoParsersReadApartIsRefusedBeforeThePIN(t *testing.T) {
	h := newHarness(t, options{chains: fakeChain(t, undeployedAccountNode(nil))})
	h.Hello()
	h.insert(reader0, vcardtest.NewCard(t, nil), "mynumber")
	var acct protocol.EthAccountResult
	h.OK("ethAccount", map[string]any{"chainId": 1337}, &acct)
	greeting := `{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"Greeting":[{"name":"text","type":"string"}],` +
		`"Permit":[{"name":"spender","type":"address"},{"name":"value","type":"uint256"}]},` +
		`"primaryType":"Greeting","domain":{"name":"Hello"},"message":{"text":"hi"}`
	for name, text := range map[string]string{
		"case variants":    greeting + `,"PrimaryType":"Permit","Domain":{"name":"JPY Coin"},"Message":{"spender":"0x2222222222222222222222222222222222222222","value":"0xff"}}`,
		"exact duplicates": greeting + `,"primaryType":"Permit","message":{"spender":"0x2222222222222222222222222222222222222222","value":"0xff"}}`,
		"folded key":       greeting + `,"me\u017f\u017fage":{"text":"x"}}`,
	} {
		e := h.Fails("ethSignTypedData", map[string]any{"chainId": 1337, "account": acct.Address, "certificateSha256": acct.CertificateSHA256,
			"pin": "1234", "typedData": text}, failure.BadRequest)
		if e.Field != "params.typedData" || !strings.Contains(e.Message, "typed data") {
			t.Errorf("%s: %+v", name, e)
		}
	}
	if n := h.verifyWithPIN.Load(); n != 0 {
		t.Errorf("%d VERIFY with a PIN", n)
	}
}

// A chain endpoint that fails gives pages a fixed message: the configured
// URL, whose path or query often holds an API key, goes to the host's log
// with only its scheme and host.
func TestAnUnreachableEndpointsURLReachesOnlyTheLogRedacted(t *testing.T) {
	const secret = "k3y-0f-th3-us3r"
	h := newHarness(t, options{chains: chainsFor(t, "http://user:pw@127.0.0.1:1/v3/"+secret+"?apikey="+secret)})
	h.Hello()
	for _, method := range []string{"eth_blockNumber", "eth_getBalance"} {
		e := h.Fails("ethRpc", map[string]any{"chainId": 1337, "method": method}, failure.ChainUnavailable)
		if strings.Contains(e.Message, "127.0.0.1") || strings.Contains(e.Message, secret) || e.Detail != "" {
			t.Errorf("%s: the page-bound error names the endpoint: %+v", method, e)
		}
	}
	log := h.stderr.String()
	if strings.Contains(log, secret) || strings.Contains(log, "pw@") {
		t.Errorf("the log holds the API key or password:\n%s", log)
	}
	if !strings.Contains(log, "http://127.0.0.1/…") {
		t.Errorf("the log does not say which endpoint failed:\n%s", log)
	}
}

// A login's certificate gives away the card's Ethereum account (its address
// is computed from the public key): readAuthCertificate names it on every
// configured chain, without the network, so the login sheet can say so.
func TestReadAuthCertificateNamesTheAccountsItsKeyGivesAway(t *testing.T) {
	h := newHarness(t, options{chains: fakeChain(t, undeployedAccountNode(nil))})
	h.Hello()
	h.insert(reader0, vcardtest.NewCard(t, nil), "mynumber")
	var cert protocol.CertificateResult
	h.OK("readAuthCertificate", nil, &cert)
	var acct protocol.EthAccountResult
	h.OK("ethAccount", map[string]any{"chainId": 1337}, &acct)
	if len(cert.Accounts) != 1 || cert.Accounts[0].ChainID != 1337 || cert.Accounts[0].Chain != "Fake chain" || cert.Accounts[0].Address != acct.Address {
		t.Fatalf("accounts %+v, want the one ethAccount derives, %s", cert.Accounts, acct.Address)
	}
	withoutChain := newHarness(t, options{})
	withoutChain.Hello()
	withoutChain.insert(reader0, vcardtest.NewCard(t, nil), "mynumber")
	var plain protocol.CertificateResult
	withoutChain.OK("readAuthCertificate", nil, &plain)
	if plain.Accounts != nil {
		t.Errorf("without a chain configuration: accounts %+v", plain.Accounts)
	}
}
