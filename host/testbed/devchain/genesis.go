package devchain

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
)

// Fork is the rule set the chain runs from genesis.
type Fork string

const (
	// Prague: Pectra rules, mainnet's from May to December 2025. RSA verification costs far less than under
	// Osaka, where EIP-7883 repriced modexp.
	Prague Fork = "prague"
	// Osaka: Fusaka rules with the BPO1 and BPO2 blob parameters. go-ethereum's mainnet chainspec activates
	// Osaka on 3 December 2025 and BPO2 on 7 January 2026: this is what mainnet runs now.
	Osaka Fork = "osaka"
)

// DefaultFork is what mainnet runs: the dev chain should price gas as the real network does.
const DefaultFork = Osaka

// ParseFork accepts "prague" or "osaka".
func ParseFork(s string) (Fork, error) {
	switch f := Fork(s); f {
	case Prague, Osaka:
		return f, nil
	}
	return "", fmt.Errorf("devchain: unknown fork %q (want prague or osaka)", s)
}

// chainConfig is mainnet's chain configuration with every fork up to and including fork active at genesis
// and nothing later. go-ethereum's own dev configuration enables forks mainnet has not scheduled (Bogota),
// which would price and validate things differently from the network the wallet is for.
func chainConfig(chainID uint64, fork Fork) *params.ChainConfig {
	zero := uint64(0)
	cfg := *params.MainnetChainConfig
	cfg.ChainID = new(big.Int).SetUint64(chainID)
	for _, b := range []**big.Int{
		&cfg.HomesteadBlock, &cfg.EIP150Block, &cfg.EIP155Block, &cfg.EIP158Block, &cfg.ByzantiumBlock,
		&cfg.ConstantinopleBlock, &cfg.PetersburgBlock, &cfg.IstanbulBlock, &cfg.MuirGlacierBlock, &cfg.BerlinBlock,
		&cfg.LondonBlock, &cfg.ArrowGlacierBlock, &cfg.GrayGlacierBlock,
	} {
		*b = new(big.Int)
	}
	cfg.DAOForkBlock, cfg.DAOForkSupport, cfg.MergeNetsplitBlock = nil, false, nil
	cfg.TerminalTotalDifficulty = new(big.Int)
	cfg.Ethash = nil

	cfg.ShanghaiTime, cfg.CancunTime, cfg.PragueTime = &zero, &zero, &zero
	cfg.OsakaTime, cfg.BPO1Time, cfg.BPO2Time, cfg.BPO3Time, cfg.BPO4Time, cfg.BPO5Time = nil, nil, nil, nil, nil, nil
	cfg.AmsterdamTime, cfg.BogotaTime, cfg.UBTTime = nil, nil, nil
	if fork == Osaka {
		cfg.OsakaTime, cfg.BPO1Time, cfg.BPO2Time = &zero, &zero, &zero
	}
	return &cfg
}

// genesis funds the dev keys and installs what mainnet has at fixed addresses that the chain or the
// deployment needs: the system contracts Cancun and Prague call into, and the deterministic deployment proxy
// (so EntryPoint v0.8 lands at its canonical address).
func genesis(cfg *params.ChainConfig, funded map[common.Address]*big.Int) *core.Genesis {
	all := core.SystemContractAllocs()
	alloc := types.GenesisAlloc{contracts.DeterministicDeployer: {Nonce: 1, Code: contracts.DeterministicDeployerCode, Balance: new(big.Int)}}
	// Only the system contracts mainnet has; go-ethereum's list also holds ones for unscheduled forks.
	for _, a := range []common.Address{params.BeaconRootsAddress, params.HistoryStorageAddress, params.WithdrawalQueueAddress, params.ConsolidationQueueAddress} {
		alloc[a] = all[a]
	}
	for a, wei := range funded {
		alloc[a] = types.Account{Balance: wei}
	}
	return &core.Genesis{
		Config:     cfg,
		GasLimit:   gasLimit,
		BaseFee:    big.NewInt(params.InitialBaseFee),
		Difficulty: new(big.Int),
		Alloc:      alloc,
	}
}

// gasLimit is mainnet's block gas limit at the time of writing.
const gasLimit = 60_000_000
