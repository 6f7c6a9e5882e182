package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/chainconfig/presets"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// A dev chain posing as Polygon PoS (chain id 137): the preset's JPYC tokens are not there and are left out
// with a note, a token given by address gets the symbol, name and decimals its contract says, a bundler that
// serves the chain is taken, and the network lands in the file once, however often it is added. The wrong
// network's preset, and a bundler for another chain, write nothing.
func TestChainsAddWritesAPresetNetwork(t *testing.T) {
	c := devchaintest.Start(t, devchain.Options{ChainID: 137})
	config := filepath.Join(t.TempDir(), "mynaconnect", "chains.json")
	add := func(want int, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := runChains(devchaintest.Context(t), append([]string{"add"}, args...), &out, &errOut); code != want {
			t.Fatalf("mynaconnect chains add %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errOut.String())
		}
		return out.String() + errOut.String()
	}
	bundler := devchaintest.FakeBundler(t, "0x89", "eth_sendUserOperation", contracts.EntryPointV08Address)
	for range 2 {
		out := add(0, "polygon", "--rpc", c.RPCURL(), "--bundler", bundler, "--token", c.Token().Hex(), "--config", config)
		if strings.Count(out, "left out") != 2 {
			t.Errorf("the preset's JPYC tokens are not noted as left out:\n%s", out)
		}
	}
	f, err := chainconfig.Load(config)
	if err != nil {
		t.Fatal(err)
	}
	polygon, _ := presets.ByKey("polygon")
	if len(f.Networks) != 1 {
		t.Fatalf("%d networks in the file, want 1", len(f.Networks))
	}
	n := f.Networks[0]
	want := chainconfig.Token{Address: c.Token(), Symbol: "JPYC", Name: "JPY Coin (test)", Decimals: 18}
	if n.ChainID != 137 || n.Name != polygon.Network.Name || n.RPCURL != c.RPCURL() || n.BundlerURL != bundler ||
		n.AccountFactory != c.AccountFactory() || n.EntryPoint != c.EntryPoint() || len(n.Tokens) != 1 || n.Tokens[0] != want {
		t.Errorf("written %+v", n)
	}

	if out := add(1, "ethereum", "--rpc", c.RPCURL(), "--config", config); !strings.Contains(out, "serves chain 137, not Ethereum") {
		t.Errorf("the wrong network's preset: %s", out)
	}
	other := devchaintest.FakeBundler(t, "0x1", "eth_sendUserOperation", contracts.EntryPointV08Address)
	if out := add(1, "polygon", "--rpc", c.RPCURL(), "--bundler", other, "--config", config); !strings.Contains(out, "serves chain 1") {
		t.Errorf("another chain's bundler: %s", out)
	}
	if f2, _ := chainconfig.Load(config); f2.Networks[0].BundlerURL != bundler {
		t.Error("a refused add changed the file")
	}
}

func TestChainsUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := runChains(t.Context(), []string{"presets"}, &out, &errOut); code != 0 {
		t.Fatalf("presets: exit %d", code)
	}
	for _, p := range presets.All() {
		if !strings.Contains(out.String(), p.Key) {
			t.Errorf("presets does not list %s", p.Key)
		}
	}
	for _, args := range [][]string{{"remove"}, {"add"}, {"add", "--rpc", "http://x"}, {"add", "mars", "--rpc", "http://x"},
		{"add", "polygon"}, {"add", "polygon", "--rpc", "http://x", "--token", "0x12"}, {"add", "polygon", "--rpc", "http://x", "extra"}} {
		errOut.Reset()
		if code := runChains(t.Context(), args, &out, &errOut); code != 2 || errOut.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}
