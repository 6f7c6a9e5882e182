package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// The deployment drill: on a fresh chain that has none of the contracts, verify fails and names each one
// missing; deploy, given a funded key, puts them at the addresses docs/contracts.md publishes; verify then
// passes.
func TestContractsDeployOnAFreshChainAtThePublishedAddresses(t *testing.T) {
	c := devchaintest.Start(t, devchain.Options{Bare: true})
	keyFile := filepath.Join(t.TempDir(), "deployer.key")
	if err := os.WriteFile(keyFile, []byte(hexutil.Encode(crypto.FromECDSA(devchain.FaucetKey))+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "contracts.md"))
	if err != nil {
		t.Fatal(err)
	}
	published := regexp.MustCompile("(?m)^\\| [^|]+ \\| `(0x[0-9a-fA-F]{40})` \\|").FindAllStringSubmatch(string(doc), -1)
	if len(published) != 5 {
		t.Fatalf("docs/contracts.md lists %d addresses, want 5", len(published))
	}
	step := func(want int, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := run(devchaintest.Context(t), append([]string{"contracts"}, args...), &out, &errOut, os.Getenv); code != want {
			t.Fatalf("mynaconnect contracts %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errOut.String())
		}
		return out.String()
	}
	if out := step(1, "verify", "--rpc", c.RPCURL()); strings.Count(out, "missing") != 5 {
		t.Errorf("verify on a bare chain:\n%s", out)
	}
	deployed := step(0, "deploy", "--rpc", c.RPCURL(), "--key", keyFile)
	for _, m := range published {
		if !strings.Contains(deployed, m[1]) || !regexp.MustCompile(`present\s+.*`+m[1]).MatchString(deployed) {
			t.Errorf("the deployment does not report %s present:\n%s", m[1], deployed)
		}
	}
	if out := step(0, "verify", "--rpc", c.RPCURL()); strings.Count(out, "present") != 5 {
		t.Errorf("verify after the deployment:\n%s", out)
	}
}

func TestContractsUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := runContracts(t.Context(), []string{"--help"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "deterministic deployment proxy") {
		t.Errorf("--help: exit %d\n%s", code, out.String())
	}
	for _, args := range [][]string{{"publish"}, {"verify"}, {"deploy", "--rpc", "http://x"}, {"verify", "--rpc", "http://x", "--key", "k"},
		{"verify", "--rpc", "http://x", "extra"}, {"deploy", "--rpc", "http://x", "--key", "/nonexistent"}} {
		errOut.Reset()
		if code := runContracts(t.Context(), args, &out, &errOut); code != 2 || errOut.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}
