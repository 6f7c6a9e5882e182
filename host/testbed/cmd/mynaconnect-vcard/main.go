// Command mynaconnect-vcard runs a virtual My Number card in vsmartcard's
// virtual reader, so that pcscd shows it to every PC/SC client on the
// machine. Run it with --help for the details.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "mynaconnect-vcard:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "mynaconnect-vcard:", err)
		os.Exit(1)
	}
}

// run inserts the card and keeps it in the reader until ctx is done: vpcd
// going away (pcscd restarting) or a drop fault takes the card out, and it
// goes back in after opts.reinsertAfter, unless opts.once.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := log.New(stderr, "mynaconnect-vcard: ", log.LstdFlags|log.Lmicroseconds)
	if opts.verbose {
		// Headers and status words only: Exchange has no room for a PIN.
		opts.card.OnExchange = func(e vcard.Exchange) { logger.Printf("apdu %v", e) }
	}
	card, err := vcard.New(opts.card)
	if err != nil {
		return err
	}
	auth, sign := card.Retries()
	logger.Printf("card ready: auth PIN %d tries left, sign password %d tries left", auth, sign)
	for {
		logger.Printf("waiting for vpcd at %s", opts.addr)
		conn, err := vcard.Dial(ctx, opts.addr, card)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if opts.verbose {
			conn.Logf = logger.Printf
		}
		logger.Printf("card inserted into the vpcd reader at %s; Ctrl-C pulls it out", opts.addr)
		err = conn.Serve(ctx)
		if ctx.Err() != nil {
			logger.Printf("card pulled out")
			return nil
		}
		switch {
		case errors.Is(err, vcard.ErrReaderClosed):
			logger.Printf("vpcd closed the connection (pcscd stopped?)")
		case errors.Is(err, jpki.ErrCardRemoved):
			logger.Print(err)
		default:
			logger.Printf("connection to vpcd failed: %v", err)
		}
		if opts.once {
			return err
		}
		// Stay out long enough for pcscd's ~0.4 s poll to see the removal.
		t := time.NewTimer(opts.reinsertAfter)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}
