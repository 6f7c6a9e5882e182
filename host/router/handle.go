package router

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/protocol"
)

// handle decodes one request and answers it, at once for the methods that
// need no card and through the card service for the others. Everything it
// needs from msg is decoded before it returns: the caller clears msg then.
func (r *Router) handle(msg []byte) {
	start := time.Now()
	req, idKnown, perr := protocol.ParseRequest(msg)
	if perr != nil {
		r.fail(idOf(req.ID, idKnown), perr)
		return
	}
	id := req.ID
	switch {
	case !protocol.KnownMethod(req.Method):
		r.answer(id, req.Method, start, nil, protocol.Errorf(failure.UnknownMethod,
			"no method %q in protocol %d", req.Method, protocol.Version))
		return
	case !r.greeted.Load() && req.Method != protocol.MethodHello:
		r.answer(id, req.Method, start, nil, protocol.Errorf(failure.HandshakeRequired,
			"the first request must be hello"))
		return
	}
	if !r.begin(id) {
		r.answer(id, req.Method, start, nil, &protocol.Error{Code: failure.BadRequest, Field: "id",
			Message: "already used by a request still in flight"})
		return
	}

	switch req.Method {
	case protocol.MethodHello:
		result, perr := r.hello(req.Params)
		r.finish(id, req.Method, start, result, perr)
	case protocol.MethodVersion:
		result, perr := r.version(req.Params)
		r.finish(id, req.Method, start, result, perr)
	case protocol.MethodListReaders:
		if perr := protocol.DecodeNoParams(req.Params); perr != nil {
			r.finish(id, req.Method, start, nil, perr)
			return
		}
		r.async(id, req.Method, start, r.listReaders)
	case protocol.MethodReadAuthCertificate:
		p, perr := protocol.DecodeReaderParams(req.Params)
		if perr != nil {
			r.finish(id, req.Method, start, nil, perr)
			return
		}
		r.cardOp(id, req.Method, start, func(ctx context.Context) (any, error) {
			c, err := r.cfg.Cards.ReadAuthCertificate(ctx, p.Reader)
			if err != nil {
				return nil, err
			}
			cert, err := x509.ParseCertificate(c.DER)
			if err != nil {
				return nil, fmt.Errorf("router: the card's auth certificate does not parse: %w: %v", jpki.ErrMalformedResponse, err)
			}
			sum, keySum := sha256.Sum256(c.DER), sha256.Sum256(cert.RawSubjectPublicKeyInfo)
			res := protocol.CertificateResult{
				Reader: c.Reader, Certificate: c.DER,
				CertificateSHA256: hex.EncodeToString(sum[:]), PublicKeySHA256: hex.EncodeToString(keySum[:]),
			}
			if key, ok := cert.PublicKey.(*rsa.PublicKey); ok && r.cfg.Wallet != nil {
				res.Accounts = r.cfg.Wallet.AccountsOf(key)
			}
			return res, nil
		})
	case protocol.MethodAuthPINStatus:
		p, perr := protocol.DecodeReaderParams(req.Params)
		if perr != nil {
			r.finish(id, req.Method, start, nil, perr)
			return
		}
		r.cardOp(id, req.Method, start, func(ctx context.Context) (any, error) {
			st, err := r.cfg.Cards.AuthPINStatus(ctx, p.Reader)
			if err != nil {
				return nil, err
			}
			return protocol.PINStatusResult{Reader: st.Reader, RetriesLeft: st.RetriesLeft, Blocked: st.RetriesLeft == 0}, nil
		})
	case protocol.MethodAuthenticate:
		p, perr := protocol.DecodeAuthenticate(req.Params)
		if perr != nil {
			r.finish(id, req.Method, start, nil, perr)
			return
		}
		// The card service owns the PIN from here and zeroes it when the
		// operation is over.
		r.cardOp(id, req.Method, start, func(ctx context.Context) (any, error) {
			a, err := r.cfg.Cards.Authenticate(ctx, p)
			if err != nil {
				return nil, err
			}
			tok, err := a.Token.Marshal()
			if err != nil {
				return nil, err
			}
			return protocol.AuthenticateResult{Token: tok, Reader: a.Reader}, nil
		})
	default:
		r.handleEth(id, req.Method, start, req.Params)
	}
}

// cardOp runs a card operation on its own goroutine, so that the next
// request is read meanwhile. Its place in the card line is taken here,
// before handle returns, so card operations run in the order the requests
// arrived (a full line fails the operation with QUEUE_FULL at once). Each
// has OpTimeout
// from its arrival, waiting in line included.
func (r *Router) cardOp(id uint64, method string, start time.Time, op func(ctx context.Context) (any, error)) {
	ctx, cancel := context.WithTimeout(r.ctx, r.cfg.OpTimeout)
	ctx = r.cfg.Cards.Reserve(ctx)
	// Answers go out in arrival order too: each waits for the one before.
	// That costs nothing, as the card ran the earlier one first, and all
	// have the same time limit, so an earlier one is never later to time
	// out. A full line is answered at once.
	previous, answered := r.lastCardAnswer, make(chan struct{})
	r.lastCardAnswer = answered
	r.async(id, method, start, func() (any, *protocol.Error) {
		defer cancel()
		res, err := op(ctx)
		if !errors.Is(err, cards.ErrQueueFull) {
			<-previous
		}
		if err != nil {
			return nil, r.errorFor(err)
		}
		return res, nil
	}, func() { close(answered) })
}

// begin marks id as in flight; false if it already is.
func (r *Router) begin(id uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inflight[id] {
		return false
	}
	r.inflight[id] = true
	r.wg.Add(1)
	return true
}

// finish answers a request begun with begin.
// The id is free again before the answer is written: the extension may
// reuse it as soon as it reads the answer.
func (r *Router) finish(id uint64, method string, start time.Time, result any, perr *protocol.Error) {
	r.mu.Lock()
	delete(r.inflight, id)
	r.mu.Unlock()
	r.answer(id, method, start, result, perr)
	r.wg.Done()
}

// async answers a request begun with begin from its own goroutine, so that
// the next request is read meanwhile.
func (r *Router) async(id uint64, method string, start time.Time, fn func() (any, *protocol.Error), after ...func()) {
	go func() {
		result, perr := fn()
		r.finish(id, method, start, result, perr)
		for _, f := range after {
			f()
		}
	}()
}

// answer writes the response and logs the outcome, never a parameter.
func (r *Router) answer(id uint64, method string, start time.Time, result any, perr *protocol.Error) {
	d := time.Since(start).Round(100 * time.Microsecond)
	if perr != nil {
		cause := ""
		if perr.Detail != "" {
			cause = ": " + perr.Detail
		}
		r.log.Printf("id %d %s: %s (%v)%s", id, method, perr.Code, d, cause)
		r.write(protocol.Response{ID: &id, Error: perr})
		return
	}
	r.log.Printf("id %d %s: ok (%v)", id, method, d)
	r.write(protocol.Response{ID: &id, Result: result})
}

func (r *Router) hello(params []byte) (any, *protocol.Error) {
	p, perr := protocol.DecodeHello(params)
	if perr != nil {
		return nil, perr
	}
	for _, v := range protocol.SupportedVersions {
		if uint64(v) == p.Protocol {
			r.log.Printf("hello from extension %q, protocol %d", p.ExtensionVersion, p.Protocol)
			r.greeted.Store(true)
			return protocol.HelloResult{Protocol: v, HostVersion: r.cfg.HostVersion, Methods: protocol.Methods}, nil
		}
	}
	return nil, &protocol.Error{
		Code:               failure.VersionMismatch,
		Message:            "this host does not speak the requested protocol version; update the extension or the host",
		SupportedProtocols: protocol.SupportedVersions,
		HostVersion:        r.cfg.HostVersion,
	}
}

func (r *Router) version(params []byte) (any, *protocol.Error) {
	if perr := protocol.DecodeNoParams(params); perr != nil {
		return nil, perr
	}
	return protocol.VersionResult{
		HostVersion: r.cfg.HostVersion,
		Protocol:    protocol.Version,
		GoVersion:   runtime.Version(),
		OS:          runtime.GOOS,
		Arch:        runtime.GOARCH,
	}, nil
}

func (r *Router) listReaders() (any, *protocol.Error) {
	ctx, cancel := context.WithTimeout(r.ctx, r.cfg.ReadersTimeout)
	defer cancel()
	readers, err := r.cfg.Cards.Readers(ctx)
	if err != nil {
		return nil, r.errorFor(err)
	}
	return readersResult(readers), nil
}

func readersResult(readers []cards.Reader) protocol.ReadersResult {
	out := protocol.ReadersResult{Readers: make([]protocol.Reader, 0, len(readers))}
	for _, rd := range readers {
		pr := protocol.Reader{Name: rd.Name, State: string(rd.State)}
		if rd.State == cards.StateMyNumber && rd.AuthPINRetries >= 0 {
			n := rd.AuthPINRetries
			pr.AuthPINRetries = &n
		}
		out.Readers = append(out.Readers, pr)
	}
	return out
}
