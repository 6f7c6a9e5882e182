package wallet

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/protocol"
)

// readOnly lists the JSON-RPC methods ethRpc forwards: reads that change
// nothing and reveal nothing a page could not learn from any public node.
var readOnly = map[string]bool{
	"eth_blockNumber": true, "eth_call": true, "eth_estimateGas": true, "eth_gasPrice": true,
	"eth_maxPriorityFeePerGas": true, "eth_feeHistory": true, "eth_getBalance": true,
	"eth_getBlockByHash": true, "eth_getBlockByNumber": true, "eth_getCode": true, "eth_getLogs": true,
	"eth_getStorageAt": true, "eth_getTransactionByHash": true, "eth_getTransactionCount": true,
	"eth_getTransactionReceipt": true, "eth_getBlockTransactionCountByNumber": true,
	"net_version": true, "web3_clientVersion": true,
}

// RPC answers ethRpc: one read-only call forwarded to the chain, its raw
// result returned.
func (s *Service) RPC(ctx context.Context, p protocol.EthRPCParams) (protocol.EthRPCResult, error) {
	if !readOnly[p.Method] {
		return protocol.EthRPCResult{}, fmt.Errorf("%w: %q is not on the read-only list", ErrMethodNotAllowed, p.Method)
	}
	n, err := s.network(p.ChainID)
	if err != nil {
		return protocol.EthRPCResult{}, err
	}
	var args []any
	if p.Params != nil {
		var raw []json.RawMessage
		if err := json.Unmarshal(p.Params, &raw); err != nil {
			return protocol.EthRPCResult{}, &protocol.Error{Code: failure.BadRequest, Field: "params.params", Message: "malformed array"}
		}
		args = make([]any, len(raw))
		for i, r := range raw {
			args[i] = r
		}
	}
	client, err := s.rpc(ctx, n)
	if err != nil {
		return protocol.EthRPCResult{}, err
	}
	var result json.RawMessage
	if err := client.CallContext(ctx, &result, p.Method, args...); err != nil {
		return protocol.EthRPCResult{}, nodeError(p.Method, err)
	}
	if len(result) > s.cfg.MaxResult {
		return protocol.EthRPCResult{}, fmt.Errorf("%w: %s answered %d bytes, the limit is %d", ErrResultTooLarge, p.Method, len(result), s.cfg.MaxResult)
	}
	return protocol.EthRPCResult{Result: result}, nil
}
