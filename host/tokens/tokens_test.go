package tokens_test

import (
	"errors"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/tokens"
)

func TestMain(m *testing.M) { os.Exit(devchaintest.Run(m)) }

func TestReadAsksTheContract(t *testing.T) {
	c := devchaintest.Shared(t, devchain.Options{})
	m, err := tokens.Read(devchaintest.Context(t), c.Client(), c.Token())
	if err != nil || m != (tokens.Metadata{Symbol: "JPYC", Name: "JPY Coin (test)", Decimals: 18}) {
		t.Errorf("test JPYC: %+v, %v", m, err)
	}
	for name, addr := range map[string]common.Address{
		"an address without code":     common.HexToAddress("0x000000000000000000000000000000000000dEaD"),
		"a contract that is no token": c.EntryPoint(),
	} {
		if _, err := tokens.Read(devchaintest.Context(t), c.Client(), addr); !errors.Is(err, tokens.ErrNotAToken) {
			t.Errorf("%s: %v, want ErrNotAToken", name, err)
		}
	}
}
