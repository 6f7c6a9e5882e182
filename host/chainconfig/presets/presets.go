// Package presets knows the public networks a MynaConnect account lives on: Ethereum, Polygon PoS,
// Avalanche C-Chain and Kaia, and a test network of each. A preset is a chain configuration's network
// without its RPC and bundler URLs, which are the person's to supply (an endpoint usually carries an API
// key, and none belongs in the repository), with the JPYC tokens that live there labelled apart:
//
//   - JPYC (0xE7C3D8C9a439feDe00D2600032D5dB0Be71C3c29), the new JPYC, on all four networks;
//   - JPYC Prepaid (0x431D5dfF03120AFA4bDf332c61A6e1766eF37BDB), the prepaid-instrument JPYC, on Ethereum,
//     Polygon and Avalanche.
//
// The tokens' symbols and decimals here are what their contracts are expected to say; mynaconnect chains add
// reads them from the contracts and writes those, and the host checks them again before a sheet shows an
// amount (host/tokens). EntryPoint v0.8 is at its canonical address and the card-account factory at its
// published one on every network (docs/contracts.md); mynaconnect contracts verify checks a chain has them.
package presets

import (
	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
)

// The JPYC tokens.
var (
	JPYC        = chainconfig.Token{Address: common.HexToAddress("0xE7C3D8C9a439feDe00D2600032D5dB0Be71C3c29"), Symbol: "JPYC", Name: "JPYC", Decimals: 18, Fiat: "JPY"}
	JPYCPrepaid = chainconfig.Token{Address: common.HexToAddress("0x431D5dfF03120AFA4bDf332c61A6e1766eF37BDB"), Symbol: "JPYC", Name: "JPYC Prepaid", Decimals: 18, Fiat: "JPY"}
)

// Preset is one public network.
type Preset struct {
	// Key names the preset on the command line: "polygon", "polygon-amoy", ...
	Key string
	// Network has everything but RPCURL and BundlerURL (and Dev, which only a dev chain has).
	Network chainconfig.Network
}

// All returns the presets, main networks first, each followed by its test network.
func All() []Preset {
	published, err := contracts.Addresses()
	if err != nil {
		panic("presets: " + err.Error()) // the embedded contracts not packing is a build defect
	}
	network := func(name string, chainID uint64, currency chainconfig.Currency, tokens ...chainconfig.Token) chainconfig.Network {
		return chainconfig.Network{Name: name, ChainID: chainID, EntryPoint: contracts.EntryPointV08Address,
			AccountFactory: published.AccountFactory, NativeCurrency: currency, Tokens: append([]chainconfig.Token{}, tokens...)}
	}
	eth := chainconfig.Currency{Name: "Ether", Symbol: "ETH", Decimals: 18}
	pol := chainconfig.Currency{Name: "POL", Symbol: "POL", Decimals: 18}
	avax := chainconfig.Currency{Name: "Avalanche", Symbol: "AVAX", Decimals: 18}
	kaia := chainconfig.Currency{Name: "Kaia", Symbol: "KAIA", Decimals: 18}
	return []Preset{
		{"ethereum", network("Ethereum", 1, eth, JPYC, JPYCPrepaid)},
		{"sepolia", network("Ethereum Sepolia (test)", 11155111, eth)},
		{"polygon", network("Polygon PoS", 137, pol, JPYC, JPYCPrepaid)},
		{"polygon-amoy", network("Polygon Amoy (test)", 80002, pol)},
		{"avalanche", network("Avalanche C-Chain", 43114, avax, JPYC, JPYCPrepaid)},
		{"avalanche-fuji", network("Avalanche Fuji (test)", 43113, avax)},
		{"kaia", network("Kaia", 8217, kaia, JPYC)},
		{"kaia-kairos", network("Kaia Kairos (test)", 1001, kaia)},
	}
}

// ByKey returns the preset named key.
func ByKey(key string) (Preset, bool) {
	for _, p := range All() {
		if p.Key == key {
			return p, true
		}
	}
	return Preset{}, false
}
