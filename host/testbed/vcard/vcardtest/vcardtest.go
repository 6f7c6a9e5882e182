// Package vcardtest makes virtual cards for tests: a default card with the
// test PKI, changed as a test needs, and plugged into a vpcd reader for the
// length of a test.
package vcardtest

import (
	"context"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
)

// NewCard makes a default virtual card (test PKI, default PINs), changed by
// edit when it is not nil.
func NewCard(t testing.TB, edit func(*vcard.Config)) *vcard.Card {
	t.Helper()
	cfg, err := vcard.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := vcard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Plug inserts card into the vpcd reader listening at addr. Closing the
// returned Conn pulls the card out; it is closed at the end of the test.
func Plug(t testing.TB, addr string, card *vcard.Card) *vcard.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := vcard.Dial(ctx, addr, card)
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan struct{})
	go func() { defer close(served); conn.Serve(context.Background()) }()
	t.Cleanup(func() {
		conn.Close()
		<-served
	})
	return conn
}

// Renewed is old's holder after a renewal at the municipal office (now): a
// new key and certificates, on a new virtual card. Its AuthKey signs as the
// renewed card does.
func Renewed(t testing.TB, old *testpki.PKI) (*testpki.PKI, *vcard.Card) {
	t.Helper()
	p, err := old.Renew(time.Now())
	if err != nil {
		t.Fatalf("renewing the test PKI: %v", err)
	}
	c, err := vcard.New(vcard.ConfigFromPKI(p))
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}
