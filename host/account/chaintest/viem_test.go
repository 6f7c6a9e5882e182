package chaintest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/citest"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// viemCheckDir holds check.mjs and its pinned viem (npm ci --prefix host/account/viemcheck, run by make deps).
const viemCheckDir = "../viemcheck"

// viemCase is one verification check.mjs makes with viem; want is what a dapp's server must conclude.
type viemCase struct {
	Name      string         `json:"name"`
	Kind      string         `json:"kind"` // message, typedData or siwe
	Message   string         `json:"message,omitempty"`
	TypedData map[string]any `json:"typedData,omitempty"`
	Domain    string         `json:"domain,omitempty"` // siwe: the domain and nonce the server expects
	Nonce     string         `json:"nonce,omitempty"`
	Signature string         `json:"signature"`
	want      bool
}

// A dapp that verifies with viem (verifyMessage, verifyTypedData, verifySiweMessage over the dev chain's
// JSON-RPC) accepts the card account's personal_sign, eth_signTypedData_v4 and Sign-In with Ethereum
// signatures, ERC-6492-wrapped before deployment and plain ERC-1271 after it, and rejects tampered ones.
func TestViemVerifiesCardSignatures(t *testing.T) {
	node := requireViem(t)
	c := defaultChain(t)
	a := newCardAccount(t, c, testCard(t))
	chainID := c.ChainID()

	verifyingContract := common.HexToAddress("0x00000000000000000000000000000000000a11ce")
	app := map[string]any{"name": "Mailbox", "version": "1", "chainId": chainID.Uint64(), "verifyingContract": verifyingContract.Hex()}
	appDomain := domainSeparator("Mailbox", "1", chainID, verifyingContract)
	m := mail{to: common.HexToAddress("0x000000000000000000000000000000000000b0b0"), contents: "こんにちは"}
	typedData := func(contents string) map[string]any {
		return map[string]any{
			"domain":      app,
			"types":       map[string]any{"Mail": []map[string]string{{"name": "to", "type": "address"}, {"name": "contents", "type": "string"}}},
			"primaryType": "Mail",
			"message":     map[string]any{"to": m.to.Hex(), "contents": contents},
		}
	}
	const siweDomain = "127.0.0.1:8080"

	// cases signs the three messages as the card would and returns genuine and tampered verifications; wrap
	// is applied to every signature (ERC-6492 while the account is undeployed).
	cases := func(stage string, wrap func([]byte) []byte) []viemCase {
		text := "Hello from MynaConnect (" + stage + ")"
		_, personal := a.personalSign(chainID, []byte(text))
		_, typed := a.typedSign(chainID, appDomain, m)
		nonce := siweNonce(t)
		siwe := siweMessage(siweDomain, a.addr, chainID.Uint64(), nonce, "Sign in with your My Number card.")
		_, siweSig := a.personalSign(chainID, []byte(siwe))
		sig := func(s []byte) string { return hexutil.Encode(wrap(s)) }
		return []viemCase{
			{Name: "personal_sign", Kind: "message", Message: text, Signature: sig(personal), want: true},
			{Name: "personal_sign, flipped byte", Kind: "message", Message: text, Signature: sig(flipByte(personal, 100)), want: false},
			{Name: "personal_sign, other message", Kind: "message", Message: text + "!", Signature: sig(personal), want: false},
			{Name: "typed data", Kind: "typedData", TypedData: typedData(m.contents), Signature: sig(typed), want: true},
			{Name: "typed data, flipped byte", Kind: "typedData", TypedData: typedData(m.contents), Signature: sig(flipByte(typed, 100)), want: false},
			{Name: "typed data, other contents", Kind: "typedData", TypedData: typedData("さようなら"), Signature: sig(typed), want: false},
			{Name: "SIWE", Kind: "siwe", Message: siwe, Domain: siweDomain, Nonce: nonce, Signature: sig(siweSig), want: true},
			{Name: "SIWE, flipped byte", Kind: "siwe", Message: siwe, Domain: siweDomain, Nonce: nonce, Signature: sig(flipByte(siweSig, 100)), want: false},
			{Name: "SIWE, other statement", Kind: "siwe", Message: strings.Replace(siwe, "Sign in", "Sign away", 1), Domain: siweDomain, Nonce: nonce, Signature: sig(siweSig), want: false},
		}
	}

	if a.deployed(t) {
		t.Fatal("fresh account is already deployed")
	}
	before := cases("undeployed", a.wrap6492)
	runViem(t, node, c.RPCURL(), chainID.Uint64(), a.addr, "undeployed", before)
	if a.deployed(t) {
		t.Fatal("viem's ERC-6492 verification deployed the account")
	}

	a.deploy(t)
	after := cases("deployed", func(s []byte) []byte { return s })
	// ERC-6492 signatures made before deployment stay valid after it.
	for _, bc := range before {
		if bc.want {
			bc.Name = "pre-deployment " + bc.Name
			after = append(after, bc)
		}
	}
	runViem(t, node, c.RPCURL(), chainID.Uint64(), a.addr, "deployed", after)
}

// requireViem returns the node binary, or skips the test when node or viem is missing, except under CI.
func requireViem(t *testing.T) string {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		citest.Unavailable(t, format+" (run make deps)", args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found: %v", err)
	}
	if _, err := os.Stat(filepath.Join(viemCheckDir, "node_modules", "viem", "package.json")); err != nil {
		missing("viem is not installed in host/account/viemcheck: %v", err)
	}
	return node
}

// runViem runs check.mjs over cases and checks viem's verdicts.
func runViem(t *testing.T, node, rpc string, chainID uint64, addr common.Address, stage string, cases []viemCase) {
	t.Helper()
	input, err := json.Marshal(map[string]any{"rpc": rpc, "chainId": chainID, "address": addr.Hex(), "cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(devchaintest.Context(t), node, "check.mjs")
	cmd.Dir = viemCheckDir
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("check.mjs: %v\n%s", err, stderr.Bytes())
	}
	var report struct {
		ChainID uint64 `json:"chainId"`
		Results []struct {
			Name      string `json:"name"`
			Valid     bool   `json:"valid"`
			Error     string `json:"error"`
			RoundTrip *bool  `json:"roundTrip"`
			MS        int    `json:"ms"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("check.mjs output: %v\n%s", err, out)
	}
	t.Logf("%s: viem checked %d signatures in %v", stage, len(cases), time.Since(start).Round(time.Millisecond))
	if report.ChainID != chainID {
		t.Errorf("viem sees chain id %d, want %d", report.ChainID, chainID)
	}
	if len(report.Results) != len(cases) {
		t.Fatalf("check.mjs answered %d cases, want %d", len(report.Results), len(cases))
	}
	for i, r := range report.Results {
		want := cases[i]
		t.Run(stage+"/"+want.Name, func(t *testing.T) {
			t.Logf("valid=%v in %d ms", r.Valid, r.MS)
			if r.Error != "" {
				t.Errorf("viem threw: %s", r.Error)
			}
			if r.Valid != want.want {
				t.Errorf("viem says valid = %v, want %v", r.Valid, want.want)
			}
			if r.RoundTrip != nil && !*r.RoundTrip && want.want {
				t.Error("viem's createSiweMessage does not reproduce the signed SIWE message")
			}
		})
	}
}

// siweMessage is an EIP-4361 message as a dapp at http://domain asks personal_sign for.
func siweMessage(domain string, addr common.Address, chainID uint64, nonce, statement string) string {
	issuedAt := time.Now().UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z")
	return fmt.Sprintf("%s wants you to sign in with your Ethereum account:\n%s\n\n%s\n\nURI: http://%s/login\nVersion: 1\nChain ID: %d\nNonce: %s\nIssued At: %s",
		domain, addr.Hex(), statement, domain, chainID, nonce, issuedAt)
}

func siweNonce(t testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// flipByte returns b with byte i inverted.
func flipByte(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0xff
	return out
}
