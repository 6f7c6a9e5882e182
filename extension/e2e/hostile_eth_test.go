package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// The security review's attack on eth_signTypedData_v4, through the real
// path (page → extension → sheet → host → card): one text that one JSON
// parser reads as a harmless greeting and another as an unlimited ERC-2612
// Permit on a token. Before the fix the sheet showed the greeting and the
// card signed the Permit. Now the one strict reading refuses the text: the
// page gets INVALID_PARAMS with the reason, and the card signs nothing.
func TestTypedDataThatParsersReadApartGetsNoSignature(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card, chain: true})
	acct := e.cardAccount(devchaintest.Ether(1), devchaintest.Ether(10))
	page := e.open(e.site().Origin())
	startRequest(t, page, "connect", "eth_requestAccounts", nil)
	c := e.consent()
	e.step(c, "sheet")
	// In Chromium the Ethereum sheets are the sheet host's (sheethost.js),
	// already running: the readings below are that module's, called from
	// each window.
	if from := eval[string](t, c, `document.body.dataset.sheetFrom`); from != "host" {
		t.Errorf("the connect sheet came from %q, want the sheet host", from)
	}
	// Double-click-jacking: a click that lands as the window comes to the
	// front does not approve (connect needs no PIN, so nothing else would
	// stop it). The focus event re-arms the delay, so this is deterministic.
	if step := eval[string](t, c, `(() => {
		window.dispatchEvent(new Event('focus'));
		document.querySelector('#approve').click();
		return document.body.dataset.step + (document.querySelector('#approve').disabled ? ':disabled' : ':enabled');
	})()`); step != "sheet:disabled" {
		t.Errorf("a click as the window came to the front: %s, want the sheet still shown with 許可 disabled", step)
	}
	e.approve(c)
	requestResult(t, page, "connect")
	e.waitClosed(c)

	greeting := `{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"Greeting":[{"name":"text","type":"string"}],` +
		`"Permit":[{"name":"owner","type":"address"},{"name":"spender","type":"address"},{"name":"value","type":"uint256"},{"name":"nonce","type":"uint256"},{"name":"deadline","type":"uint256"}]},` +
		`"primaryType":"Greeting","domain":{"name":"Hello"},"message":{"text":"hi"}`
	permit := `{"owner":"` + acct.Hex() + `","spender":"0x2222222222222222222222222222222222222222","value":"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff","nonce":0,"deadline":"99999999999"}`
	token := `{"name":"JPY Coin","version":"1","chainId":1337,"verifyingContract":"` + e.chain.Token().Hex() + `"}`
	attacks := map[string]any{
		// Go's encoding/json folds case: it read these as the members.
		"case-variant members": greeting + `,"PrimaryType":"Permit","Domain":` + token + `,"Message":` + permit + `}`,
		// JSON.parse keeps the last duplicate, encoding/json merged them.
		"exact duplicates": greeting + `,"primaryType":"Permit","message":` + permit + `}`,
		// Unicode folding: ſ (U+017F) folds to s.
		"folded member name": greeting + `,"me\u017f\u017fage":` + permit + `}`,
		// The same attack as an object: serialized once, refused the same.
		"object with a case variant": map[string]any{
			"types":       map[string]any{"EIP712Domain": []any{map[string]any{"name": "name", "type": "string"}}, "Greeting": []any{map[string]any{"name": "text", "type": "string"}}},
			"primaryType": "Greeting", "PrimaryType": "Permit", "domain": map[string]any{"name": "Hello"}, "message": map[string]any{"text": "hi"},
		},
	}
	for name, typed := range attacks {
		startRequest(t, page, "typed", "eth_signTypedData_v4", []any{acct.Hex(), typed})
		if r := requestResult(t, page, "typed"); r.Code != -32602 || r.Reason != "INVALID_PARAMS" || !strings.Contains(r.Message, "typed data:") {
			t.Errorf("%s: the page got %s, want -32602 INVALID_PARAMS with the decoder's reason", name, r)
		}
	}
	if n := card.Count(insSign); n != 0 {
		t.Errorf("the card signed %d times", n)
	}
	if containsPIN(verifies(card)) {
		t.Errorf("a PIN reached the card: VERIFY status words %04x", verifies(card))
	}
	if ids := e.consentTargets(); len(ids) != 0 {
		t.Errorf("%d consent windows are left open", len(ids))
	}
}

// A login sends the certificate, whose public key is the card account's
// owner: the login sheet says that sites can link logins by it and names
// the account on the configured chain.
func TestTheLoginSheetNamesTheAccountTheCertificateGivesAway(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card, chain: true})
	acct := e.cardAccount(nil, nil)
	page := e.open(e.site().Origin())
	e.startLogin(page)
	c := e.consent()
	e.step(c, "sheet")
	if got := eval[string](t, c, `document.querySelector('[data-field="linkedAccount"]')?.textContent ?? ''`); !strings.EqualFold(strings.ReplaceAll(got, " ", ""), acct.Hex()) {
		t.Errorf("the login sheet names account %q, want %s", got, acct.Hex())
	}
	if note := eval[string](t, c, `document.querySelector('[data-item="publicKey"]').textContent`); !strings.Contains(note, "同じ人だと分かります") {
		t.Errorf("the public key's note does not say logins can be linked: %q", note)
	}
	e.shot(c, "login-linkability")
	e.cancelConsent(c)
}

// A page that opens the consent window again right after the person
// declined twice gets COOLDOWN, with no window: it cannot wear the person
// down or have a click land on 許可 by re-asking in a loop. One decline is
// free: a person may cancel and mean to try again.
func TestASiteThatReasksAfterDeclinesGetsCooldown(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card, chain: true})
	page := e.open(e.site().Origin())
	for _, name := range []string{"first", "second"} {
		startRequest(t, page, name, "eth_requestAccounts", nil)
		c := e.consent()
		e.step(c, "sheet")
		e.cancelConsent(c)
		if r := requestResult(t, page, name); r.Reason != "USER_REJECTED" {
			t.Fatalf("the %s request, cancelled: %s", name, r)
		}
		e.waitClosed(c)
	}
	if r := request(t, page, "eth_requestAccounts", nil); r.Code != 4001 || r.Reason != "COOLDOWN" {
		t.Errorf("asking again at once: %s, want 4001 COOLDOWN", r)
	}
	if ids := e.consentTargets(); len(ids) != 0 {
		t.Errorf("%d consent windows opened during the cooldown", len(ids))
	}
	// Requests that need no window are not held back.
	if r := request(t, page, "eth_chainId", nil); !r.OK {
		t.Errorf("eth_chainId during the cooldown: %s", r)
	}
}

// A chain endpoint that is down: any https page can make the host call it
// (eth_blockNumber needs no connection), and the error the page gets must
// not carry the configured URL, whose path and query hold an API key.
func TestAnUnreachableRPCURLDoesNotReachThePage(t *testing.T) {
	const secret = "k3y-0f-th3-us3r"
	f := &chainconfig.File{Format: chainconfig.Format, Networks: []chainconfig.Network{{
		Name: "Unreachable chain", ChainID: 1337, RPCURL: "http://user:pw@127.0.0.1:1/v3/" + secret + "?apikey=" + secret,
		EntryPoint:     common.HexToAddress("0x4337084d9e255ff0702461cf8895ce9e3b5ff108"),
		AccountFactory: common.HexToAddress("0x00000000000000000000000000000000000000fa"),
		NativeCurrency: chainconfig.Currency{Name: "Ether", Symbol: "ETH", Decimals: 18},
	}}}
	path := filepath.Join(t.TempDir(), "chains.json")
	if err := f.Write(path); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOptions{chains: path})
	page := e.open(e.site().Origin())
	r := request(t, page, "eth_blockNumber", nil)
	if r.OK || r.Reason != "CHAIN_DISCONNECTED" {
		t.Fatalf("eth_blockNumber: %s, want CHAIN_DISCONNECTED", r)
	}
	for _, leak := range []string{secret, "127.0.0.1:1", "pw@"} {
		if strings.Contains(r.Message, leak) {
			t.Errorf("the page's error names the endpoint (%q): %s", leak, r.Message)
		}
	}
}
