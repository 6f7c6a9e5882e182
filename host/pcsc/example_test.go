package pcsc_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/pcsc"
)

// A session holds the card exclusively from Connect to Close, and Close
// resets the card: everything that needs a verified PIN happens in between.
func ExampleConnect() {
	s, err := pcsc.Connect("Virtual PCD 00 00")
	switch {
	case errors.Is(err, jpki.ErrNoCard):
		fmt.Println("Please put your My Number card on the reader.")
		return
	case errors.Is(err, jpki.ErrReaderBusy):
		fmt.Println("Another application is using the card; close it and try again.")
		return
	case err != nil:
		log.Fatal(err)
	}
	defer s.Close()

	selectAP := []byte{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01}
	rsp, err := s.Transmit(selectAP)
	if errors.Is(err, jpki.ErrCardRemoved) {
		fmt.Println("The card was taken away.")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("SELECT AP: % X\n", rsp)
}

// Watch keeps a reader status display current without polling.
func ExampleWatch() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := pcsc.Watch(ctx, func(readers []pcsc.ReaderState) {
		if len(readers) == 0 {
			fmt.Println("No card reader: connect one.")
		}
		for _, r := range readers {
			switch {
			case r.Mute:
				fmt.Printf("%s: the card does not respond; insert it the other way round\n", r.Name)
			case r.CardPresent:
				fmt.Printf("%s: card ready\n", r.Name)
			default:
				fmt.Printf("%s: empty\n", r.Name)
			}
		}
	})
	if errors.Is(err, jpki.ErrNoService) {
		fmt.Println("The smart card service is not running.")
	}
}
