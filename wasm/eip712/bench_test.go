package eip712

import (
	"strings"
	"testing"
)

// BenchmarkDecode: an ERC-2612 Permit, the usual size of typed data, and a
// 30 KiB message of 1,000 array items near the size limit.
func BenchmarkDecode(b *testing.B) {
	items := make([]string, 300)
	for i := range items {
		items[i] = `{"to":"0x1111111111111111111111111111111111111111","amount":"123456789012345678901234567890"}`
	}
	large := `{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"Batch":[{"name":"transfers","type":"Transfer[]"}],` +
		`"Transfer":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}]},"primaryType":"Batch","domain":{"name":"x"},` +
		`"message":{"transfers":[` + strings.Join(items, ",") + `]}}`
	for _, bc := range []struct{ name, text string }{{"permit", permit}, {"30KiB", large}} {
		if _, err := Decode(bc.text); err != nil {
			b.Fatalf("%s: %v", bc.name, err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			for range b.N {
				if _, err := Decode(bc.text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
