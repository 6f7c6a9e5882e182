package devchaintest

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
)

// Ether is n ether in wei; it is also n test JPYC, which has 18 decimals
// too.
func Ether(n int64) *big.Int {
	return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether))
}

// Call makes an eth_call of a's method on the contract at to and returns
// the decoded results. The error is the call's (a revert, say), for tests
// that expect one; a method a cannot encode fails the test.
func Call(t testing.TB, c *devchain.Chain, to common.Address, a *contracts.Artifact, method string, args ...any) ([]any, error) {
	t.Helper()
	data, err := a.Pack(method, args...)
	if err != nil {
		t.Fatalf("encoding %s.%s: %v", a.Name, method, err)
	}
	out, err := c.Client().CallContract(Context(t), ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		return nil, err
	}
	return a.Unpack(method, out)
}

// CallAs makes an eth_call as Call does and returns its single result as a
// T, failing the test if the call fails.
func CallAs[T any](t testing.TB, c *devchain.Chain, to common.Address, a *contracts.Artifact, method string, args ...any) T {
	t.Helper()
	out, err := Call(t, c, to, a, method, args...)
	if err != nil {
		t.Fatalf("%s.%s: %v", a.Name, method, err)
	}
	return out[0].(T)
}

// Balance is who's ether balance in wei.
func Balance(t testing.TB, c *devchain.Chain, who common.Address) *big.Int {
	t.Helper()
	b, err := c.Client().BalanceAt(Context(t), who, nil)
	if err != nil {
		t.Fatalf("balance of %s: %v", who, err)
	}
	return b
}

// TokenBalance is who's balance of the chain's test JPYC, in its smallest
// unit.
func TokenBalance(t testing.TB, c *devchain.Chain, who common.Address) *big.Int {
	t.Helper()
	return CallAs[*big.Int](t, c, c.Token(), contracts.TestJPYC, "balanceOf", who)
}

// TransferJPYC is a call that sends amount of the chain's test JPYC to
// to, for a batch an account executes.
func TransferJPYC(t testing.TB, c *devchain.Chain, to common.Address, amount *big.Int) contracts.Call {
	t.Helper()
	data, err := contracts.TestJPYC.Pack("transfer", to, amount)
	if err != nil {
		t.Fatalf("encoding a JPYC transfer: %v", err)
	}
	return contracts.Call{Target: c.Token(), Data: data}
}

// FeeMeter measures what an account pays in fees for its UserOperations:
// its ether balance and its EntryPoint deposit, before and after.
type FeeMeter struct {
	t                testing.TB
	c                *devchain.Chain
	acct             common.Address
	balance, deposit *big.Int
}

// MeterFees starts measuring acct's fees.
func MeterFees(t testing.TB, c *devchain.Chain, acct common.Address) *FeeMeter {
	t.Helper()
	m := &FeeMeter{t: t, c: c, acct: acct}
	m.balance, m.deposit = Balance(t, c, acct), m.depositNow()
	return m
}

func (m *FeeMeter) depositNow() *big.Int {
	return CallAs[*big.Int](m.t, m.c, m.c.EntryPoint(), contracts.EntryPoint, "balanceOf", m.acct)
}

// Since returns, given the ether the account sent meanwhile, what left its
// balance for fees (the prefund: at most the operation's maximum cost) and
// what it paid (the prefund less what the EntryPoint kept as its deposit,
// which pays its next operations).
func (m *FeeMeter) Since(sent *big.Int) (prefund, paid *big.Int) {
	m.t.Helper()
	prefund = new(big.Int).Sub(m.balance, Balance(m.t, m.c, m.acct))
	prefund.Sub(prefund, sent)
	return prefund, new(big.Int).Sub(prefund, new(big.Int).Sub(m.depositNow(), m.deposit))
}

// CheckEmptied checks that from holds no ether and no test JPYC, and that to
// holds exactly eth and jpyc: everything moved, nothing lost on the way.
func CheckEmptied(t testing.TB, c *devchain.Chain, from, to common.Address, eth, jpyc *big.Int) {
	t.Helper()
	for _, b := range []struct {
		what      string
		got, want *big.Int
	}{
		{"ether left behind", Balance(t, c, from), new(big.Int)},
		{"JPYC left behind", TokenBalance(t, c, from), new(big.Int)},
		{"ether that arrived", Balance(t, c, to), eth},
		{"JPYC that arrived", TokenBalance(t, c, to), jpyc},
	} {
		if b.got.Cmp(b.want) != 0 {
			t.Errorf("%s: %v, want %v", b.what, b.got, b.want)
		}
	}
}
