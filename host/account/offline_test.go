package account_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain/devchaintest"
	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

func TestOwnerRejectsOtherKeySizes(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := account.OwnerFromPublicKey(&key.PublicKey); err == nil {
		t.Error("RSA-1024 accepted")
	}
	if _, err := account.OwnerFromCertificate([]byte("not a certificate")); err == nil {
		t.Error("garbage certificate accepted")
	}
}

// ERC-7739 cannot carry a contents type whose name starts with a lowercase letter or holds separators:
// those are refused before the card is asked.
func TestTypedDataSignHashRejectsUnencodableNames(t *testing.T) {
	d := account.CardAccountDomain(big.NewInt(1), common.HexToAddress("0x01"))
	for _, name := range []string{"mail", "", "Ma il", "EIP712Domain"} {
		td, err := eip712.Decode(string(bytes.ReplaceAll(devchaintest.MailTypedData(big.NewInt(1), "x"), []byte(`"Mail"`), []byte(`"`+name+`"`))))
		if err != nil {
			continue // unreadable is refused too
		}
		if _, _, _, err := account.TypedDataSignHash(d, td); err == nil {
			t.Errorf("primaryType %q accepted", name)
		}
	}
}

func TestUserOperationJSONRoundTrip(t *testing.T) {
	for _, op := range []*account.UserOperation{
		{Sender: common.HexToAddress("0x01"), Nonce: big.NewInt(5), Factory: common.HexToAddress("0x02"), FactoryData: []byte{1, 2},
			CallData: []byte{3}, CallGasLimit: 10, VerificationGasLimit: 20, PreVerificationGas: 30,
			MaxFeePerGas: big.NewInt(40), MaxPriorityFeePerGas: big.NewInt(50), Signature: []byte{9}},
		{Sender: common.HexToAddress("0x01"), Nonce: new(big.Int), CallData: []byte{}, MaxFeePerGas: big.NewInt(1), MaxPriorityFeePerGas: big.NewInt(1), Signature: []byte{}},
	} {
		raw, err := json.Marshal(op)
		if err != nil {
			t.Fatal(err)
		}
		var back account.UserOperation
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if back.Hash(big.NewInt(1), common.Address{}) != op.Hash(big.NewInt(1), common.Address{}) || !bytes.Equal(back.Signature, op.Signature) {
			t.Errorf("round trip changed %s", raw)
		}
		if (op.Factory == common.Address{}) == bytes.Contains(raw, []byte(`"factory"`)) {
			t.Errorf("factory field presence wrong: %s", raw)
		}
	}
}

// A card that signs with another key is caught before the signature leaves the host.
func TestSignatureFromAnotherKeyIsRefused(t *testing.T) {
	c := defaultChain(t)
	card := openCard(t)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	a := newAccountWithSigner(t, c, card, other)
	if _, err := a.SignPersonal(devchaintest.Context(t), []byte("x")); err == nil {
		t.Error("signature by another key returned")
	}
}

// With the PIN verified, each signature is one APDU, PERFORM SECURITY OPERATION (80 2A 00 80); the first
// after the PIN also selects the key's EF (00 A4 02 0C).
func TestOneAPDUPerSignature(t *testing.T) {
	c := defaultChain(t)
	card := openCard(t)
	a := newAccount(t, c, card)
	card.vc.ResetLog()
	for i := range 3 {
		if _, err := a.SignPersonal(devchaintest.Context(t), []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if log := card.vc.Log(); len(log) != 4 {
		t.Errorf("%d APDUs for 3 signatures: %v", len(log), log)
	}
}

// A limit shown on a sheet covers a fresh build whose simulated amount (the
// limit less its margin) fits in it, and no more.
func TestCoversTakesTheMarginOffTheFreshLimit(t *testing.T) {
	shown := uint64(55_140) // 37,617 simulated, with 20 % and 10,000 on top
	for _, tt := range []struct {
		fresh uint64
		want  bool
	}{
		{shown, true},
		{58_446, true},  // 40,371 simulated: a slot written since the sheet
		{76_168, true},  // 55,140 simulated: the whole shown limit
		{76_170, false}, // one more
		{5_000, true},   // below the fixed margin
	} {
		if got := account.Covers(shown, tt.fresh); got != tt.want {
			t.Errorf("Covers(%d, %d) = %v, want %v", shown, tt.fresh, got, tt.want)
		}
	}
}

// Fees shown on a sheet cover a fresh operation while its base fee (from
// Fees: 2 × base + tip) plus the shown tip fits under the shown maxFee.
func TestFeesCoverComparesTheFreshBaseFee(t *testing.T) {
	gwei := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e9)) }
	fresh := &account.UserOperation{MaxFeePerGas: gwei(21), MaxPriorityFeePerGas: gwei(1)} // base fee 10 gwei
	for _, tt := range []struct {
		maxFee, tip int64
		want        bool
	}{
		{21, 1, true},  // as built
		{11, 1, true},  // the shown fee still clears the base fee
		{10, 1, false}, // base 10 + tip 1 is above it
		{12, 2, true},
		{12, 13, false}, // a tip above the fee itself
	} {
		if got := account.FeesCover(gwei(tt.maxFee), gwei(tt.tip), fresh); got != tt.want {
			t.Errorf("FeesCover(%d, %d gwei) = %v, want %v", tt.maxFee, tt.tip, got, tt.want)
		}
	}
}

// node answers Fees' two questions: a base fee of 10 gwei and a tip of 1 gwei.
type node struct{}

func (node) HeaderByNumber(context.Context, *big.Int) (*types.Header, error) {
	return &types.Header{BaseFee: big.NewInt(10e9)}, nil
}
func (node) SuggestGasTipCap(context.Context) (*big.Int, error) { return big.NewInt(1e9), nil }

// priceQuoter is a bundler with (or without) a price of its own.
type priceQuoter struct {
	maxFee, tip *big.Int
	has         bool
	err         error
}

func (priceQuoter) Estimate(context.Context, *account.UserOperation, common.Address) (account.GasEstimate, error) {
	return account.GasEstimate{}, nil
}
func (q priceQuoter) GasPrice(context.Context) (*big.Int, *big.Int, bool, error) {
	return q.maxFee, q.tip, q.has, q.err
}

// The fees come from the bundler where it has a price (with the same room for its base part to double as the
// node's price leaves, so FeesCover reads both alike), else from the node; a bundler's error answer to the
// price question is its refusal, before anything is signed.
func TestQuotedFeesTakeTheBundlersPrice(t *testing.T) {
	gwei := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e9)) }
	for _, tt := range []struct {
		name             string
		q                account.Quoter
		maxFee, tip      *big.Int
		refused, invalid bool
	}{
		{"no bundler: the node's price", nil, gwei(21), gwei(1), false, false},
		{"a bundler without a price method", priceQuoter{}, gwei(21), gwei(1), false, false},
		{"the bundler's price", priceQuoter{maxFee: gwei(15), tip: gwei(2), has: true}, gwei(28), gwei(2), false, false},
		{"a price below its own tip", priceQuoter{maxFee: gwei(1), tip: gwei(2), has: true}, nil, nil, false, true},
		{"the bundler answers an error", priceQuoter{err: rpc.HTTPError{StatusCode: 500, Body: []byte(`{"jsonrpc":"2.0","id":1,"error":{"code":-32500,"message":"no"}}`)}}, nil, nil, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			maxFee, tip, err := account.QuotedFees(context.Background(), node{}, tt.q)
			switch {
			case tt.refused:
				if !errors.Is(err, account.ErrBundlerRefused) || !strings.Contains(err.Error(), "no (code -32500)") {
					t.Errorf("err = %v, want the bundler's refusal", err)
				}
			case tt.invalid:
				if err == nil {
					t.Error("accepted")
				}
			case err != nil:
				t.Fatal(err)
			case maxFee.Cmp(tt.maxFee) != 0 || tip.Cmp(tt.tip) != 0:
				t.Errorf("fees %s (tip %s), want %s (tip %s)", maxFee, tip, tt.maxFee, tt.tip)
			}
		})
	}
}
