package contracts

import (
	"crypto/rand"
	"crypto/rsa"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestArtifactsHaveTheMethodsTheHostCalls(t *testing.T) {
	tests := []struct {
		artifact *Artifact
		methods  []string
	}{
		{CardAccount, []string{"execute", "isValidSignature", "rotateOwner", "signer", "keyHash", "validateUserOp", "entryPoint", "eip712Domain", "getNonce", "recovery"}},
		{CardRecovery, []string{"setGuardians", "cancelGuardiansChange", "applyGuardians", "rotateByOwner", "startRecovery", "cancelRecovery", "executeRecovery", "recoveryHash", "guardiansOf", "pendingGuardians", "pendingRecovery", "nonce"}},
		{PasskeyVerifier, []string{"verify"}},
		{CardAccountFactory, []string{"getAddress", "createAccount", "isCardAccount", "implementation", "entryPoint"}},
		{TestJPYC, []string{"transfer", "approve", "balanceOf", "decimals", "symbol", "name", "mint"}},
		{JPYCFeePaymaster, []string{"validatePaymasterUserOp", "postOp", "setRate", "tokenPerNative", "deposit", "withdraw", "addStake", "withdrawTokens", "feeOwed", "token"}},
		{EntryPoint, []string{"handleOps", "getUserOpHash", "getNonce", "balanceOf", "depositTo", "senderCreator"}},
		{ECDSAAccount, []string{"execute", "isValidSignature", "initialize"}},
		{ECDSAAccountFactory, []string{"getAddress", "createAccount"}},
		{GasProbe, []string{"measure"}},
		{RSAHarness, []string{"cardVerify", "ozVerify", "isValidKey"}},
		{UniversalSigValidator, []string{"isValidSig"}},
	}
	for _, tt := range tests {
		t.Run(tt.artifact.Name, func(t *testing.T) {
			if len(tt.artifact.Bytecode()) == 0 || len(tt.artifact.DeployedBytecode()) == 0 {
				t.Fatal("empty bytecode")
			}
			for _, m := range tt.methods {
				if _, ok := tt.artifact.ABI().Methods[m]; !ok {
					t.Errorf("no method %s", m)
				}
			}
		})
	}
	if got := len(All()); got != 13 {
		t.Errorf("All() has %d artifacts, want 13", got)
	}
}

// The EntryPoint bytecode must be the published one: then the deterministic deployment proxy puts it at the
// canonical address, and the dev chain runs exactly what mainnet runs.
func TestEntryPointIsTheCanonicalV08(t *testing.T) {
	if got := DeterministicAddress(EntryPointV08Salt, EntryPoint.Bytecode()); got != EntryPointV08Address {
		t.Fatalf("EntryPoint deploys to %s, want canonical %s", got, EntryPointV08Address)
	}
}

func TestRSAKeyIsMinimallyEncoded(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	e, n := RSAKey(&key.PublicKey)
	if common.Bytes2Hex(e) != "010001" {
		t.Errorf("e = %x, want 010001", e)
	}
	if len(n) != 256 || n[0] == 0 {
		t.Errorf("n is %d bytes starting %02x, want 256 without a leading zero", len(n), n[0])
	}
}

func TestCardAccountAddressDependsOnKeyAndIndex(t *testing.T) {
	factory := common.HexToAddress("0x1000000000000000000000000000000000000001")
	e, n := []byte{1, 0, 1}, make([]byte, 256)
	n[0], n[255] = 0xc0, 1
	n2 := append([]byte(nil), n...)
	n2[100] = 7
	seen := map[common.Address]string{}
	for name, in := range map[string]struct {
		n     []byte
		index int64
	}{"key0": {n, 0}, "key0-index1": {n, 1}, "key1": {n2, 0}} {
		a, err := CardAccountAddress(factory, e, in.n, big.NewInt(in.index))
		if err != nil {
			t.Fatal(err)
		}
		if other, dup := seen[a]; dup {
			t.Errorf("%s and %s share address %s", name, other, a)
		}
		seen[a] = name
	}
	if _, err := CardAccountAddress(factory, e, n, big.NewInt(-1)); err == nil {
		t.Error("negative index accepted")
	}
}

func TestExecuteBatchEncodesERC7821(t *testing.T) {
	data, err := ExecuteBatch([]Call{{Target: common.HexToAddress("0x01"), Value: big.NewInt(5)}, {Target: common.HexToAddress("0x02"), Data: []byte{0xaa}}})
	if err != nil {
		t.Fatal(err)
	}
	args, err := CardAccount.ABI().Methods["execute"].Inputs.Unpack(data[4:])
	if err != nil {
		t.Fatal(err)
	}
	if mode := args[0].([32]byte); mode != BatchMode {
		t.Errorf("mode %x", mode)
	}
	decoded, err := executionsArgs.Unpack(args[1].([]byte))
	if err != nil {
		t.Fatal(err)
	}
	execs := decoded[0].([]struct {
		Target   common.Address `json:"target"`
		Value    *big.Int       `json:"value"`
		CallData []byte         `json:"callData"`
	})
	if len(execs) != 2 || execs[0].Value.Int64() != 5 || execs[1].CallData[0] != 0xaa || execs[1].Value.Sign() != 0 {
		t.Errorf("decoded %+v", execs)
	}
}
