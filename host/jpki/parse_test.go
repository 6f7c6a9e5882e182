package jpki

import (
	"bytes"
	"errors"
	"testing"
)

func TestParseResponse(t *testing.T) {
	tests := []struct {
		name    string
		raw     []byte
		data    []byte
		sw      uint16
		wantErr bool
	}{
		{"status only", []byte{0x90, 0x00}, []byte{}, SWOK, false},
		{"data and status", []byte{1, 2, 3, 0x62, 0x82}, []byte{1, 2, 3}, SWEndOfFileWarning, false},
		{"retry counter", []byte{0x63, 0xC2}, []byte{}, 0x63C2, false},
		{"empty", nil, nil, 0, true},
		{"one byte", []byte{0x90}, nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := ParseResponse(tt.raw)
			if tt.wantErr {
				if !errors.Is(err, ErrMalformedResponse) {
					t.Fatalf("ParseResponse(% X) error = %v, want ErrMalformedResponse", tt.raw, err)
				}
				return
			}
			if err != nil || resp.SW != tt.sw || !bytes.Equal(resp.Data, tt.data) {
				t.Fatalf("ParseResponse(% X) = %X, %04X, %v; want %X, %04X", tt.raw, resp.Data, resp.SW, err, tt.data, tt.sw)
			}
		})
	}
}

func TestDERLength(t *testing.T) {
	tests := []struct {
		name    string
		header  []byte
		want    int
		wantErr bool
	}{
		{"short form", []byte{0x30, 0x05}, 7, false},
		{"one length byte", []byte{0x30, 0x81, 0xC8}, 203, false},
		{"two length bytes (a real auth cert)", []byte{0x30, 0x82, 0x06, 0x2B}, 1583, false},
		{"at the limit", []byte{0x30, 0x82, 0x1F, 0xFC}, maxCertificateLen, false},
		{"over the limit", []byte{0x30, 0x82, 0x1F, 0xFD}, 0, true},
		{"not a sequence", []byte{0x04, 0x82, 0x01, 0x00}, 0, true},
		{"three length bytes", []byte{0x30, 0x83, 0x01, 0x00, 0x00}, 0, true},
		{"indefinite length", []byte{0x30, 0x80}, 0, true},
		{"header cut short", []byte{0x30, 0x82, 0x06}, 0, true},
		{"one byte", []byte{0x30}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DERLength(tt.header)
			if tt.wantErr != (err != nil) || got != tt.want {
				t.Fatalf("DERLength(% X) = %d, %v; want %d, error %v", tt.header, got, err, tt.want, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("DERLength(% X) error %v is not ErrMalformedResponse", tt.header, err)
			}
		})
	}
}

func FuzzParseResponse(f *testing.F) {
	f.Add([]byte{0x90, 0x00})
	f.Add([]byte{0x63, 0xC1})
	f.Add([]byte{0x01})
	f.Fuzz(func(t *testing.T, raw []byte) {
		resp, err := ParseResponse(raw)
		if err != nil {
			if len(raw) >= 2 {
				t.Fatalf("ParseResponse rejected %d bytes: %v", len(raw), err)
			}
			return
		}
		if len(resp.Data) != len(raw)-2 || resp.SW != uint16(raw[len(raw)-2])<<8|uint16(raw[len(raw)-1]) {
			t.Fatalf("ParseResponse(% X) split wrongly: % X %04X", raw, resp.Data, resp.SW)
		}
		if n, ok := retriesFromSW(resp.SW); ok && (n < 0 || n > 15) {
			t.Fatalf("retries %d out of range for %04X", n, resp.SW)
		}
	})
}

func FuzzDERLength(f *testing.F) {
	f.Add([]byte{0x30, 0x82, 0x06, 0x2B})
	f.Add([]byte{0x30, 0x81, 0x80})
	f.Add([]byte{0x30, 0x05})
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := DERLength(b)
		if err != nil {
			return
		}
		if n < 2 || n > maxCertificateLen {
			t.Fatalf("DERLength(% X) = %d, outside 2..%d", b, n, maxCertificateLen)
		}
	})
}
