package recovery_test

import (
	"math/big"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/recovery"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

func TestMain(m *testing.M) { os.Exit(devchaintest.Run(m)) }

// A card controls its own deployed account and nothing else: not another card's account, not an address
// without code, not the factory itself (which is no card account, whatever it answers).
func TestControls(t *testing.T) {
	c := devchaintest.Shared(t, devchain.Options{})
	ctx := devchaintest.Context(t)
	_, mine := devchaintest.CardOwner(t, vcardtest.NewCard(t, nil))
	p, err := testpki.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, theirs := devchaintest.CardOwner(t, vcardtest.NewCard(t, func(cfg *vcard.Config) { *cfg = vcard.ConfigFromPKI(p) }))
	devchaintest.Deploy(t, c, mine, new(big.Int))
	devchaintest.Deploy(t, c, theirs, new(big.Int))
	own, err := mine.Address(c.AccountFactory(), new(big.Int))
	if err != nil {
		t.Fatal(err)
	}
	other, err := theirs.Address(c.AccountFactory(), new(big.Int))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		addr common.Address
		want bool
	}{
		{"its own account", own, true},
		{"another card's account", other, false},
		{"an address without code", common.HexToAddress("0x00000000000000000000000000000000000be11e"), false},
		{"the factory", c.AccountFactory(), false},
	}
	for _, tt := range tests {
		got, err := recovery.Controls(ctx, c.Client(), c.AccountFactory(), mine, tt.addr)
		if err != nil || got != tt.want {
			t.Errorf("%s: %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if rec, err := recovery.Contract(ctx, c.Client(), c.AccountFactory()); err != nil || rec != c.Recovery() {
		t.Errorf("Contract: %s, %v; want %s", rec, err, c.Recovery())
	}
}
