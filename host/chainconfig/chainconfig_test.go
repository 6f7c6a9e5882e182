package chainconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const valid = `{
  "format": "mynaconnect-chains/1",
  "networks": [
    {
      "name": "Sepolia",
      "chainId": 11155111,
      "rpcUrl": "https://rpc.sepolia.example",
      "bundlerUrl": "https://bundler.example/rpc",
      "entryPoint": "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108",
      "accountFactory": "0x919f85d5e43cc1a4181ad6a757ede1f14806fcf6",
      "nativeCurrency": {"name": "Sepolia Ether", "symbol": "ETH", "decimals": 18},
      "explorerUrl": "https://sepolia.etherscan.io",
      "tokens": [{"address": "0x0feed58692c78ee5f927dced75918f17373a9237", "symbol": "JPYC", "name": "JPY Coin", "decimals": 18, "fiat": "JPY"}]
    },
    {
      "name": "dev",
      "chainId": 1337,
      "rpcUrl": "http://127.0.0.1:8545",
      "bundlerUrl": "",
      "entryPoint": "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108",
      "accountFactory": "0x919f85d5e43cc1a4181ad6a757ede1f14806fcf6",
      "nativeCurrency": {"name": "Ether", "symbol": "ETH", "decimals": 18},
      "explorerUrl": "",
      "tokens": [],
      "dev": {"fork": "osaka", "faucetKey": "0x10d1d6b2159a50bf782d6609734bfaa3df21a4e1f0d305cfd09ed9efc53fac1d", "relayerKey": "0xa6fb7c998c194bde24cca6c5ffc582abb0e07e42057ac9c82eb0174f8a340a30", "referenceAccountFactory": "0x4aee1ecd9f95458e38c7f241553d900ce2c3c2a0"}
    }
  ]
}`

func TestParseValidFile(t *testing.T) {
	f, err := Parse([]byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	n, ok := f.Network(11155111)
	if !ok || n.Tokens[0].Fiat != "JPY" || n.BundlerURL == "" || n.Dev != nil {
		t.Errorf("sepolia: %+v", n)
	}
	if _, ok := f.Network(1); ok {
		t.Error("found a network that is not in the file")
	}
	// What Write stores parses back to the same thing.
	path := filepath.Join(t.TempDir(), "chains.json")
	if err := f.Write(path); err != nil {
		t.Fatal(err)
	}
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := f.Marshal()
	b, _ := g.Marshal()
	if string(a) != string(b) {
		t.Errorf("round trip changed the file:\n%s\n%s", a, b)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, from, to, wantErr string
	}{
		{"unknown field", `"explorerUrl": "",`, `"explorerUrl": "", "gasStation": 1,`, "unknown field"},
		{"wrong format", `mynaconnect-chains/1`, `mynaconnect-chains/2`, "format"},
		{"duplicate chain id", `"chainId": 1337`, `"chainId": 11155111`, "appears twice"},
		{"rpc URL without scheme", `"rpcUrl": "http://127.0.0.1:8545"`, `"rpcUrl": "127.0.0.1:8545"`, "rpcUrl"},
		{"bundler over ws", `https://bundler.example/rpc`, `wss://bundler.example/rpc`, "bundlerUrl"},
		{"no factory", `"accountFactory": "0x919f85d5e43cc1a4181ad6a757ede1f14806fcf6",
      "nativeCurrency": {"name": "Ether"`, `"accountFactory": "0x0000000000000000000000000000000000000000",
      "nativeCurrency": {"name": "Ether"`, "accountFactory"},
		{"fiat not ISO 4217", `"fiat": "JPY"`, `"fiat": "yen"`, "ISO 4217"},
		{"token symbol with spaces", `"symbol": "JPYC"`, `"symbol": "JPY C"`, "symbol"},
		{"unknown dev fork", `"fork": "osaka"`, `"fork": "bogota"`, "dev.fork"},
		{"bad relayer key", `"relayerKey": "0xa6`, `"relayerKey": "0xzz`, "relayerKey"},
		{"trailing data", "]\n}", "]\n}{}", "after the JSON"},
		{"bad address", `"entryPoint": "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108",
      "accountFactory": "0x919f85d5e43cc1a4181ad6a757ede1f14806fcf6",
      "nativeCurrency": {"name": "Sepolia`, `"entryPoint": "0x4337",
      "accountFactory": "0x919f85d5e43cc1a4181ad6a757ede1f14806fcf6",
      "nativeCurrency": {"name": "Sepolia`, "hex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(valid, tt.from) {
				t.Fatalf("test edits %q, which is not in the file", tt.from)
			}
			_, err := Parse([]byte(strings.Replace(valid, tt.from, tt.to, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestWriteRefusesInvalidAndKeepsOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chains.json")
	os.WriteFile(path, []byte("old"), 0o644)
	if err := (&File{Format: Format}).Write(path); err == nil {
		t.Fatal("wrote a file without networks")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("file is now %q", b)
	}
}
