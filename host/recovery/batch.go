package recovery

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/mynaconnect/mynaconnect/host/account/contracts"
)

// A round is JSON-RPC requests sent as one batch: one round trip to the node however many there are. Every
// Ethereum sheet waits for these reads, and on a public network each round trip costs tens of milliseconds,
// so the reads that do not depend on each other go together.
type round struct{ elems []rpc.BatchElem }

// add queues a request; its answer lands in result.
func (r *round) add(result any, method string, args ...any) {
	r.elems = append(r.elems, rpc.BatchElem{Method: method, Args: args, Result: result})
}

// call queues an eth_call of art's method on to; read its answer with unpack once the round is sent.
func (r *round) call(to common.Address, art *contracts.Artifact, method string, args ...any) *answer {
	a := &answer{art: art, method: method}
	data, err := art.Pack(method, args...)
	if err != nil {
		a.err = err
		return a
	}
	r.add(&a.out, "eth_call", map[string]any{"to": to, "data": hexutil.Bytes(data)}, "latest")
	return a
}

// logs queues an eth_getLogs from the first block: of address (all when nil), matching topics.
func (r *round) logs(result any, address *common.Address, topics [][]common.Hash) {
	filter := map[string]any{"fromBlock": "0x0", "topics": topics}
	if address != nil {
		filter["address"] = *address
	}
	r.add(result, "eth_getLogs", filter)
}

// send sends the round; any request's error is the round's.
func (r *round) send(ctx context.Context, eth *ethclient.Client) error {
	if len(r.elems) == 0 {
		return nil
	}
	if err := eth.Client().BatchCallContext(ctx, r.elems); err != nil {
		return fmt.Errorf("recovery: %w", err)
	}
	for _, e := range r.elems {
		if e.Error != nil {
			return fmt.Errorf("recovery: %s: %w", e.Method, e.Error)
		}
	}
	r.elems = nil
	return nil
}

// answer is an eth_call's output, unpacked once its round was sent.
type answer struct {
	art    *contracts.Artifact
	method string
	out    hexutil.Bytes
	err    error
}

// unpack is the call's return values.
func (a *answer) unpack() ([]any, error) {
	if a.err != nil {
		return nil, a.err
	}
	vals, err := a.art.Unpack(a.method, a.out)
	if err != nil {
		return nil, fmt.Errorf("recovery: %s.%s: %w", a.art.Name, a.method, err)
	}
	return vals, nil
}
