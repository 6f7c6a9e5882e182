package nativemsg_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mynaconnect/mynaconnect/host/nativemsg"
)

// A host reads requests until the browser closes the port, answers each,
// and goes on after a message it cannot use.
func Example() {
	var stdin bytes.Buffer // what the browser sends
	browser := nativemsg.NewWriter(&stdin, 0)
	browser.WriteMessage([]byte(`{"id":1,"method":"version"}`))
	browser.WriteMessage([]byte(`{"id":2,"method":"version","pad":"` + strings.Repeat("x", 100<<10) + `"}`))
	browser.WriteMessage([]byte(`{"id":3,"method":"version"}`))

	var stdout bytes.Buffer
	in := nativemsg.NewReader(&stdin, 0)
	out := nativemsg.NewWriter(&stdout, 0)
	for {
		msg, err := in.ReadMessage()
		switch {
		case err == io.EOF:
			fmt.Println("port closed")
			return
		case errors.Is(err, nativemsg.ErrTooLarge):
			fmt.Println("too large, skipped")
			continue
		case err != nil:
			fmt.Println(err)
			return
		}
		fmt.Printf("request %s\n", msg)
		out.WriteJSON(map[string]any{"ok": true})
	}
	// Output:
	// request {"id":1,"method":"version"}
	// too large, skipped
	// request {"id":3,"method":"version"}
	// port closed
}
