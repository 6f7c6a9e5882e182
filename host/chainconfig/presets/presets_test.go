package presets_test

import (
	"slices"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/chainconfig/presets"
)

// Every preset is a valid network once given an RPC address, keys and chain ids are unique, and the JPYC
// tokens are where they live: the new JPYC on the four main networks, JPYC Prepaid on the first three, none
// on the test networks (whose JPYC, if any, is added by address).
func TestPresets(t *testing.T) {
	withJPYC := map[uint64][]chainconfig.Token{
		1: {presets.JPYC, presets.JPYCPrepaid}, 137: {presets.JPYC, presets.JPYCPrepaid}, 43114: {presets.JPYC, presets.JPYCPrepaid}, 8217: {presets.JPYC},
	}
	f := &chainconfig.File{Format: chainconfig.Format}
	var keys []string
	for _, p := range presets.All() {
		if slices.Contains(keys, p.Key) {
			t.Errorf("key %s twice", p.Key)
		}
		keys = append(keys, p.Key)
		n := p.Network
		n.RPCURL = "https://rpc.invalid/"
		f.Networks = append(f.Networks, n)
		if !slices.Equal(n.Tokens, withJPYC[n.ChainID]) {
			t.Errorf("%s: tokens %v, want %v", p.Key, n.Tokens, withJPYC[n.ChainID])
		}
		if got, ok := presets.ByKey(p.Key); !ok || got.Network.ChainID != n.ChainID {
			t.Errorf("ByKey(%s) = %+v, %v", p.Key, got, ok)
		}
	}
	if err := f.Validate(); err != nil { // chain ids unique, tokens and currencies well formed
		t.Error(err)
	}
	if len(keys) != 8 {
		t.Errorf("%d presets, want 4 networks and their test networks", len(keys))
	}
	if presets.JPYC.Name == presets.JPYCPrepaid.Name {
		t.Error("the two JPYC tokens carry the same label")
	}
}
