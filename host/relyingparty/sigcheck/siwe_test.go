package sigcheck_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/sigcheck"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/siwe"
	"github.com/mynaconnect/mynaconnect/host/testbed/devchain"
)

// VerifySignIn with an ordinary wallet's key on the dev chain (the card account's sign-ins are tested
// through host/testbed/demoserver): the time window, the fields, the signature.
func TestVerifySignIn(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := devchain.Start(ctx, devchain.Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	issued, err := siwe.New("http://127.0.0.1:8765", siwe.Address(crypto.PubkeyToAddress(key.PublicKey)), 1337, "Sign in.", now, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(msg string) []byte {
		sig, err := crypto.Sign(accounts.TextHash([]byte(msg)), key)
		if err != nil {
			t.Fatal(err)
		}
		sig[64] += 27
		return sig
	}
	raw := issued.String()
	notBefore := *issued
	notBefore.NotBefore = now.Add(time.Minute)
	tests := []struct {
		name   string
		issued *siwe.Message
		raw    string
		sig    []byte
		at     time.Time
		want   error
	}{
		{"valid", issued, raw, sign(raw), now, nil},
		{"just before it expires", issued, raw, sign(raw), now.Add(5*time.Minute - time.Second), nil},
		{"expired", issued, raw, sign(raw), now.Add(5 * time.Minute), siwe.ErrExpired},
		{"not yet valid", &notBefore, notBefore.String(), sign(notBefore.String()), now, siwe.ErrNotYetValid},
		{"signed by another key", issued, raw, func() []byte {
			k, _ := crypto.GenerateKey()
			s, _ := crypto.Sign(accounts.TextHash([]byte(raw)), k)
			s[64] += 27
			return s
		}(), now, siwe.ErrBadSignature},
		{"a signature of another text", issued, raw, sign(raw + " "), now, siwe.ErrBadSignature},
		{"malformed", issued, raw + "\n", sign(raw + "\n"), now, siwe.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := sigcheck.VerifySignIn(ctx, c.Client(), tt.issued, tt.raw, tt.sig, tt.at)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("VerifySignIn = %v, want %v", err, tt.want)
			}
			if err == nil && (!res.Valid || res.Method != sigcheck.EOA) {
				t.Errorf("result %+v", res)
			}
		})
	}
}
