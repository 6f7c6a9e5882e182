package certview

import (
	"crypto/sha256"
	"testing"
)

func TestSum256MatchesStdlib(t *testing.T) {
	data := make([]byte, 300)
	for i := range data {
		data[i] = byte(i*7 + 3)
	}
	// Every length around the 55/56/64-byte padding boundaries, and more.
	for n := 0; n <= len(data); n++ {
		if got, want := sum256(data[:n]), sha256.Sum256(data[:n]); got != want {
			t.Fatalf("sum256 of %d bytes = %x, crypto/sha256 says %x", n, got, want)
		}
	}
	abc := sum256([]byte("abc"))
	if got := hexString(abc[:]); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("sum256(abc) = %s (FIPS 180-2 example)", got)
	}
}

func FuzzSum256(f *testing.F) {
	f.Add([]byte("abc"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := sum256(b), sha256.Sum256(b); got != want {
			t.Fatalf("sum256(%x) = %x, crypto/sha256 says %x", b, got, want)
		}
	})
}
