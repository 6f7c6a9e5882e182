package demoserver_test

import (
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
)

func siteFile(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(mynaconnect.TestSignSite(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The Ethereum section's element ids are the browser tests' handles: each one the README documents is in
// the page, each one the page has is documented, and each one eth.js looks up exists.
func TestEthSectionIDsAreDocumented(t *testing.T) {
	page := siteFile(t, "index.html")
	script := siteFile(t, "eth.js")
	readme, err := os.ReadFile("../../../testdata/testsign/README.md")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`\sid="(eth-[a-z0-9-]+)"`).FindAllStringSubmatch(page, -1) {
		if ids[m[1]] {
			t.Errorf("index.html has id %q twice", m[1])
		}
		ids[m[1]] = true
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("`#(eth-[a-z0-9-]+)").FindAllStringSubmatch(string(readme), -1) {
		documented[m[1]] = true
	}
	for _, want := range []string{"eth-connect", "eth-account", "eth-chain-id", "eth-balance-eth", "eth-balance-jpyc",
		"eth-faucet", "eth-sign", "eth-sign-result", "eth-siwe", "eth-siwe-result", "eth-typed", "eth-typed-result",
		"eth-to", "eth-amount-eth", "eth-send-eth", "eth-amount-jpyc", "eth-send-jpyc", "eth-batch", "eth-batch-result",
		"eth-receipt", "eth-events"} {
		if !ids[want] {
			t.Errorf("index.html has no #%s", want)
		}
	}
	for id := range documented {
		if !ids[id] {
			t.Errorf("the README documents #%s, which index.html lacks", id)
		}
	}
	for id := range ids {
		if !documented[id] {
			t.Errorf("index.html has #%s, which the README does not document", id)
		}
	}
	for _, m := range regexp.MustCompile(`\$\('([a-z0-9-]+)'\)|run\('([a-z0-9-]+)', '([a-z0-9-]+)'|show\('([a-z0-9-]+)'|working\('([a-z0-9-]+)'`).FindAllStringSubmatch(script, -1) {
		for _, id := range m[1:] {
			if id != "" && !ids[id] {
				t.Errorf("eth.js uses #%s, which index.html lacks", id)
			}
		}
	}
}

// eth.js builds everything with textContent and DOM nodes, talks to the wallet through EIP-1193 request()
// only, and loads nothing from elsewhere.
func TestEthScriptIsSafeUnderTheCSP(t *testing.T) {
	script := siteFile(t, "eth.js")
	for _, banned := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "import(", "http://", "https://", "sendAsync", ".send("} {
		if strings.Contains(script, banned) {
			t.Errorf("eth.js contains %q", banned)
		}
	}
	if !strings.Contains(siteFile(t, "index.html"), `<script src="eth.js" defer></script>`) {
		t.Error("index.html does not load eth.js")
	}
	for _, method := range []string{"eth_requestAccounts", "eth_chainId", "eth_getBalance", "eth_call", "personal_sign",
		"eth_signTypedData_v4", "eth_sendTransaction", "wallet_sendCalls", "wallet_getCallsStatus", "eth_getTransactionReceipt",
		"wallet_switchEthereumChain", "'accountsChanged'", "'chainChanged'", "eip6963:requestProvider", "'jp.mynaconnect'"} {
		if !strings.Contains(script, method) {
			t.Errorf("eth.js does not use %s", method)
		}
	}
}

// Every failure the Ethereum API names has words on the page, in Japanese and English.
func TestEthScriptExplainsEveryCode(t *testing.T) {
	script := siteFile(t, "eth.js")
	for _, code := range []string{
		demoserver.CodeEthNotConfigured, demoserver.CodeChainUnavailable, demoserver.CodeBadAddress,
		demoserver.CodeMalformedSignature, demoserver.CodeMalformedTypedData, demoserver.CodeMalformedMessage,
		demoserver.CodeBadSignature, demoserver.CodeWrongChain, demoserver.CodeWrongDomain, demoserver.CodeWrongURI,
		demoserver.CodeWrongNonce, demoserver.CodeWrongAddress, demoserver.CodeMessageAltered, demoserver.CodeNoSession,
		demoserver.CodeNoChallenge, demoserver.CodeNonceReplayed, demoserver.CodeNonceExpired,
		demoserver.CodeFaucetDisabled, demoserver.CodeFaucetRateLimited, demoserver.CodeFaucetFailed,
	} {
		if !regexp.MustCompile(`\n\s+` + code + `: \['[^']*[^\x00-\x7f][^']*', '[^']+'\]`).MatchString(script) {
			t.Errorf("eth.js has no Japanese and English text for %s", code)
		}
	}
}

func TestEthScriptIsServed(t *testing.T) {
	h := newHarness(t, nil)
	r := h.do("GET", "/eth.js", "", "", nil, "")
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), "javascript") || r.header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET /eth.js: %d %q, CSP %q", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Security-Policy"))
	}
}
