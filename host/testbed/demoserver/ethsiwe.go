package demoserver

import (
	"container/list"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/sigcheck"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/siwe"
)

// siweStore keeps the sign-in messages issued, one per session (the latest), each good for one attempt
// until it expires: the nonce is bound to the session as a login challenge is.
type siweStore struct {
	mu        sync.Mutex
	bySession map[string]*siweIssued
	order     *list.List // of *siweIssued, oldest first; bounded by maxTracked
}

type siweIssued struct {
	session string
	msg     *siwe.Message
	used    bool
	elem    *list.Element
}

func newSiweStore() *siweStore {
	return &siweStore{bySession: map[string]*siweIssued{}, order: list.New()}
}

func (st *siweStore) issue(session string, m *siwe.Message) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if old := st.bySession[session]; old != nil {
		st.order.Remove(old.elem)
	}
	for st.order.Len() >= maxTracked {
		oldest := st.order.Remove(st.order.Front()).(*siweIssued)
		delete(st.bySession, oldest.session)
	}
	rec := &siweIssued{session: session, msg: m}
	rec.elem = st.order.PushBack(rec)
	st.bySession[session] = rec
}

// take returns the session's message for one verification attempt, or the code that says why there is none.
func (st *siweStore) take(session string, now time.Time) (*siwe.Message, string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	rec := st.bySession[session]
	switch {
	case rec == nil:
		return nil, CodeNoChallenge
	case rec.used:
		return nil, CodeNonceReplayed
	}
	rec.used = true
	if !now.Before(rec.msg.ExpirationTime) {
		return nil, CodeNonceExpired
	}
	return rec.msg, ""
}

func (s *Server) siweMessage(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Address string `json:"address"`
	}
	if !decodeStrict(w, body, &req, `{"address"}`) {
		return
	}
	addr, ok := parseAddress(w, req.Address)
	if !ok {
		return
	}
	sid := s.session(r)
	if sid == "" {
		var err error
		if sid, err = newSessionID(); err != nil {
			s.internal(w, "making a session id", err)
			return
		}
		s.setSession(w, sid)
	}
	m, err := siwe.New(s.origin, siwe.Address(addr), s.eth.network.ChainID, siweStatement, s.now(), s.nonceTTL)
	if err != nil {
		s.internal(w, "building a sign-in message", err)
		return
	}
	s.eth.siwe.issue(sid, m)
	s.log.Info("sign-in message issued", "address", addr)
	writeJSON(w, http.StatusOK, SiweChallenge{Message: m.String(), Nonce: m.Nonce, IssuedAt: m.IssuedAt, ExpirationTime: m.ExpirationTime})
}

// siweCodes names sigcheck.VerifySignIn's failures.
var siweCodes = []struct {
	err    error
	status int
	code   string
}{
	{siwe.ErrMalformed, http.StatusBadRequest, CodeMalformedMessage},
	{siwe.ErrWrongDomain, http.StatusUnauthorized, CodeWrongDomain},
	{siwe.ErrWrongURI, http.StatusUnauthorized, CodeWrongURI},
	{siwe.ErrWrongChain, http.StatusUnauthorized, CodeWrongChain},
	{siwe.ErrWrongNonce, http.StatusUnauthorized, CodeWrongNonce},
	{siwe.ErrWrongAddress, http.StatusUnauthorized, CodeWrongAddress},
	{siwe.ErrAltered, http.StatusUnauthorized, CodeMessageAltered},
	{siwe.ErrExpired, http.StatusUnauthorized, CodeNonceExpired},
	{siwe.ErrNotYetValid, http.StatusUnauthorized, CodeMessageAltered}, // this server never issues Not Before
	{siwe.ErrBadSignature, http.StatusUnauthorized, CodeBadSignature},
}

func (s *Server) siweVerify(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Message   string `json:"message"`
		Signature string `json:"signature"`
	}
	if !decodeStrict(w, body, &req, `{"message", "signature"}`) {
		return
	}
	sig, ok := parseSignature(w, req.Signature)
	if !ok {
		return
	}
	sid := s.session(r)
	if sid == "" {
		writeError(w, http.StatusUnauthorized, CodeNoSession, "no session: fetch a sign-in message from /api/eth/siwe/message first (cookies must be enabled)")
		return
	}
	now := s.now()
	issued, code := s.eth.siwe.take(sid, now)
	switch code {
	case CodeNoChallenge:
		writeError(w, http.StatusUnauthorized, code, "this session has no sign-in message pending: fetch one from /api/eth/siwe/message first")
		return
	case CodeNonceReplayed:
		writeError(w, http.StatusUnauthorized, code, "this session's sign-in message was already used: a nonce is good for one attempt; fetch a new message")
		return
	case CodeNonceExpired:
		writeError(w, http.StatusUnauthorized, code, "the sign-in message expired: fetch a new one")
		return
	}
	if err := s.eth.checkChain(r.Context()); err != nil {
		s.chainUnavailable(w, err)
		return
	}
	res, err := sigcheck.VerifySignIn(r.Context(), s.eth.client, issued, req.Message, sig, now)
	if err != nil {
		for _, c := range siweCodes {
			if errors.Is(err, c.err) {
				s.log.Info("sign-in rejected", "code", c.code, "err", err)
				writeError(w, c.status, c.code, err.Error())
				return
			}
		}
		s.chainUnavailable(w, err)
		return
	}
	// As after a login: a new session id once the session is signed in.
	if fresh, err := newSessionID(); err == nil {
		s.setSession(w, fresh)
	}
	s.log.Info("sign-in verified", "address", issued.Address, "method", res.Method)
	writeJSON(w, http.StatusOK, SignatureResult{Verified: true, Address: issued.Address.Hex(), Method: string(res.Method),
		Hash: sigcheck.PersonalHash([]byte(req.Message)).Hex(), Block: res.Block, ChainID: issued.ChainID})
}

// nonceTTLOrDefault is Config.NonceTTL, or authtoken's default for a login challenge.
func nonceTTLOrDefault(d time.Duration) time.Duration {
	if d <= 0 {
		return authtoken.DefaultNonceTTL
	}
	return d
}
