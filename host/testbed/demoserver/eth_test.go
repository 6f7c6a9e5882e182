package demoserver_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/testbed/demoserver"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// One dev chain for the tests of this package, started by the first that needs it; tests keep out of each
// other's way with accounts of their own (accountIndex).
var (
	devOnce      sync.Once
	dev          *devchain.Chain
	devConfig    string // its chain config file
	devErr       error
	accountIndex atomic.Int64
)

func TestMain(m *testing.M) {
	code := m.Run()
	if dev != nil {
		dev.Close()
		os.RemoveAll(filepath.Dir(devConfig))
	}
	os.Exit(code)
}

func devChain(t *testing.T) *devchain.Chain {
	t.Helper()
	devOnce.Do(func() {
		dir, err := os.MkdirTemp("", "demoserver-devchain-")
		if err != nil {
			devErr = err
			return
		}
		devConfig = filepath.Join(dir, "chains.json")
		dev, devErr = devchain.Start(context.Background(), devchain.Options{Addr: "127.0.0.1:0", ConfigPath: devConfig})
	})
	if devErr != nil {
		t.Fatal(devErr)
	}
	return dev
}

// ethHarness is the site with the dev chain's configuration; edit changes the configuration file first.
func ethHarness(t *testing.T, edit func(*chainconfig.File)) *harness {
	t.Helper()
	devChain(t)
	path := devConfig
	if edit != nil {
		f, err := chainconfig.Load(devConfig)
		if err != nil {
			t.Fatal(err)
		}
		edit(f)
		path = filepath.Join(t.TempDir(), "chains.json")
		if err := f.Write(path); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, func(c *demoserver.Config) { c.ChainConfig = path; c.NonceTTL = 5 * time.Minute })
	t.Cleanup(func() { h.srv.Close() })
	return h
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// cardSigner is the shared virtual card's auth key as a crypto.Signer, one signature at a time.
type cardSigner struct{ c *card }

func (s cardSigner) Public() crypto.PublicKey { return s.key() }
func (s cardSigner) key() *rsa.PublicKey {
	cert, err := x509.ParseCertificate(s.c.cert)
	if err != nil {
		panic(err)
	}
	return cert.PublicKey.(*rsa.PublicKey)
}
func (s cardSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	return s.c.signer.Sign(r, digest, opts)
}

// cardAccount is a fresh account of the virtual card on the dev chain, as the host signs for it.
func cardAccount(t *testing.T) (*account.Account, *big.Int) {
	t.Helper()
	c := devChain(t)
	owner, err := account.OwnerFromCertificate(sharedCard(t).cert)
	if err != nil {
		t.Fatal(err)
	}
	client, err := rpc.DialContext(ctxFor(t), c.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	index := big.NewInt(accountIndex.Add(1))
	a, err := account.New(ctxFor(t), client, account.Config{Factory: c.AccountFactory(), EntryPoint: c.EntryPoint(), Index: index},
		owner, cardSigner{sharedCard(t)})
	if err != nil {
		t.Fatal(err)
	}
	return a, index
}

func deployAccount(t *testing.T, a *account.Account, index *big.Int) {
	t.Helper()
	data, err := a.Owner().FactoryData(index)
	if err != nil {
		t.Fatal(err)
	}
	c := devChain(t)
	f := c.AccountFactory()
	if _, err := c.Send(ctxFor(t), devchain.FaucetKey, &f, nil, data); err != nil {
		t.Fatal(err)
	}
}

func signPersonal(t *testing.T, a *account.Account, msg string) string {
	t.Helper()
	sig, err := a.SignPersonal(ctxFor(t), []byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	return hexutil.Encode(sig.Bytes)
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// post sends the page's request to the Ethereum API.
func (h *harness) post(path string, body any, session *http.Cookie) response {
	h.t.Helper()
	return h.do("POST", path, "application/json", jsonBody(h.t, body), session, siteOrigin)
}

// session starts a session the way the page does, by asking for the chain info.
func (h *harness) ethSession() *http.Cookie {
	h.t.Helper()
	r := h.post("/api/eth/chain", map[string]any{}, nil)
	if r.status != http.StatusOK || r.session == nil {
		h.t.Fatalf("/api/eth/chain: %d %s", r.status, r.raw)
	}
	return r.session
}

func typedMail(chainID uint64, contents string) string {
	b, _ := json.Marshal(map[string]any{
		"types": map[string]any{
			"EIP712Domain": []map[string]string{{"name": "name", "type": "string"}, {"name": "version", "type": "string"}, {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}},
			"Person":       []map[string]string{{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}},
			"Mail":         []map[string]string{{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}},
		},
		"primaryType": "Mail",
		"domain":      map[string]any{"name": "Ether Mail", "version": "1", "chainId": chainID, "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
		"message": map[string]any{
			"from":     map[string]string{"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
			"to":       map[string]string{"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
			"contents": contents,
		},
	})
	return string(b)
}

func wantCode(t *testing.T, r response, status int, code string) {
	t.Helper()
	if r.status != status || r.code() != code {
		t.Fatalf("got %d %q, want %d %q; body %s", r.status, r.code(), status, code, r.raw)
	}
	if code != "" {
		if msg, _ := r.body["message"].(string); msg == "" {
			t.Errorf("no message with %s", code)
		}
	}
}

func TestChainInfo(t *testing.T) {
	h := ethHarness(t, nil)
	c := devChain(t)
	r := h.post("/api/eth/chain", map[string]any{}, nil)
	wantCode(t, r, http.StatusOK, "")
	var info demoserver.ChainInfo
	if err := json.Unmarshal([]byte(r.raw), &info); err != nil {
		t.Fatal(err)
	}
	if info.ChainID != "0x539" || info.ChainIDDecimal != 1337 || info.JPYC != c.Token().Hex() || !info.Faucet ||
		info.NativeCurrency.Symbol != "ETH" || len(info.Tokens) != 1 || info.Tokens[0].Decimals != 18 {
		t.Errorf("chain info %+v", info)
	}
	if r.session == nil || !r.session.HttpOnly || r.session.SameSite != http.SameSiteStrictMode {
		t.Errorf("the chain info did not start a strict session: %v", r.session)
	}
	if again := h.post("/api/eth/chain", map[string]any{}, r.session); again.session != nil {
		t.Error("a second chain info replaced the session")
	}
}

func TestEthAPIWithoutAChainConfiguration(t *testing.T) {
	h := newHarness(t, nil)
	for _, path := range []string{"/api/eth/chain", "/api/eth/verify-message", "/api/eth/siwe/message", "/api/eth/faucet"} {
		wantCode(t, h.post(path, map[string]any{}, nil), http.StatusServiceUnavailable, demoserver.CodeEthNotConfigured)
	}
	if _, err := demoserver.New(demoserver.Config{Origin: siteOrigin, TrustAnchors: []*x509.Certificate{testPKI(t).AuthCA.Cert}, ChainConfig: filepath.Join(t.TempDir(), "none.json")}); err == nil {
		t.Error("New accepted a chain configuration that does not exist")
	}
}

func TestEthRequestRules(t *testing.T) {
	h := ethHarness(t, nil)
	wantCode(t, h.post("/api/eth/nothing", map[string]any{}, nil), http.StatusNotFound, demoserver.CodeNotFound)
	wantCode(t, h.do("GET", "/api/eth/chain", "", "", nil, ""), http.StatusMethodNotAllowed, demoserver.CodeMethodNotAllowed)
	wantCode(t, h.do("POST", "/api/eth/chain", "application/json", "{}", nil, "http://localhost:8443"), http.StatusForbidden, demoserver.CodeCrossOrigin)
	wantCode(t, h.do("POST", "/api/eth/chain", "text/plain", "{}", nil, siteOrigin), http.StatusUnsupportedMediaType, demoserver.CodeUnsupportedMedia)
	wantCode(t, h.do("POST", "/api/eth/verify-message", "application/json", `{"address":"`+strings.Repeat("a", 70<<10)+`"}`, nil, siteOrigin), http.StatusRequestEntityTooLarge, demoserver.CodeBodyTooLarge)
	wantCode(t, h.post("/api/eth/verify-message", map[string]any{"address": "0x00", "message": "m", "signature": "0x00", "extra": 1}, nil), http.StatusBadRequest, demoserver.CodeMalformedRequest)
}

func TestVerifyMessage(t *testing.T) {
	h := ethHarness(t, nil)
	a, index := cardAccount(t)
	const msg = "test - sign で署名します\nこんにちは"
	sig := signPersonal(t, a, msg)
	eoa, err := ethcrypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	eoaSig, err := ethcrypto.Sign(accounts.TextHash([]byte(msg)), eoa)
	if err != nil {
		t.Fatal(err)
	}
	eoaSig[64] += 27
	addr := a.Address().Hex()
	tampered := []byte(sig)
	tampered[200] ^= 1 // a hex digit of the card's signature, another hex digit
	tests := []struct {
		name       string
		body       map[string]any
		wantStatus int
		wantCode   string
		wantMethod string
	}{
		{"an undeployed card account", map[string]any{"address": addr, "message": msg, "signature": sig}, 200, "", "ERC-6492"},
		{"lower-case address", map[string]any{"address": strings.ToLower(addr), "message": msg, "signature": sig}, 200, "", "ERC-6492"},
		{"an EOA", map[string]any{"address": ethcrypto.PubkeyToAddress(eoa.PublicKey).Hex(), "message": msg, "signature": hexutil.Encode(eoaSig)}, 200, "", "EOA"},
		{"another message", map[string]any{"address": addr, "message": msg + ".", "signature": sig}, 401, demoserver.CodeBadSignature, ""},
		{"another address", map[string]any{"address": ethcrypto.PubkeyToAddress(eoa.PublicKey).Hex(), "message": msg, "signature": sig}, 401, demoserver.CodeBadSignature, ""},
		{"a tampered signature", map[string]any{"address": addr, "message": msg, "signature": string(tampered)}, 401, demoserver.CodeBadSignature, ""},
		{"a signature that is not hex", map[string]any{"address": addr, "message": msg, "signature": "0xzz"}, 400, demoserver.CodeMalformedSignature, ""},
		{"an empty signature", map[string]any{"address": addr, "message": msg, "signature": "0x"}, 400, demoserver.CodeMalformedSignature, ""},
		{"an address that is not one", map[string]any{"address": "0x1234", "message": msg, "signature": sig}, 400, demoserver.CodeBadAddress, ""},
		{"a wrong checksum", map[string]any{"address": wrongChecksum(addr), "message": msg, "signature": sig}, 400, demoserver.CodeBadAddress, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.post("/api/eth/verify-message", tt.body, nil)
			wantCode(t, r, tt.wantStatus, tt.wantCode)
			if tt.wantStatus == 200 && (r.body["verified"] != true || r.body["method"] != tt.wantMethod || r.body["chainId"] != 1337.0) {
				t.Errorf("body %s, want method %s", r.raw, tt.wantMethod)
			}
			if tt.wantStatus != 200 && r.body["verified"] != false {
				t.Errorf("verified is not false: %s", r.raw)
			}
		})
	}

	// Once the account is deployed, the signature made before still verifies, now by ERC-1271, and so does
	// a new one.
	deployAccount(t, a, index)
	for _, s := range []string{sig, signPersonal(t, a, msg)} {
		r := h.post("/api/eth/verify-message", map[string]any{"address": addr, "message": msg, "signature": s}, nil)
		wantCode(t, r, 200, "")
		if r.body["method"] != "ERC-1271" {
			t.Errorf("deployed: %s", r.raw)
		}
	}
}

// wrongChecksum changes the case of one letter of an EIP-55 address.
func wrongChecksum(addr string) string {
	i := strings.IndexAny(addr[2:], "abcdefABCDEF") + 2
	c := addr[i : i+1]
	if strings.ToLower(c) == c {
		c = strings.ToUpper(c)
	} else {
		c = strings.ToLower(c)
	}
	return addr[:i] + c + addr[i+1:]
}

func TestVerifyTypedData(t *testing.T) {
	h := ethHarness(t, nil)
	a, _ := cardAccount(t)
	typed := typedMail(1337, "こんにちは")
	sig, err := a.SignTypedData(ctxFor(t), devchaintest.DecodeTypedData(t, []byte(typed)))
	if err != nil {
		t.Fatal(err)
	}
	sigHex := hexutil.Encode(sig.Bytes)
	addr := a.Address().Hex()
	tests := []struct {
		name       string
		typedData  any
		signature  string
		wantStatus int
		wantCode   string
	}{
		{"an object", json.RawMessage(typed), sigHex, 200, ""},
		{"a JSON string, as eth_signTypedData_v4 takes it", typed, sigHex, 200, ""},
		{"another message", json.RawMessage(typedMail(1337, "こんばんは")), sigHex, 401, demoserver.CodeBadSignature},
		{"a domain of another chain", json.RawMessage(typedMail(1, "こんにちは")), sigHex, 401, demoserver.CodeWrongChain},
		{"not typed data", json.RawMessage(`{"types":{}}`), sigHex, 400, demoserver.CodeMalformedTypedData},
		{"a value of the wrong type", json.RawMessage(strings.Replace(typed, `"wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"`, `"wallet":"cow"`, 1)), sigHex, 400, demoserver.CodeMalformedTypedData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.post("/api/eth/verify-typed-data", map[string]any{"address": addr, "typedData": tt.typedData, "signature": tt.signature}, nil)
			wantCode(t, r, tt.wantStatus, tt.wantCode)
			if tt.wantStatus == 200 && (r.body["method"] != "ERC-6492" || r.body["hash"] != sig.Hash.Hex()) {
				t.Errorf("body %s, want ERC-6492 over %s", r.raw, sig.Hash)
			}
		})
	}
}

// siweMessage asks for a sign-in message for addr in session s.
func (h *harness) siweMessage(addr common.Address, s *http.Cookie) (string, *http.Cookie) {
	h.t.Helper()
	r := h.post("/api/eth/siwe/message", map[string]any{"address": addr.Hex()}, s)
	if r.status != http.StatusOK {
		h.t.Fatalf("siwe/message: %d %s", r.status, r.raw)
	}
	if r.session != nil {
		s = r.session
	}
	msg, _ := r.body["message"].(string)
	return msg, s
}

func TestSignInWithEthereum(t *testing.T) {
	a, _ := cardAccount(t)
	other, _ := cardAccount(t)
	verify := func(h *harness, msg, sig string, s *http.Cookie) response {
		return h.post("/api/eth/siwe/verify", map[string]any{"message": msg, "signature": sig}, s)
	}
	edited := func(h *harness, old, new string) response {
		msg, s := h.siweMessage(a.Address(), nil)
		m := strings.Replace(msg, old, new, 1)
		if m == msg {
			h.t.Fatalf("%q is not in the message %q", old, msg)
		}
		return verify(h, m, signPersonal(h.t, a, m), s)
	}
	tests := []struct {
		name       string
		run        func(h *harness) response
		wantStatus int
		wantCode   string
	}{
		{"a message signed as issued", func(h *harness) response {
			msg, s := h.siweMessage(a.Address(), nil)
			return verify(h, msg, signPersonal(h.t, a, msg), s)
		}, 200, ""},
		{"the same message again is a replay", func(h *harness) response {
			msg, s := h.siweMessage(a.Address(), nil)
			sig := signPersonal(h.t, a, msg)
			if r := verify(h, msg, sig, s); r.status != 200 {
				h.t.Fatalf("first: %s", r.raw)
			}
			return verify(h, msg, sig, s)
		}, 401, demoserver.CodeNonceReplayed},
		{"a second attempt after a failed one is a replay too", func(h *harness) response {
			msg, s := h.siweMessage(a.Address(), nil)
			verify(h, msg, "0x00", s)
			return verify(h, msg, signPersonal(h.t, a, msg), s)
		}, 401, demoserver.CodeNonceReplayed},
		{"an expired message", func(h *harness) response {
			msg, s := h.siweMessage(a.Address(), nil)
			sig := signPersonal(h.t, a, msg)
			h.clock.Add(6 * time.Minute)
			return verify(h, msg, sig, s)
		}, 401, demoserver.CodeNonceExpired},
		{"another domain", func(h *harness) response { return edited(h, "127.0.0.1:8443 wants", "evil.example wants") }, 401, demoserver.CodeWrongDomain},
		{"another URI", func(h *harness) response {
			return edited(h, "URI: http://127.0.0.1:8443", "URI: http://evil.example")
		}, 401, demoserver.CodeWrongURI},
		{"another chain", func(h *harness) response { return edited(h, "Chain ID: 1337", "Chain ID: 1") }, 401, demoserver.CodeWrongChain},
		{"another address", func(h *harness) response {
			msg, s := h.siweMessage(a.Address(), nil)
			m := strings.Replace(msg, a.Address().Hex(), other.Address().Hex(), 1)
			return verify(h, m, signPersonal(h.t, other, m), s)
		}, 401, demoserver.CodeWrongAddress},
		{"an altered statement", func(h *harness) response {
			return edited(h, "Sign in to test - sign", "Sign in to test - sign and pay")
		}, 401, demoserver.CodeMessageAltered},
		{"another session's message", func(h *harness) response {
			msg, _ := h.siweMessage(a.Address(), nil)
			_, mine := h.siweMessage(a.Address(), nil)
			return verify(h, msg, signPersonal(h.t, a, msg), mine)
		}, 401, demoserver.CodeWrongNonce},
		{"an earlier message of this session", func(h *harness) response {
			first, s := h.siweMessage(a.Address(), nil)
			_, s = h.siweMessage(a.Address(), s)
			return verify(h, first, signPersonal(h.t, a, first), s)
		}, 401, demoserver.CodeWrongNonce},
		{"a tampered signature", func(h *harness) response {
			msg, s := h.siweMessage(a.Address(), nil)
			sig := []byte(signPersonal(h.t, a, msg))
			sig[200] ^= 1
			return verify(h, msg, string(sig), s)
		}, 401, demoserver.CodeBadSignature},
		{"signed by another account", func(h *harness) response {
			msg, s := h.siweMessage(a.Address(), nil)
			return verify(h, msg, signPersonal(h.t, other, msg), s)
		}, 401, demoserver.CodeBadSignature},
		{"not a sign-in message", func(h *harness) response {
			_, s := h.siweMessage(a.Address(), nil)
			return verify(h, "hello", "0x00", s)
		}, 400, demoserver.CodeMalformedMessage},
		{"CRLF line ends", func(h *harness) response {
			msg, s := h.siweMessage(a.Address(), nil)
			m := strings.ReplaceAll(msg, "\n", "\r\n")
			return verify(h, m, signPersonal(h.t, a, m), s)
		}, 400, demoserver.CodeMalformedMessage},
		{"no session", func(h *harness) response {
			msg, _ := h.siweMessage(a.Address(), nil)
			return verify(h, msg, signPersonal(h.t, a, msg), nil)
		}, 401, demoserver.CodeNoSession},
		{"a session that never asked for a message", func(h *harness) response {
			msg, _ := h.siweMessage(a.Address(), nil)
			return verify(h, msg, signPersonal(h.t, a, msg), h.ethSession())
		}, 401, demoserver.CodeNoChallenge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := ethHarness(t, nil)
			r := tt.run(h)
			wantCode(t, r, tt.wantStatus, tt.wantCode)
			if tt.wantStatus == 200 {
				if r.body["verified"] != true || r.body["address"] != a.Address().Hex() || r.body["method"] != "ERC-6492" {
					t.Errorf("body %s", r.raw)
				}
				if r.session == nil {
					t.Error("the session id was not replaced after the sign-in")
				}
			}
		})
	}
}

func TestSignInMessageIsForThisSite(t *testing.T) {
	h := ethHarness(t, nil)
	a, _ := cardAccount(t)
	msg, s := h.siweMessage(a.Address(), nil)
	want := "127.0.0.1:8443 wants you to sign in with your Ethereum account:\n" + a.Address().Hex() + "\n\n" +
		"Sign in to test - sign with your Ethereum account.\n\nURI: http://127.0.0.1:8443\nVersion: 1\nChain ID: 1337\nNonce: "
	if !strings.HasPrefix(msg, want) || !strings.HasSuffix(msg, "\nIssued At: 2027-01-01T00:00:00Z\nExpiration Time: 2027-01-01T00:05:00Z") {
		t.Errorf("message %q", msg)
	}
	if s == nil {
		t.Error("no session cookie")
	}
	wantCode(t, h.post("/api/eth/siwe/message", map[string]any{"address": "alice.eth"}, nil), 400, demoserver.CodeBadAddress)
}

func balances(t *testing.T, who common.Address) (eth, jpyc *big.Int) {
	t.Helper()
	c := devChain(t)
	eth, err := c.Client().BalanceAt(ctxFor(t), who, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := contracts.TestJPYC.Pack("balanceOf", who)
	if err != nil {
		t.Fatal(err)
	}
	tok := c.Token()
	out, err := c.Client().CallContract(ctxFor(t), ethereum.CallMsg{To: &tok, Data: data}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return eth, new(big.Int).SetBytes(out)
}

func TestFaucet(t *testing.T) {
	h := ethHarness(t, nil)
	a, _ := cardAccount(t)
	s := h.ethSession()
	r := h.post("/api/eth/faucet", map[string]any{"address": a.Address().Hex()}, s)
	wantCode(t, r, 200, "")
	if r.body["funded"] != true || r.body["eth"] != "1" || r.body["jpyc"] != "10000" {
		t.Errorf("faucet: %s", r.raw)
	}
	if txs, _ := r.body["transactions"].([]any); len(txs) != 2 {
		t.Errorf("transactions: %s", r.raw)
	}
	eth, jpyc := balances(t, a.Address())
	if want := big.NewInt(1e18); eth.Cmp(want) != 0 {
		t.Errorf("ETH balance %s, want %s", eth, want)
	}
	if want := new(big.Int).Mul(big.NewInt(10_000), big.NewInt(1e18)); jpyc.Cmp(want) != 0 {
		t.Errorf("JPYC balance %s, want %s", jpyc, want)
	}

	r = h.post("/api/eth/faucet", map[string]any{"address": a.Address().Hex()}, s)
	wantCode(t, r, http.StatusTooManyRequests, demoserver.CodeFaucetRateLimited)
	if r.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	h.clock.Add(time.Minute)
	wantCode(t, h.post("/api/eth/faucet", map[string]any{"address": a.Address().Hex()}, s), 200, "")

	wantCode(t, h.post("/api/eth/faucet", map[string]any{"address": a.Address().Hex()}, nil), http.StatusUnauthorized, demoserver.CodeNoSession)
	wantCode(t, h.post("/api/eth/faucet", map[string]any{"address": "0x"}, s), http.StatusBadRequest, demoserver.CodeBadAddress)

	noDev := ethHarness(t, func(f *chainconfig.File) { f.Networks[0].Dev = nil })
	r = noDev.post("/api/eth/chain", map[string]any{}, nil)
	if r.body["faucet"] != false {
		t.Errorf("chain info without a dev section: %s", r.raw)
	}
	wantCode(t, noDev.post("/api/eth/faucet", map[string]any{"address": a.Address().Hex()}, r.session), http.StatusForbidden, demoserver.CodeFaucetDisabled)
}

// A configuration whose endpoint serves another chain than it says is refused before any signature is
// reported valid for the wrong chain.
func TestEndpointOfAnotherChain(t *testing.T) {
	h := ethHarness(t, func(f *chainconfig.File) { f.Networks[0].ChainID = 31337 })
	a, _ := cardAccount(t)
	const msg = "hello"
	r := h.post("/api/eth/verify-message", map[string]any{"address": a.Address().Hex(), "message": msg, "signature": signPersonal(t, a, msg)}, nil)
	wantCode(t, r, http.StatusBadGateway, demoserver.CodeChainUnavailable)
	if !strings.Contains(r.body["message"].(string), "serves chain 1337") {
		t.Errorf("message: %s", r.raw)
	}
}
