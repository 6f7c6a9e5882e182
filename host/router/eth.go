package router

import (
	"context"
	"time"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/protocol"
)

// handleEth decodes an Ethereum method's params and runs it on its own
// goroutine: it waits for the network, so it must not hold up the requests
// behind it (listReaders, hello, card methods). Its card work still goes
// through the card queue. Like every card method it answers once done,
// so its answer may overtake or follow others: the extension matches ids.
//
// Decoded params own their PIN: the wallet clears it whatever happens; a
// decoding error has cleared it already.
func (r *Router) handleEth(id uint64, method string, start time.Time, params []byte) {
	var run func(ctx context.Context) (any, error)
	var perr *protocol.Error
	var pin protocol.PIN // cleared here only when no run takes it over
	w := r.cfg.Wallet
	switch method {
	case protocol.MethodEthChains:
		perr = protocol.DecodeNoParams(params)
		run = func(context.Context) (any, error) { return w.Chains() }
	case protocol.MethodEthAccount:
		var p protocol.EthAccountParams
		p, perr = protocol.DecodeEthAccount(params)
		run = func(ctx context.Context) (any, error) { return w.Account(ctx, p) }
	case protocol.MethodEthRPC:
		var p protocol.EthRPCParams
		p, perr = protocol.DecodeEthRPC(params)
		run = func(ctx context.Context) (any, error) { return w.RPC(ctx, p) }
	case protocol.MethodEthSignMessage:
		var p protocol.EthSignParams
		p, perr = protocol.DecodeEthSignMessage(params)
		pin = p.PIN
		run = func(ctx context.Context) (any, error) { return w.SignMessage(ctx, p) }
	case protocol.MethodEthSignTypedData:
		var p protocol.EthSignParams
		p, perr = protocol.DecodeEthSignTypedData(params)
		pin = p.PIN
		run = func(ctx context.Context) (any, error) { return w.SignTypedData(ctx, p) }
	case protocol.MethodEthPrepareCalls:
		var p protocol.EthPrepareCallsParams
		p, perr = protocol.DecodeEthPrepareCalls(params)
		run = func(ctx context.Context) (any, error) { return w.PrepareCalls(ctx, p) }
	case protocol.MethodEthSendCalls:
		var p protocol.EthSendCallsParams
		p, perr = protocol.DecodeEthSendCalls(params)
		pin = p.PIN
		run = func(ctx context.Context) (any, error) { return w.SendCalls(ctx, p) }
	case protocol.MethodEthSignHandover:
		var p protocol.EthSignHandoverParams
		p, perr = protocol.DecodeEthSignHandover(params)
		pin = p.PIN
		run = func(ctx context.Context) (any, error) { return w.SignHandover(ctx, p) }
	}
	if perr != nil {
		r.finish(id, method, start, nil, perr)
		return
	}
	if w == nil {
		pin.Clear()
		r.finish(id, method, start, nil, protocol.Errorf(failure.ChainUnconfigured, "this host has no Ethereum support configured"))
		return
	}
	r.async(id, method, start, func() (any, *protocol.Error) {
		ctx, cancel := context.WithTimeout(r.ctx, r.cfg.EthTimeout)
		defer cancel()
		res, err := run(ctx)
		if err != nil {
			return nil, r.errorFor(err)
		}
		return res, nil
	})
}
