package devchaintest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// FakeBundler is a stand-in ERC-4337 bundler for the checks made before anything is signed, and for a
// refusal: it answers eth_chainId with chainID (a hex quantity), eth_supportedEntryPoints with entryPoints,
// and anything else (eth_sendUserOperation) with HTTP 500 and a JSON-RPC error, as Alto refuses an
// operation. It returns its URL. The operations themselves go through real bundlers elsewhere.
func FakeBundler(t testing.TB, chainID string, entryPoints ...common.Address) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		answer := func(result any) {
			b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": result})
			w.Write(b)
		}
		switch req.Method {
		case "eth_chainId":
			answer(chainID)
		case "eth_supportedEntryPoints":
			answer(entryPoints)
		default:
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32500,"message":"AA23 reverted: not enough funds"}}`, req.ID)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
