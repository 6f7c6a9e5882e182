package main

import (
	"bytes"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// writeKey writes key to a file, as an operator keeps it.
func writeKey(t *testing.T, key string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "operator.key")
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// An operator's life with a paymaster, on the dev chain: deploy it for test JPYC at ¥400,000/ETH, deposit,
// stake, change the rate, withdraw; each command prints the status it left. Another key is refused.
func TestThePaymasterOperatorsCommands(t *testing.T) {
	c := devchaintest.Start(t, devchain.Options{})
	operator := writeKey(t, hexutil.Encode(crypto.FromECDSA(devchain.FaucetKey)))
	stranger, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	run := func(want int, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := runPaymaster(devchaintest.Context(t), append(args, "--rpc", c.RPCURL()), &out, &errOut); code != want {
			t.Fatalf("mynaconnect paymaster %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errOut.String())
		}
		return out.String() + errOut.String()
	}
	out := run(0, "deploy", "--key", operator, "--token", c.Token().Hex(), "--yen-per-eth", "400000")
	pm := regexp.MustCompile(`paymaster (0x[0-9a-fA-F]{40})`).FindStringSubmatch(out)
	if pm == nil || !strings.Contains(out, "¥400000 per ETH") || !strings.Contains(out, "deposit    0 ETH") {
		t.Fatalf("deploy printed:\n%s", out)
	}
	if again := run(0, "deploy", "--key", operator, "--token", c.Token().Hex(), "--yen-per-eth", "400000"); !strings.Contains(again, pm[1]) {
		t.Errorf("deploying again names another paymaster:\n%s", again)
	}
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"deposit", "--key", operator, "--eth", "2.5"}, "deposit    2.5 ETH"},
		{[]string{"stake", "--key", operator, "--eth", "1", "--delay", "3600"}, "stake      1 ETH, unstake delay 3600 s (staked: true)"},
		{[]string{"rate", "--key", operator, "--yen-per-eth", "450000"}, "¥450000 per ETH"},
		{[]string{"withdraw", "--key", operator, "--eth", "0.5", "--to", "0x0000000000000000000000000000000000000A11"}, "deposit    2 ETH"},
		{[]string{"status"}, "collected  0 JPYC"},
	}
	for _, st := range steps {
		if out := run(0, append(st.args, "--paymaster", pm[1])...); !strings.Contains(out, st.want) {
			t.Errorf("%s: want %q in\n%s", st.args[0], st.want, out)
		}
	}
	if got := devchaintest.Balance(t, c, common.HexToAddress("0x0000000000000000000000000000000000000A11")); got.Cmp(new(big.Int).Div(devchaintest.Ether(1), big.NewInt(2))) != 0 {
		t.Errorf("the withdrawal brought %s wei", got)
	}
	if err := c.Fund(devchaintest.Context(t), crypto.PubkeyToAddress(stranger.PublicKey), devchaintest.Ether(1), nil); err != nil {
		t.Fatal(err)
	}
	if out := run(1, "rate", "--key", writeKey(t, hexutil.Encode(crypto.FromECDSA(stranger))), "--paymaster", pm[1], "--yen-per-eth", "1"); !strings.Contains(out, "OwnableUnauthorizedAccount") {
		t.Errorf("another key's rate change: %s", out)
	}
}

func TestPaymasterUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := runPaymaster(t.Context(), []string{"--help"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "yen per ETH") {
		t.Errorf("--help: exit %d", code)
	}
	addr := common.Address{1}.Hex()
	for _, args := range [][]string{{"mint"}, {"status"}, {"status", "--rpc", "http://x"}, {"deposit", "--rpc", "http://x", "--paymaster", addr, "--key", "k"},
		{"deposit", "--rpc", "http://x", "--paymaster", addr, "--key", "k", "--eth", "1.0000000000000000001"}, {"rate", "--rpc", "http://x", "--paymaster", addr, "--key", "k", "--yen-per-eth", "0"},
		{"status", "--rpc", "http://x", "--paymaster", addr, "--to", addr}, {"status", "--rpc", "http://x", "--paymaster", "0x12"}} {
		errOut.Reset()
		if code := runPaymaster(t.Context(), args, &out, &errOut); code != 2 || errOut.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}

func TestParseUnits(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
	}{{"1", "1000000000000000000"}, {"2.5", "2500000000000000000"}, {".5", "500000000000000000"}, {"0.000000000000000001", "1"}, {"1.", "1000000000000000000"}} {
		if got, err := parseUnits(tt.in, 18); err != nil || got.String() != tt.want {
			t.Errorf("parseUnits(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
		if back := units(func() *big.Int { v, _ := new(big.Int).SetString(tt.want, 10); return v }(), 18); strings.TrimSuffix(tt.in, ".") != back && "0"+tt.in != back {
			t.Errorf("units(%s) = %s, want %s", tt.want, back, tt.in)
		}
	}
	for _, bad := range []string{"", ".", "-1", "1e18", "1.0000000000000000001", "0x10", "1,5"} {
		if _, err := parseUnits(bad, 18); err == nil {
			t.Errorf("parseUnits(%q) accepted", bad)
		}
	}
}
