package chaintest

import (
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
)

// The card's UserOperations move ETH and JPYC through EntryPoint.handleOps sent by the relayer; the first
// one also deploys the account from its initCode.
func TestUserOperationsTransfer(t *testing.T) {
	c := defaultChain(t)
	alice := common.HexToAddress("0x00000000000000000000000000000000a11ce000")
	bob := common.HexToAddress("0x00000000000000000000000000000000b0b00000")
	tests := []struct {
		name          string
		calls         func(a *account) []contracts.Call
		eth, jpyc     *big.Int // what alice receives
		bobETH        *big.Int
		firstOperates bool
	}{
		{
			name: "ETH transfer",
			calls: func(*account) []contracts.Call {
				return []contracts.Call{{Target: alice, Value: devchaintest.Ether(1)}}
			},
			eth: devchaintest.Ether(1), jpyc: big.NewInt(0), bobETH: big.NewInt(0),
		},
		{
			name: "JPYC transfer",
			calls: func(*account) []contracts.Call {
				return []contracts.Call{devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(1500))}
			},
			eth: big.NewInt(0), jpyc: devchaintest.Ether(1500), bobETH: big.NewInt(0),
		},
		{
			name: "batch of three",
			calls: func(*account) []contracts.Call {
				return []contracts.Call{{Target: alice, Value: big.NewInt(7)}, devchaintest.TransferJPYC(t, c, alice, devchaintest.Ether(3)), {Target: bob, Value: big.NewInt(11)}}
			},
			eth: big.NewInt(7), jpyc: devchaintest.Ether(3), bobETH: big.NewInt(11),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newCardAccount(t, c, testCard(t))
			if err := c.Fund(devchaintest.Context(t), a.addr, devchaintest.Ether(5), devchaintest.Ether(10_000)); err != nil {
				t.Fatal(err)
			}
			// Twice: first with initCode (deploys), then on the deployed account.
			for round := range 2 {
				ethBefore, jpycBefore, bobBefore := devchaintest.Balance(t, c, alice), devchaintest.TokenBalance(t, c, alice), devchaintest.Balance(t, c, bob)
				op := a.newOp(t, tt.calls(a))
				if (round == 0) != (len(op.InitCode) > 0) {
					t.Fatalf("round %d: initCode %d bytes", round, len(op.InitCode))
				}
				onChain := devchaintest.CallAs[[32]byte](t, c, c.EntryPoint(), contracts.EntryPoint, "getUserOpHash", *op)
				if common.Hash(onChain) != op.hash(c.ChainID(), c.EntryPoint()) {
					t.Fatalf("userOpHash: EntryPoint %x, local %s", onChain, op.hash(c.ChainID(), c.EntryPoint()))
				}
				if _, err := handleOps(t, c, op); err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				for _, d := range []struct {
					what        string
					before, now *big.Int
					want        *big.Int
				}{
					{"alice ETH", ethBefore, devchaintest.Balance(t, c, alice), tt.eth},
					{"alice JPYC", jpycBefore, devchaintest.TokenBalance(t, c, alice), tt.jpyc},
					{"bob ETH", bobBefore, devchaintest.Balance(t, c, bob), tt.bobETH},
				} {
					if got := new(big.Int).Sub(d.now, d.before); got.Cmp(d.want) != 0 {
						t.Errorf("round %d: %s changed by %v, want %v", round, d.what, got, d.want)
					}
				}
			}
		})
	}
}

// A renewed card takes the account over through a UserOperation signed by the current card, which asks
// CardRecovery (the one caller rotateOwner accepts) with the renewed card's own signature; from then on the
// old card's signatures fail everywhere and the new card's work. The account cannot rotate itself any
// other way.
func TestOwnerRotation(t *testing.T) {
	c := defaultChain(t)
	oldCard, newCard := testCard(t), renewedCard(t)
	rotate, err := contracts.CardAccount.Pack("rotateOwner", newCard.e, newCard.n)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		callData func(a *account) []byte
		ok       bool
	}{
		{"through CardRecovery.rotateByOwner with the new card's signature", func(a *account) []byte {
			hash := devchaintest.CallAs[[32]byte](t, c, c.Recovery(), contracts.CardRecovery, "recoveryHash", a.addr, newCard.e, newCard.n)
			data, err := contracts.CardRecovery.Pack("rotateByOwner", newCard.e, newCard.n, newCard.sign(hash))
			if err != nil {
				t.Fatal(err)
			}
			batch, err := contracts.ExecuteBatch([]contracts.Call{{Target: c.Recovery(), Data: data}})
			if err != nil {
				t.Fatal(err)
			}
			return batch
		}, true},
		{"the account calling rotateOwner on itself", func(a *account) []byte {
			data, err := contracts.ExecuteBatch([]contracts.Call{{Target: a.addr, Data: rotate}})
			if err != nil {
				t.Fatal(err)
			}
			return data
		}, false},
		{"the EntryPoint calling rotateOwner directly", func(*account) []byte { return rotate }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newCardAccount(t, c, oldCard)
			if err := c.Fund(devchaintest.Context(t), a.addr, devchaintest.Ether(5), devchaintest.Ether(100)); err != nil {
				t.Fatal(err)
			}
			a.deploy(t)

			// Nobody from outside may rotate.
			to := a.addr
			if _, err := c.Send(devchaintest.Context(t), devchain.RelayerKey, &to, nil, rotate); err == nil {
				t.Fatal("an outsider rotated the owner")
			}

			op := a.newOp(t, nil)
			op.CallData = tt.callData(a)
			op.Signature = oldCard.sign(op.hash(c.ChainID(), c.EntryPoint()))
			r, err := handleOps(t, c, op)
			if !tt.ok {
				if err == nil {
					t.Fatal("the rotation succeeded")
				}
				if got := devchaintest.CallAs[[32]byte](t, c, a.addr, contracts.CardAccount, "keyHash"); common.Hash(got) != contracts.KeyHash(oldCard.e, oldCard.n) {
					t.Fatal("the owner changed")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rotated := contracts.CardAccount.ABI().Events["OwnerRotated"]
			var seen bool
			for _, l := range r.Logs {
				if l.Address == a.addr && l.Topics[0] == rotated.ID {
					seen = l.Topics[1] == contracts.KeyHash(oldCard.e, oldCard.n) && l.Topics[2] == contracts.KeyHash(newCard.e, newCard.n)
				}
			}
			if !seen {
				t.Error("no OwnerRotated(old key hash, new key hash) event")
			}
			if e, n := signerOf(t, c, a.addr); string(e) != string(newCard.e) || string(n) != string(newCard.n) {
				t.Error("signer() is not the new key")
			}
			if got := devchaintest.CallAs[[32]byte](t, c, a.addr, contracts.CardAccount, "keyHash"); common.Hash(got) != contracts.KeyHash(newCard.e, newCard.n) {
				t.Errorf("keyHash %x", got)
			}

			// ERC-1271: the old card's signatures fail, the new card's pass.
			msg := []byte("after rotation")
			target := a.personalTarget(c.ChainID(), msg)
			hash, _ := a.personalSign(c.ChainID(), msg)
			if a.isValid1271(t, hash, oldCard.sign(target)) {
				t.Error("old card's ERC-1271 signature still valid")
			}
			if !a.isValid1271(t, hash, newCard.sign(target)) {
				t.Error("new card's ERC-1271 signature invalid")
			}

			// UserOperations: the old card's is refused at validation, the new card's executes.
			dest := common.HexToAddress("0x00000000000000000000000000000000000d0e57")
			a.sign = oldCard.sign
			if _, err := handleOps(t, c, a.newOp(t, []contracts.Call{{Target: dest, Value: big.NewInt(1)}})); err == nil || !strings.Contains(err.Error(), "AA24") {
				t.Errorf("old card's UserOperation: err %v, want AA24 signature error", err)
			}
			a.sign = newCard.sign
			if _, err := handleOps(t, c, a.newOp(t, []contracts.Call{{Target: dest, Value: big.NewInt(1)}})); err != nil {
				t.Errorf("new card's UserOperation: %v", err)
			}
			if got := devchaintest.Balance(t, c, dest); got.Sign() == 0 {
				t.Error("transfer after rotation did not arrive")
			}
		})
	}
}

// The relayer needs nothing from the account but a valid operation: the secp256k1 reference account runs
// the same calls through the same EntryPoint (the gas comparison relies on it).
func TestReferenceAccountRunsTheSameOperations(t *testing.T) {
	c := defaultChain(t)
	owner, _ := crypto.GenerateKey()
	a := newECDSAAccount(t, c, owner)
	if err := c.Fund(devchaintest.Context(t), a.addr, devchaintest.Ether(1), devchaintest.Ether(10)); err != nil {
		t.Fatal(err)
	}
	dest := common.HexToAddress("0x0000000000000000000000000000000000000e0a")
	if _, err := handleOps(t, c, a.newOp(t, []contracts.Call{{Target: dest, Value: big.NewInt(3)}, devchaintest.TransferJPYC(t, c, dest, big.NewInt(4))})); err != nil {
		t.Fatal(err)
	}
	if devchaintest.Balance(t, c, dest).Int64() != 3 || devchaintest.TokenBalance(t, c, dest).Int64() != 4 {
		t.Error("transfers did not arrive")
	}
	hash, sig := a.personalSign(c.ChainID(), []byte("hello"))
	if !a.isValid1271(t, hash, sig) {
		t.Error("reference account rejects its ERC-7739 signature")
	}
}
