// Package protocoltest reads what the host writes the way the extension
// does, strictly, for tests that drive a router or the host binary over
// pipes. Conn is the whole client side; Read and Message are its parts.
package protocoltest

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/mynaconnect/mynaconnect/host/nativemsg"
	"github.com/mynaconnect/mynaconnect/host/protocol"
)

// Message is a response or an event, decoded with unknown fields refused:
// a member the protocol does not define is a bug the tests must see.
type Message struct {
	ID     *uint64          `json:"id"`
	Result json.RawMessage  `json:"result"`
	Error  *protocol.Error  `json:"error"`
	Event  string           `json:"event"`
	Data   *json.RawMessage `json:"data"`
}

// Read reads framed messages from out until it ends. Responses go to
// resps, which is closed at the end; events go to events unless it is full
// (a test that watches no events must not stall the reader). A message
// that does not decode, and a read error other than the end of out, are
// reported through errorf.
func Read(out io.Reader, resps, events chan<- Message, errorf func(format string, args ...any)) {
	defer close(resps)
	rd := nativemsg.NewReader(out, nativemsg.DefaultMaxOutbound)
	for {
		msg, err := rd.ReadMessage()
		if err != nil {
			if err != io.EOF {
				errorf("reading the host's output: %v", err)
			}
			return
		}
		var m Message
		dec := json.NewDecoder(bytes.NewReader(msg))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			errorf("the host wrote %s: %v", msg, err)
			continue
		}
		if m.Event == "" {
			resps <- m
			continue
		}
		select {
		case events <- m:
		default:
		}
	}
}
