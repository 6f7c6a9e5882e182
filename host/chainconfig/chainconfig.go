// Package chainconfig reads and writes the chain configuration file: for each Ethereum network MynaConnect may
// use, where to reach it (JSON-RPC, optionally an ERC-4337 bundler), the EntryPoint and card-account factory to
// use there, and the tokens to show and how. The same format describes the dev chain (written by
// devchain.Start, with the addresses it deployed) and real networks; nothing in code names a network's
// addresses.
//
// The file is JSON, read strictly: unknown fields, trailing data and inconsistent values are errors.
//
//	{
//	  "format": "mynaconnect-chains/1",
//	  "networks": [
//	    {
//	      "name": "MynaConnect dev chain",
//	      "chainId": 1337,
//	      "rpcUrl": "http://127.0.0.1:8545",
//	      "bundlerUrl": "",
//	      "entryPoint": "0x4337084d9e255ff0702461cf8895ce9e3b5ff108",
//	      "accountFactory": "0x…",
//	      "nativeCurrency": {"name": "Ether", "symbol": "ETH", "decimals": 18},
//	      "explorerUrl": "",
//	      "tokens": [
//	        {"address": "0x…", "symbol": "JPYC", "name": "JPY Coin (test)", "decimals": 18, "fiat": "JPY"}
//	      ],
//	      "dev": {"fork": "osaka", "faucetKey": "0x…", "relayerKey": "0x…", "referenceAccountFactory": "0x…"}
//	    }
//	  ]
//	}
//
// Fields of a network:
//
//   - name: shown to the person (consent sheet, network switcher).
//   - chainId: EIP-155 chain id; unique within the file.
//   - rpcUrl: JSON-RPC endpoint (http, https, ws or wss).
//   - bundlerUrl: ERC-4337 bundler endpoint (eth_sendUserOperation). Empty: the host submits UserOperations
//     itself through handleOps, paid by a relayer key (on the dev chain, dev.relayerKey).
//   - entryPoint: the ERC-4337 EntryPoint v0.8 (canonically 0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108).
//   - accountFactory: the CardAccountFactory; the card's account address is getAddress(e, n, index) there.
//   - nativeCurrency: name, symbol and decimals of the gas token (EIP-3085 style).
//   - explorerUrl: optional block explorer base URL for links to transactions and addresses.
//   - tokens: ERC-20 tokens the consent sheet decodes by address; decimals scale amounts. fiat, when set, is
//     the ISO 4217 currency one whole token is worth (JPYC: "JPY", so 1.5 JPYC is shown as ¥1.5).
//   - feePaymaster: optional; a JPYC fee paymaster ({"address", "token"}, the token one of the network's JPY
//     tokens) through which an account that holds too little of the native currency pays its fees in that
//     token, at the paymaster's rate.
//   - dev: only for a local dev chain, never for a real network: the fork rules it runs, and its well-known
//     faucet and relayer private keys (hex), plus the secp256k1 reference account factory used for gas
//     comparison.
package chainconfig

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// EnvPath names the environment variable holding the chain configuration
// file's path.
const EnvPath = "MYNACONNECT_CHAINS"

// DefaultPath is where the host (and the doctor) look for the chain
// configuration: the path in $MYNACONNECT_CHAINS, else
// mynaconnect/chains.json in the user's configuration directory.
func DefaultPath() (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "mynaconnect", "chains.json"), nil
}

// Format is the value of the "format" field this package reads and writes.
const Format = "mynaconnect-chains/1"

// File is a chain configuration file.
type File struct {
	Format   string    `json:"format"`
	Networks []Network `json:"networks"`
}

// Network describes one Ethereum network.
type Network struct {
	Name           string         `json:"name"`
	ChainID        uint64         `json:"chainId"`
	RPCURL         string         `json:"rpcUrl"`
	BundlerURL     string         `json:"bundlerUrl"`
	EntryPoint     common.Address `json:"entryPoint"`
	AccountFactory common.Address `json:"accountFactory"`
	NativeCurrency Currency       `json:"nativeCurrency"`
	ExplorerURL    string         `json:"explorerUrl"`
	Tokens         []Token        `json:"tokens"`
	FeePaymaster   *FeePaymaster  `json:"feePaymaster,omitempty"`
	Dev            *Dev           `json:"dev,omitempty"`
}

// FeePaymaster is a JPYC fee paymaster (contracts.JPYCFeePaymaster) the network's accounts may pay their fees
// through, in one of the network's yen tokens, when they hold too little of the native currency.
type FeePaymaster struct {
	Address common.Address `json:"address"`
	// Token is the paymaster's token: one of the network's tokens, pegged to JPY.
	Token common.Address `json:"token"`
}

// Currency is a network's gas token.
type Currency struct {
	Name     string `json:"name"`
	Symbol   string `json:"symbol"`
	Decimals uint8  `json:"decimals"`
}

// Token is an ERC-20 token the wallet knows.
type Token struct {
	Address  common.Address `json:"address"`
	Symbol   string         `json:"symbol"`
	Name     string         `json:"name"`
	Decimals uint8          `json:"decimals"`
	// Fiat is the ISO 4217 code of the currency one whole token is pegged to ("JPY"), or empty.
	Fiat string `json:"fiat,omitempty"`
}

// Dev holds what only a local dev chain has.
type Dev struct {
	// Fork is the fork rule set the chain runs: "prague" or "osaka".
	Fork string `json:"fork"`
	// FaucetKey deployed the contracts, owns the test token and funds accounts (hex secp256k1 key).
	FaucetKey string `json:"faucetKey"`
	// RelayerKey is a funded key that submits handleOps transactions (hex secp256k1 key).
	RelayerKey string `json:"relayerKey"`
	// ReferenceAccountFactory deploys the secp256k1 reference accounts used for gas comparison.
	ReferenceAccountFactory common.Address `json:"referenceAccountFactory"`
}

// Parse reads a configuration file from data and validates it.
func Parse(data []byte) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("chainconfig: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("chainconfig: data after the JSON object")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Load reads and validates the configuration file at path.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("chainconfig: %w", err)
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return f, nil
}

// Marshal returns the file as indented JSON, the form Write stores.
func (f *File) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Write validates f and stores it at path atomically (through a temporary file and a rename), so that a
// reader never sees half a file.
func (f *File) Write(path string) error {
	if err := f.Validate(); err != nil {
		return err
	}
	data, err := f.Marshal()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".chainconfig-*")
	if err != nil {
		return fmt.Errorf("chainconfig: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("chainconfig: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("chainconfig: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("chainconfig: %w", err)
	}
	return nil
}

// Network returns the network with chain id id.
func (f *File) Network(id uint64) (*Network, bool) {
	for i := range f.Networks {
		if f.Networks[i].ChainID == id {
			return &f.Networks[i], true
		}
	}
	return nil, false
}

// isFiatCode reports an ISO 4217 currency code: three capital letters.
func isFiatCode(s string) bool {
	return len(s) == 3 && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

// isTokenSymbol reports 1 to 16 letters, digits, '.', '_' or '-' (in any script: "円" is a symbol). Plain
// code rather than a regexp: the native host loads this package at start, and compiling the Unicode
// classes would cost it milliseconds every time a browser starts it.
func isTokenSymbol(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !strings.ContainsRune("._-", r) {
			return false
		}
		n++
	}
	return n >= 1 && n <= 16
}

// Validate reports the first inconsistency in f, naming the network and field.
func (f *File) Validate() error {
	if f.Format != Format {
		return fmt.Errorf("chainconfig: format %q, want %q", f.Format, Format)
	}
	if len(f.Networks) == 0 {
		return errors.New("chainconfig: no networks")
	}
	seen := map[uint64]bool{}
	for i := range f.Networks {
		n := &f.Networks[i]
		if err := n.Validate(); err != nil {
			return err
		}
		if seen[n.ChainID] {
			return fmt.Errorf("chainconfig: chain id %d appears twice", n.ChainID)
		}
		seen[n.ChainID] = true
	}
	return nil
}

// Validate reports the first inconsistency in n.
func (n *Network) Validate() error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("chainconfig: network %q (chain %d): %s", n.Name, n.ChainID, fmt.Sprintf(format, args...))
	}
	if n.Name == "" {
		return fail("name is empty")
	}
	if n.ChainID == 0 {
		return fail("chainId is 0")
	}
	if err := checkURL(n.RPCURL, "http", "https", "ws", "wss"); err != nil {
		return fail("rpcUrl: %v", err)
	}
	if n.BundlerURL != "" {
		if err := checkURL(n.BundlerURL, "http", "https"); err != nil {
			return fail("bundlerUrl: %v", err)
		}
	}
	if n.ExplorerURL != "" {
		if err := checkURL(n.ExplorerURL, "http", "https"); err != nil {
			return fail("explorerUrl: %v", err)
		}
	}
	if n.EntryPoint == (common.Address{}) {
		return fail("entryPoint is missing")
	}
	if n.AccountFactory == (common.Address{}) {
		return fail("accountFactory is missing")
	}
	if n.NativeCurrency.Symbol == "" || n.NativeCurrency.Name == "" || n.NativeCurrency.Decimals > 36 {
		return fail("nativeCurrency needs a name, a symbol and at most 36 decimals")
	}
	tokens := map[common.Address]bool{}
	for _, t := range n.Tokens {
		switch {
		case t.Address == (common.Address{}):
			return fail("token %q has no address", t.Symbol)
		case tokens[t.Address]:
			return fail("token %s appears twice", t.Address)
		case !isTokenSymbol(t.Symbol):
			return fail("token %s: symbol %q is empty, too long or has odd characters", t.Address, t.Symbol)
		case t.Name == "":
			return fail("token %s has no name", t.Address)
		case t.Decimals > 36:
			return fail("token %s: %d decimals", t.Address, t.Decimals)
		case t.Fiat != "" && !isFiatCode(t.Fiat):
			return fail("token %s: fiat %q is not an ISO 4217 code", t.Address, t.Fiat)
		}
		tokens[t.Address] = true
	}
	if pm := n.FeePaymaster; pm != nil {
		i := slices.IndexFunc(n.Tokens, func(t Token) bool { return t.Address == pm.Token })
		switch {
		case pm.Address == (common.Address{}):
			return fail("feePaymaster.address is missing")
		case i < 0 || n.Tokens[i].Fiat != "JPY":
			return fail("feePaymaster.token %s is not one of the network's JPY tokens", pm.Token)
		}
	}
	if d := n.Dev; d != nil {
		if d.Fork != "prague" && d.Fork != "osaka" {
			return fail("dev.fork %q is not prague or osaka", d.Fork)
		}
		for name, key := range map[string]string{"faucetKey": d.FaucetKey, "relayerKey": d.RelayerKey} {
			if _, err := ParseKey(key); err != nil {
				return fail("dev.%s: %v", name, err)
			}
		}
	}
	return nil
}

// ParseKey parses a hex secp256k1 private key as stored in dev.faucetKey and dev.relayerKey.
func ParseKey(hexKey string) (*ecdsa.PrivateKey, error) {
	if len(hexKey) > 1 && hexKey[:2] == "0x" {
		hexKey = hexKey[2:]
	}
	k, err := crypto.HexToECDSA(hexKey)
	if err != nil {
		return nil, errors.New("not a hex secp256k1 private key")
	}
	return k, nil
}

func checkURL(raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	for _, s := range schemes {
		if u.Scheme == s && u.Host != "" {
			return nil
		}
	}
	return fmt.Errorf("%q is not a %v URL with a host", raw, schemes)
}
