// Package jpki speaks to the JPKI applet of a My Number card (マイナンバーカード):
// it selects the applet and its files, reads the certificates, manages the PINs
// and has the card sign. It knows nothing about PC/SC; it talks over a Transport.
//
// The APDU interface follows what the independent open-source implementations
// agree on (jpki/myna, OpenSC card-jpki.c, jpki-rs); see docs/jpki-card.md.
package jpki

// Transport carries one command APDU to the card and returns its full response:
// data followed by the two status bytes SW1 SW2.
//
// A Transport reports a card that left the reader as ErrCardRemoved, and a
// reset by another party as ErrCardReset, so the card layer can tell them
// from a status word.
type Transport interface {
	Transmit(command []byte) ([]byte, error)
}

// TransportFunc adapts a function to a Transport.
type TransportFunc func(command []byte) ([]byte, error)

// Transmit calls f.
func (f TransportFunc) Transmit(command []byte) ([]byte, error) { return f(command) }
