package devchaintest

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
)

// DeployGasBurner deploys a contract that, on any call (a plain transfer
// of ETH included), loops until it has spent about gas and then stops: the
// contract a hostile page sends 1 wei to so that the account pays for the
// loop. It is written in EVM bytecode rather than Solidity: it has no ABI
// and nothing to verify.
func DeployGasBurner(t testing.TB, c *devchain.Chain, gas uint64) common.Address {
	t.Helper()
	// Each turn of the loop costs 26 gas: JUMPDEST 1, PUSH1 3, SWAP1 3,
	// SUB 3, DUP1 3, PUSH1 3, JUMPI 10.
	n := gas / 26
	if n == 0 || n > 0xffffff {
		t.Fatalf("DeployGasBurner: %d gas is out of range", gas)
	}
	runtime := []byte{
		0x62, byte(n >> 16), byte(n >> 8), byte(n), // PUSH3 n
		0x5b,       // 4: JUMPDEST
		0x60, 0x01, // PUSH1 1
		0x90,       // SWAP1
		0x03,       // SUB: n-1
		0x80,       // DUP1
		0x60, 0x04, // PUSH1 4
		0x57, // JUMPI: again while n-1 != 0
		0x00, // STOP
	}
	// Creation: copy the runtime code after these 11 bytes to memory and
	// return it.
	initCode := append([]byte{0x60, byte(len(runtime)), 0x80, 0x60, 0x0b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3}, runtime...)
	receipt, err := c.Send(Context(t), devchain.FaucetKey, nil, nil, initCode)
	if err != nil {
		t.Fatalf("deploying the gas burner: %v", err)
	}
	return receipt.ContractAddress
}
