// Package contracts embeds the compiled Solidity contracts of the card account: their ABIs and bytecode, as
// compiled by compile.mjs from src/ (and EntryPoint v0.8 as published in @account-abstraction/contracts).
//
// The artifacts are committed, so building Go code needs neither node nor solc; TestArtifactsMatchSources
// recompiles and compares whenever node_modules is installed (always under CI=true), so the sources and the
// bytecode the host deploys and talks to cannot drift apart.
package contracts

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

//go:embed artifacts/*.json
var artifactFS embed.FS

// Artifact is one compiled contract, parsed on first use: the native host starts with every browser port,
// and parsing all artifacts up front would spend most of its start-up budget on contracts it may never call.
type Artifact struct {
	// Name is the contract name, e.g. "CardAccount".
	Name string

	once   sync.Once
	parsed parsedArtifact
}

type parsedArtifact struct {
	sourceName       string
	abi              abi.ABI
	bytecode         []byte
	deployedBytecode []byte
}

// get parses the artifact once. A broken artifact is a build defect that every test of this package
// reports, so failing to parse one panics.
func (a *Artifact) get() *parsedArtifact {
	a.once.Do(func() {
		p, err := load(a.Name)
		if err != nil {
			panic(err)
		}
		a.parsed = p
	})
	return &a.parsed
}

// SourceName is the Solidity file the contract comes from, e.g. "src/CardAccount.sol".
func (a *Artifact) SourceName() string { return a.get().sourceName }

// ABI is the parsed contract ABI.
func (a *Artifact) ABI() *abi.ABI { return &a.get().abi }

// Bytecode is the creation code without constructor arguments.
func (a *Artifact) Bytecode() []byte { return bytes.Clone(a.get().bytecode) }

// DeployedBytecode is the runtime code (immutables appear as zeros until deployment).
func (a *Artifact) DeployedBytecode() []byte { return bytes.Clone(a.get().deployedBytecode) }

// The artifacts.
var (
	// CardAccount is the card-owned account implementation (cloned by CardAccountFactory, never used directly).
	CardAccount = &Artifact{Name: "CardAccount"}
	// CardAccountFactory deploys CardAccount clones: getAddress, createAccount, isCardAccount.
	CardAccountFactory = &Artifact{Name: "CardAccountFactory"}
	// CardRecovery is the one caller of a CardAccount's rotateOwner: the owner's renewal at once, the guardians'
	// recovery after a delay the owner can veto. One per chain, at the same address on every chain.
	CardRecovery = &Artifact{Name: "CardRecovery"}
	// PasskeyVerifier is OpenZeppelin's ERC-7913 WebAuthn verifier: passkey guardians are verifier || qx || qy.
	PasskeyVerifier = &Artifact{Name: "PasskeyVerifier"}
	// JPYCFeePaymaster pays a card account's gas in ETH and takes the fee in JPYC at its operator's rate.
	JPYCFeePaymaster = &Artifact{Name: "JPYCFeePaymaster"}
	// TestJPYC is the dev-chain stand-in for JPYC (18 decimals, owner-only mint).
	TestJPYC = &Artifact{Name: "TestJPYC"}
	// EntryPoint is ERC-4337 EntryPoint v0.8, byte-identical to the canonical deployment.
	EntryPoint = &Artifact{Name: "EntryPoint"}
	// ECDSAAccount is the secp256k1 reference account gas is compared against.
	ECDSAAccount = &Artifact{Name: "ECDSAAccount"}
	// ECDSAAccountFactory deploys ECDSAAccount clones.
	ECDSAAccountFactory = &Artifact{Name: "ECDSAAccountFactory"}
	// GasProbe measures the gas of a call made twice in one transaction (cold, then warm).
	GasProbe = &Artifact{Name: "GasProbe"}
	// RSAHarness exposes CardRSA and OpenZeppelin's RSA verification side by side, for tests.
	RSAHarness = &Artifact{Name: "RSAHarness"}
	// UniversalSigValidator is the ERC-6492 reference validator.
	UniversalSigValidator = &Artifact{Name: "UniversalSigValidator"}
	// ValidateSigOffchain is ERC-6492's deployless validator: its creation code, run by eth_call with
	// constructor arguments (signer, hash, signature), returns 0x01 when the signature is valid.
	ValidateSigOffchain = &Artifact{Name: "ValidateSigOffchain"}
)

// Canonical deployment of EntryPoint v0.8: CREATE2 through the deterministic deployment proxy
// (github.com/Arachnid/deterministic-deployment-proxy) with this salt. A chain that has the proxy gets the
// EntryPoint at the same address as mainnet by sending DeterministicDeployerInput(EntryPointV08Salt, EntryPoint.Bytecode).
var (
	EntryPointV08Address = common.HexToAddress("0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108")
	EntryPointV08Salt    = common.HexToHash("0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9")
)

// DeployData returns the creation code followed by the ABI-encoded constructor arguments.
func (a *Artifact) DeployData(args ...any) ([]byte, error) {
	packed, err := a.ABI().Pack("", args...)
	if err != nil {
		return nil, fmt.Errorf("contracts: %s constructor arguments: %w", a.Name, err)
	}
	return append(a.Bytecode(), packed...), nil
}

// Pack ABI-encodes a call of method with args (selector included).
func (a *Artifact) Pack(method string, args ...any) ([]byte, error) {
	data, err := a.ABI().Pack(method, args...)
	if err != nil {
		return nil, fmt.Errorf("contracts: %s.%s: %w", a.Name, method, err)
	}
	return data, nil
}

// Unpack decodes the return data of method.
func (a *Artifact) Unpack(method string, data []byte) ([]any, error) {
	out, err := a.ABI().Unpack(method, data)
	if err != nil {
		return nil, fmt.Errorf("contracts: %s.%s result: %w", a.Name, method, err)
	}
	return out, nil
}

// All returns every embedded artifact, by name.
func All() map[string]*Artifact {
	return map[string]*Artifact{
		CardAccount.Name: CardAccount, CardAccountFactory.Name: CardAccountFactory, CardRecovery.Name: CardRecovery, PasskeyVerifier.Name: PasskeyVerifier, TestJPYC.Name: TestJPYC,
		JPYCFeePaymaster.Name: JPYCFeePaymaster,
		EntryPoint.Name:       EntryPoint, ECDSAAccount.Name: ECDSAAccount, ECDSAAccountFactory.Name: ECDSAAccountFactory,
		GasProbe.Name: GasProbe, RSAHarness.Name: RSAHarness, UniversalSigValidator.Name: UniversalSigValidator,
		ValidateSigOffchain.Name: ValidateSigOffchain,
	}
}

// artifactJSON is the file format compile.mjs writes.
type artifactJSON struct {
	ContractName     string          `json:"contractName"`
	SourceName       string          `json:"sourceName"`
	ABI              json.RawMessage `json:"abi"`
	Bytecode         string          `json:"bytecode"`
	DeployedBytecode string          `json:"deployedBytecode"`
}

func load(name string) (parsedArtifact, error) {
	raw, err := artifactFS.ReadFile("artifacts/" + name + ".json")
	if err != nil {
		return parsedArtifact{}, err
	}
	var f artifactJSON
	if err := json.Unmarshal(raw, &f); err != nil {
		return parsedArtifact{}, fmt.Errorf("contracts: %s.json: %w", name, err)
	}
	if f.ContractName != name {
		return parsedArtifact{}, fmt.Errorf("contracts: %s.json names contract %q", name, f.ContractName)
	}
	parsed, err := abi.JSON(bytes.NewReader(f.ABI))
	if err != nil {
		return parsedArtifact{}, fmt.Errorf("contracts: %s ABI: %w", name, err)
	}
	// Unlinked library references ("__$...$__") would make the hex invalid: the contracts use none.
	code, err := hexutil.Decode(f.Bytecode)
	if err != nil || strings.Contains(f.Bytecode, "__") {
		return parsedArtifact{}, fmt.Errorf("contracts: %s bytecode: %v", name, err)
	}
	deployed, err := hexutil.Decode(f.DeployedBytecode)
	if err != nil {
		return parsedArtifact{}, fmt.Errorf("contracts: %s deployed bytecode: %w", name, err)
	}
	return parsedArtifact{sourceName: f.SourceName, abi: parsed, bytecode: code, deployedBytecode: deployed}, nil
}
