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
// eth_estimateUserOperationGas with token figures (the account's own are higher), and the method named by
// refuses (eth_estimateUserOperationGas or eth_sendUserOperation) with HTTP 500 and a JSON-RPC error, as Alto
// refuses an operation. It has no pimlico_getUserOperationGasPrice (method not found), as a bundler without
// Pimlico's extensions. It returns its URL. The operations themselves go through Alto elsewhere.
func FakeBundler(t testing.TB, chainID, refuses string, entryPoints ...common.Address) string {
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
		case refuses:
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32500,"message":"AA23 reverted: not enough funds"}}`, req.ID)
		case "eth_chainId":
			answer(chainID)
		case "eth_supportedEntryPoints":
			answer(entryPoints)
		case "eth_estimateUserOperationGas":
			answer(map[string]string{"preVerificationGas": "0x1", "verificationGasLimit": "0x1", "callGasLimit": "0x1"})
		default:
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"the method %s does not exist"}}`, req.ID, req.Method)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
