package devchaintest

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// MailTypedData is EIP-712's own example, the Ether Mail from Cow to Bob,
// with chainID and contents of the test's choosing, as
// eth_signTypedData_v4 takes it. With chain 1 and "Hello, Bob!" it is the
// example itself, whose hash the standard gives.
func MailTypedData(chainID *big.Int, contents string) []byte {
	return []byte(fmt.Sprintf(`{
  "types": {
    "EIP712Domain": [{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
    "Person": [{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
    "Mail": [{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]
  },
  "primaryType": "Mail",
  "domain": {"name":"Ether Mail","version":"1","chainId":%s,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
  "message": {"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":%q}
}`, chainID, contents))
}

// DecodeTypedData reads typed data as the consent sheet and the host do
// (eip712.Decode), failing t if it does not decode.
func DecodeTypedData(t testing.TB, text []byte) *eip712.TypedData {
	t.Helper()
	td, err := eip712.Decode(string(text))
	if err != nil {
		t.Fatalf("typed data: %v", err)
	}
	return td
}
