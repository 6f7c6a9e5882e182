package typedhash_test

import (
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/account/typedhash"
	"github.com/mynaconnect/mynaconnect/wasm/eip712"
)

// BenchmarkHash: the EIP-712 hash of 300 transfers, a message near the
// 32 KiB limit whose every item is a struct.
func BenchmarkHash(b *testing.B) {
	items := make([]string, 300)
	for i := range items {
		items[i] = `{"to":"0x1111111111111111111111111111111111111111","amount":"123456789012345678901234567890"}`
	}
	td, err := eip712.Decode(`{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"Batch":[{"name":"transfers","type":"Transfer[]"}],` +
		`"Transfer":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}]},"primaryType":"Batch","domain":{"name":"x"},` +
		`"message":{"transfers":[` + strings.Join(items, ",") + `]}}`)
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		typedhash.Hash(td)
	}
}
