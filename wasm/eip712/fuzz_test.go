package eip712

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
)

// FuzzDecode: Decode never panics, refuses with an *Error, and accepts only
// valid JSON that has exactly the four members, each object of it free of
// duplicate names (encoding/json's reading agrees on the member set).
func FuzzDecode(f *testing.F) {
	f.Add(permit)
	f.Add(greeting)
	f.Add(strings.Replace(greeting, `"primaryType":"Greeting"`, `"primaryType":"Greeting","PrimaryType":"Permit"`, 1))
	f.Add(`{"a":"\ud83d\ude00","b":[1,-0,true,null]}`)
	f.Fuzz(func(t *testing.T, text string) {
		td, err := Decode(text)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal([]byte(text), &top); err != nil {
			t.Fatalf("accepted text encoding/json refuses: %v", err)
		}
		keys := make([]string, 0, len(top))
		for k := range top {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if strings.Join(keys, ",") != "domain,message,primaryType,types" || td.Message.Type != td.PrimaryType {
			t.Fatalf("accepted members %v", keys)
		}
	})
}
