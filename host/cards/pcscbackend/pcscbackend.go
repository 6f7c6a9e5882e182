// Package pcscbackend connects the card service to the machine's PC/SC
// readers through host/pcsc: it is the cards.Backend of the real host.
package pcscbackend

import (
	"context"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/pcsc"
)

// Backend is the PC/SC cards.Backend. The zero value is ready to use.
type Backend struct{}

var _ cards.Backend = Backend{}

// Watch implements cards.Backend with pcsc.Watch, which blocks in
// SCardGetStatusChange and never polls.
//
// pcsc does not report a card-insertion counter, so Insertions stays 0: a
// card swapped faster than pcscd notices is caught later, when its
// signature does not match the certificate the service remembered.
func (Backend) Watch(ctx context.Context, changed func([]cards.ReaderStatus)) error {
	err := pcsc.Watch(ctx, func(states []pcsc.ReaderState) {
		out := make([]cards.ReaderStatus, len(states))
		for i, st := range states {
			out[i] = cards.ReaderStatus{
				Name:        st.Name,
				CardPresent: st.CardPresent,
				Mute:        st.Mute,
				InUse:       st.InUse,
			}
		}
		changed(out)
	})
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// Connect implements cards.Backend with an exclusive pcsc.Session, which
// resets the card when closed.
func (Backend) Connect(reader string) (cards.Session, error) {
	s, err := pcsc.Connect(reader)
	if err != nil {
		return nil, err
	}
	return s, nil
}
