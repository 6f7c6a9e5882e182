package sigcheck

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/siwe"
)

// VerifySignIn checks a signed Sign-In with Ethereum message against the one the server issued: every field
// and the time window by siwe.Check, then sig as the address's EIP-191 signature of raw, by Verify on the
// chain behind b, which the caller must have made sure is chain issued.ChainID. A signature that does not
// verify is siwe.ErrBadSignature; the other failures are siwe's Err* values.
func VerifySignIn(ctx context.Context, b Backend, issued *siwe.Message, raw string, sig []byte, now time.Time) (Result, error) {
	m, err := siwe.Check(issued, raw, now)
	if err != nil {
		return Result{}, err
	}
	res, err := Verify(ctx, b, common.Address(m.Address), PersonalHash([]byte(raw)), sig)
	if err != nil {
		return res, fmt.Errorf("siwe: %w", err)
	}
	if !res.Valid {
		if res.Reason != "" {
			return res, fmt.Errorf("%w (%s): %s", siwe.ErrBadSignature, res.Method, res.Reason)
		}
		return res, fmt.Errorf("%w (%s)", siwe.ErrBadSignature, res.Method)
	}
	return res, nil
}
