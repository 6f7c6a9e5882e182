package contracts

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/mynaconnect/mynaconnect/wasm/ethsheet"
)

// The consent sheet reads CardRecovery's calls with its own small ABI reader (the WebAssembly module carries
// no go-ethereum): every call MynaConnect's page sends, as the contract's ABI packs it, must come out as the
// same call kind and arguments, and a one-byte change anywhere in the arguments must not be read as
// something else.
func TestTheSheetReadsRecoveryCallsAsTheContractsABIPacksThem(t *testing.T) {
	account := common.HexToAddress("0x00000000000000000000000000000000000a11ce")
	guardian := common.HexToAddress("0x00000000000000000000000000000000000b0b00")
	e := []byte{1, 0, 1}
	n := append([]byte{0xc0}, bytes.Repeat([]byte{0x5a}, 255)...)
	n[248] = 0x01
	pack := func(method string, args ...any) []byte {
		data, err := CardRecovery.Pack(method, args...)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	recovery := "0x00000000000000000000000000000000000ec0de"
	tests := []struct {
		data []byte
		kind string
	}{
		{pack("setGuardians", [][]byte{guardian.Bytes(), append(guardian.Bytes(), make([]byte, 64)...)}, uint8(2), uint32(96*3600)), ethsheet.KindSetGuardians},
		{pack("cancelRecovery"), ethsheet.KindCancelRecovery},
		{pack("cancelGuardiansChange"), ethsheet.KindCancelGuardiansChange},
		{pack("rotateByOwner", e, n, make([]byte, 256)), ethsheet.KindRotateOwner},
		{pack("startRecovery", account, e, n, make([]byte, 256), [][]byte{guardian.Bytes(), account.Bytes()}, [][]byte{{}, make([]byte, 65)}), ethsheet.KindStartRecovery},
		{pack("executeRecovery", account, e, n), ethsheet.KindExecuteRecovery},
	}
	self := ethsheet.Request{Self: true, Lang: "ja", Account: "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4",
		Chain:      ethsheet.Chain{ID: 1337, Name: "dev", Native: ethsheet.Currency{Name: "Ether", Symbol: "ETH", Decimals: 18}},
		Protection: &ethsheet.Protection{Recovery: recovery}}
	fee := ethsheet.FeeInput{CallGasLimit: "0x1", VerificationGasLimit: "0x1", PreVerificationGas: "0x1", MaxFeePerGas: "0x1", MaxPriorityFeePerGas: "0x1"}
	for _, tt := range tests {
		s, err := ethsheet.Calls(self, []ethsheet.CallInput{{To: recovery, Data: hexutil.Encode(tt.data)}}, fee)
		if err != nil {
			t.Errorf("%s: %v", tt.kind, err)
			continue
		}
		c := s.Calls[0]
		if c.Kind != tt.kind {
			t.Errorf("%x…: read as %s, want %s", tt.data[:4], c.Kind, tt.kind)
		}
		switch tt.kind {
		case ethsheet.KindSetGuardians:
			if len(c.Guardians) != 2 || c.Guardians[0] != hexutil.Encode(guardian.Bytes()) || c.Threshold != 2 || c.Delay != 96*3600 {
				t.Errorf("setGuardians read as %+v", c)
			}
		case ethsheet.KindStartRecovery, ethsheet.KindExecuteRecovery:
			if c.Moved != hexutil.Encode(account.Bytes()) || c.KeyCheck != ethsheet.KeyCheck(n) {
				t.Errorf("%s read as %+v", tt.kind, c)
			}
		}
		// Each byte of the arguments changed in turn: refused, or read as the same function, never as another;
		// where there is no signature the sheet leaves unshown (executeRecovery), always seen.
		for i := 4; i < len(tt.data); i++ {
			bent := bytes.Clone(tt.data)
			bent[i] ^= 0x80
			s, err := ethsheet.Calls(self, []ethsheet.CallInput{{To: recovery, Data: hexutil.Encode(bent)}}, fee)
			switch {
			case err != nil:
			case s.Calls[0].Kind != tt.kind:
				t.Fatalf("%s with byte %d changed: read as %s", tt.kind, i, s.Calls[0].Kind)
			case tt.kind == ethsheet.KindExecuteRecovery && s.Calls[0].Moved == c.Moved && s.Calls[0].KeyCheck == c.KeyCheck:
				t.Errorf("executeRecovery with byte %d changed reads the same", i)
			}
		}
	}
}
