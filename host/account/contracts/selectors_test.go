package contracts

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// The extension writes the contracts' function selectors as constants, each with the function's signature in
// a comment ('0x4c5848ed'; // setGuardians(bytes[],uint8,uint32)); a wrong one would send a call the sheet
// or the contract refuses, or read the wrong function. Each must be the Keccak-256 of its signature, and a
// function of the contract named (when a name is given).
func TestTheExtensionsSelectorsAreTheContracts(t *testing.T) {
	constant := regexp.MustCompile(`'(0x[0-9a-f]{8})'; // (?:(\w+)\.)?(\w+\([^)]*\))`)
	byName := map[string]*Artifact{}
	for _, a := range All() {
		byName[a.Name] = a
	}
	found := 0
	err := filepath.WalkDir("../../../extension/src", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range constant.FindAllStringSubmatch(string(text), -1) {
			found++
			if want := hexutil.Encode(crypto.Keccak256([]byte(m[3]))[:4]); m[1] != want {
				t.Errorf("%s: %s is written %s, its selector is %s", path, m[3], m[1], want)
			}
			if m[2] == "" {
				continue
			}
			a, ok := byName[m[2]]
			if !ok {
				t.Errorf("%s: %s names no contract", path, m[2])
				continue
			}
			if _, err := a.ABI().MethodById(hexutil.MustDecode(m[1])); err != nil {
				t.Errorf("%s: %s has no function %s", path, m[2], m[3])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 8 {
		t.Errorf("found %d selector constants in the extension, want the recovery calls' and reads' (8 or more)", found)
	}
}
