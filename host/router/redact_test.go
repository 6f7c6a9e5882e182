package router

import "testing"

func TestRedactURLsKeepsOnlySchemeAndHost(t *testing.T) {
	for in, want := range map[string]string{
		`Post "https://mainnet.example/v3/abc123": dial tcp: i/o timeout`:   `Post "https://mainnet.example/…": dial tcp: i/o timeout`,
		"dialing http://user:pw@127.0.0.1:8545/?apikey=abc: refused":        "dialing http://127.0.0.1/…: refused",
		"wss://node.example/ws/key and https://b.example/x?y=1 both failed": "wss://node.example/… and https://b.example/… both failed",
		"no url here": "no url here",
	} {
		if got := redactURLs(in); got != want {
			t.Errorf("redactURLs(%q) = %q, want %q", in, got, want)
		}
	}
}
