package sha256lite

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestSum256MatchesStdlib(t *testing.T) {
	data := make([]byte, 600)
	for i := range data {
		data[i] = byte(i*7 + 3)
	}
	// Every length around the 55/56/64-byte padding boundaries, and a 4096-bit modulus's 512 bytes.
	for n := 0; n <= len(data); n++ {
		if got, want := Sum256(data[:n]), sha256.Sum256(data[:n]); got != want {
			t.Fatalf("Sum256 of %d bytes = %x, crypto/sha256 says %x", n, got, want)
		}
	}
	abc := Sum256([]byte("abc"))
	if got := hex.EncodeToString(abc[:]); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("Sum256(abc) = %s (FIPS 180-2 example)", got)
	}
}

func FuzzSum256(f *testing.F) {
	f.Add([]byte("abc"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := Sum256(b), sha256.Sum256(b); got != want {
			t.Fatalf("Sum256(%x) = %x, crypto/sha256 says %x", b, got, want)
		}
	})
}
