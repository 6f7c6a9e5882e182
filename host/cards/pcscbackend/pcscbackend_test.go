package pcscbackend

import (
	"errors"
	"fmt"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/pcsc"
)

func TestTranslateAddsTheCardServiceSentinels(t *testing.T) {
	tests := []struct {
		in   error
		want error
	}{
		{fmt.Errorf("pcsc: watch: %w", pcsc.ErrNoService), cards.ErrPCSCUnavailable},
		{fmt.Errorf("pcsc: connect: %w", pcsc.ErrReaderBusy), cards.ErrReaderBusy},
		{fmt.Errorf("pcsc: connect: %w", pcsc.ErrCardMute), cards.ErrCardMute},
		{fmt.Errorf("pcsc: transmit: %w", jpki.ErrCardRemoved), jpki.ErrCardRemoved},
	}
	for _, tt := range tests {
		got := translate(tt.in)
		if !errors.Is(got, tt.want) || !errors.Is(got, tt.in) {
			t.Errorf("translate(%v) = %v, want it to match %v and keep the original", tt.in, got, tt.want)
		}
	}
	if translate(nil) != nil {
		t.Error("translate(nil) != nil")
	}
}
