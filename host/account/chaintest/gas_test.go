package chaintest

import (
	"fmt"
	"math/big"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// gasRow is one measured operation, for the card account and the secp256k1 reference.
type gasRow struct {
	key, name string
	card, ref uint64
}

func (r gasRow) ratio() float64 { return float64(r.card) / float64(r.ref) }

// Targets under Prague rules, from the issue: the card account must not cost more than this.
var pragueTargets = map[string]uint64{
	"transfer":      140_000,
	"erc1271-warm":  35_000,
	"erc1271-cold":  0, // no target; reported
	"first-op":      0,
	"batch3":        0,
	"erc1271-tx":    0,
	"jpyc-transfer": 0,
}

var (
	gasMu      sync.Mutex
	gasResults = map[devchain.Fork][]gasRow{}
)

// measureGas runs every measured operation for both accounts on a chain with fork rules, once per fork per
// test binary (gas is deterministic). Both accounts run the same calls, to recipients that already hold ETH
// and JPYC, so neither pays for creating state the other does not.
func measureGas(t testing.TB, fork devchain.Fork) []gasRow {
	t.Helper()
	gasMu.Lock()
	defer gasMu.Unlock()
	if rows, ok := gasResults[fork]; ok {
		return rows
	}
	c := chain(t, fork, devchain.DefaultChainID)
	probe := deployGasProbe(t, c)
	alice := common.HexToAddress("0x000000000000000000000000000000000000a11c")
	bob := common.HexToAddress("0x0000000000000000000000000000000000000b0b")
	for _, who := range []common.Address{alice, bob} {
		if err := c.Fund(devchaintest.Context(t), who, big.NewInt(1), big.NewInt(1)); err != nil {
			t.Fatal(err)
		}
	}
	// Fixed owners and indices: the same accounts, the same signature bytes and the same figures every run.
	ecdsaKey, err := crypto.ToECDSA(crypto.Keccak256([]byte("mynaconnect gas reference owner")))
	if err != nil {
		t.Fatal(err)
	}
	index := big.NewInt(1 << 40)
	accts := []*account{newCardAccountAt(t, c, testCard(t), index), newECDSAAccountAt(t, c, ecdsaKey, index)}

	approve, err := contracts.TestJPYC.Pack("approve", bob, devchaintest.Ether(1_000_000))
	if err != nil {
		t.Fatal(err)
	}
	ops := []struct {
		key, name string
		calls     []contracts.Call
	}{
		{"first-op", "first UserOperation: deploy + ETH transfer", []contracts.Call{{Target: alice, Value: big.NewInt(1e15)}}},
		{"transfer", "later UserOperation: ETH transfer", []contracts.Call{{Target: alice, Value: big.NewInt(1e15)}}},
		{"jpyc-transfer", "later UserOperation: JPYC transfer", []contracts.Call{devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(100))}},
		{"batch3", "batch of three: ETH transfer, JPYC transfer, JPYC approve", []contracts.Call{
			{Target: bob, Value: big.NewInt(1e15)}, devchaintest.TransferJPYC(t, c, bob, devchaintest.Ether(100)), {Target: c.Token(), Data: approve},
		}},
	}
	rows := make([]gasRow, 0, len(ops)+3)
	for _, op := range ops {
		rows = append(rows, gasRow{key: op.key, name: op.name})
	}
	for i, a := range accts {
		if err := c.Fund(devchaintest.Context(t), a.addr, devchaintest.Ether(1), devchaintest.Ether(10_000)); err != nil {
			t.Fatal(err)
		}
		for j, op := range ops {
			r, err := handleOps(t, c, a.newOp(t, op.calls))
			if err != nil {
				t.Fatalf("%s, %s: %v", a.domainName, op.key, err)
			}
			setGas(&rows[j], i, r.GasUsed)
		}
	}

	// ERC-1271 on the deployed accounts: a personal_sign signature, checked by a contract (cold, then warm
	// in the same transaction) and by a transaction of its own, as the reference figures were.
	cold := gasRow{key: "erc1271-cold", name: "ERC-1271 check, first in a transaction (cold account)"}
	warm := gasRow{key: "erc1271-warm", name: "ERC-1271 check, again in the same transaction (warm)"}
	asTx := gasRow{key: "erc1271-tx", name: "ERC-1271 check as a whole transaction (eth_estimateGas)"}
	for i, a := range accts {
		hash, sig := a.personalSign(c.ChainID(), []byte("measure me"))
		data, err := contracts.CardAccount.Pack("isValidSignature", hash, sig)
		if err != nil {
			t.Fatal(err)
		}
		out, err := devchaintest.Call(t, c, probe, contracts.GasProbe, "measure", a.addr, data)
		if err != nil {
			t.Fatalf("%s: GasProbe: %v", a.domainName, err)
		}
		if res := out[2].([]byte); len(res) < 4 || [4]byte(res[:4]) != devchaintest.ERC1271Magic {
			t.Fatalf("%s: signature not valid during measurement: %x", a.domainName, res)
		}
		setGas(&cold, i, out[0].(*big.Int).Uint64())
		setGas(&warm, i, out[1].(*big.Int).Uint64())
		to := a.addr
		est, err := c.Client().EstimateGas(devchaintest.Context(t), ethereum.CallMsg{To: &to, Data: data})
		if err != nil {
			t.Fatal(err)
		}
		setGas(&asTx, i, est)
	}
	rows = append(rows, cold, warm, asTx)
	gasResults[fork] = rows
	return rows
}

func setGas(r *gasRow, account int, gas uint64) {
	if account == 0 {
		r.card = gas
	} else {
		r.ref = gas
	}
}

var (
	probeMu   sync.Mutex
	probeAddr = map[*devchain.Chain]common.Address{}
)

func deployGasProbe(t testing.TB, c *devchain.Chain) common.Address {
	probeMu.Lock()
	defer probeMu.Unlock()
	if a, ok := probeAddr[c]; ok {
		return a
	}
	r, err := c.Send(devchaintest.Context(t), devchain.FaucetKey, nil, nil, contracts.GasProbe.Bytecode())
	if err != nil {
		t.Fatal(err)
	}
	probeAddr[c] = r.ContractAddress
	return r.ContractAddress
}

// TestGas measures the card account beside the secp256k1 reference under Prague and Osaka, logs the table,
// holds the Prague targets, and with GAS_MD=path writes the results file.
func TestGas(t *testing.T) {
	forks := []devchain.Fork{devchain.Prague, devchain.Osaka}
	results := map[devchain.Fork][]gasRow{}
	for _, fork := range forks {
		t.Run(string(fork), func(t *testing.T) {
			rows := measureGas(t, fork)
			results[fork] = rows
			for _, r := range rows {
				t.Logf("%-60s card %9d  secp256k1 %9d  ×%.2f", r.name, r.card, r.ref, r.ratio())
				if limit := pragueTargets[r.key]; fork == devchain.Prague && limit > 0 && r.card > limit {
					t.Errorf("%s: %d gas, target %d", r.name, r.card, limit)
				}
			}
		})
	}
	if path := os.Getenv("GAS_MD"); path != "" && !t.Failed() {
		if err := os.WriteFile(path, []byte(gasMarkdown(forks, results)), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
	}
}

// BenchmarkGas reports the same figures as benchmark metrics (gas is deterministic: every iteration
// measures the same thing, so b.N only repeats it).
func BenchmarkGas(b *testing.B) {
	for _, fork := range []devchain.Fork{devchain.Prague, devchain.Osaka} {
		b.Run(string(fork), func(b *testing.B) {
			var rows []gasRow
			for range b.N {
				rows = measureGas(b, fork)
			}
			for _, r := range rows {
				b.ReportMetric(float64(r.card), r.key+"-gas")
				b.ReportMetric(float64(r.ref), r.key+"-ref-gas")
				b.ReportMetric(r.ratio(), r.key+"-ratio")
			}
		})
	}
}

func gasMarkdown(forks []devchain.Fork, results map[devchain.Fork][]gasRow) string {
	var sb strings.Builder
	sb.WriteString(`# Gas: the card account beside a secp256k1 account

Measured by ` + "`go test ./host/account/chaintest -run TestGas -v`" + ` (rewrite this file with
` + "`GAS_MD=$PWD/host/testbed/devchain/GAS.md`" + `) on the dev chain, both accounts in the same run: CardAccount
(RSA-2048 card key, e = 65537) and ECDSAAccount (secp256k1), identical apart from the signer: OpenZeppelin 5.7
Account + ERC-7739 + ERC-7821, CREATE2 clones from their factories, EntryPoint v0.8 at its canonical address,
handleOps sent by a relayer that is also the beneficiary. UserOperation figures are the gas used by the whole
handleOps transaction (21,000 + calldata + EntryPoint + account). Transfers go to addresses that already hold
ETH and JPYC. ERC-1271 figures are for a personal_sign (ERC-7739 PersonalSign) signature: "cold" and "warm"
are what a contract pays to call isValidSignature the first and second time in one transaction (GasProbe),
"as a transaction" is eth_estimateGas of calling it directly.

`)
	for _, fork := range forks {
		fmt.Fprintf(&sb, "## %s rules\n\n| operation | card account | secp256k1 | ratio |\n|---|---:|---:|---:|\n", titleFork(fork))
		for _, r := range results[fork] {
			fmt.Fprintf(&sb, "| %s | %s | %s | ×%.2f |\n", r.name, commas(r.card), commas(r.ref), r.ratio())
		}
		sb.WriteString("\n")
	}
	sb.WriteString(`## Against the targets and the earlier experiment

Targets under Prague rules (issue 5): later transfer ≤ 140,000 gas, warm ERC-1271 check ≤ 35,000 gas;
TestGas fails if either is exceeded. The experiment in accounts.md (OpenZeppelin SignerRSA, key in storage)
measured 143k for a later transfer and 60,155 for a cold ERC-1271 check as a transaction under Prague.

Where the difference comes from: the key lives in the clone's code (immutable arguments) instead of ten
storage slots (21,000 gas of cold SLOADs per validation), and the PKCS#1 check compares the modexp output
with the expected encoding word by word instead of walking the padding byte by byte. What remains is
mostly the modexp precompile (about 5,500 gas under Prague, 32,800 under Osaka after EIP-7883) and the
256-byte signature in calldata.
`)
	return sb.String()
}

func titleFork(f devchain.Fork) string {
	return strings.ToUpper(string(f[:1])) + string(f[1:])
}

func commas(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
