package demoserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/sigcheck"
)

// The Ethereum section's API: what a dapp's server does for an Ethereum account, a card account or any
// other. All POST, JSON in and out, under the same origin check and session cookie as the login:
//
//	POST /api/eth/chain          {}  -> {"chainId": "0x539", "chainIdDecimal": 1337, "name", "nativeCurrency",
//	                                     "tokens": [...], "jpyc": "0x…" | "", "faucet": bool}
//	                                     sets the session cookie if absent
//	POST /api/eth/verify-message {"address", "message", "signature"}
//	                                 -> {"verified": true, "address", "method", "hash", "block", "chainId"}
//	POST /api/eth/verify-typed-data {"address", "typedData", "signature"}   -> the same
//	POST /api/eth/siwe/message   {"address"} -> {"message", "nonce", "issuedAt", "expirationTime"}
//	POST /api/eth/siwe/verify    {"message", "signature"} -> the same as verify-message: the signed-in address
//	POST /api/eth/faucet         {"address"} -> {"funded": true, "address", "eth": "1", "jpyc": "10000",
//	                                             "transactions": ["0x…", …]}
//
// "method" is how the signature was checked: "ERC-1271" (a deployed contract account), "ERC-6492" (an
// account not deployed yet, the signature wrapped) or "EOA" (ecrecover). A failure is an APIError with one of
// the Code* values.

// Error codes of the Ethereum API, besides the request and session codes above.
const (
	CodeEthNotConfigured   = "ETH_NOT_CONFIGURED"   // the server has no chain configuration (Config.ChainConfig)
	CodeChainUnavailable   = "CHAIN_UNAVAILABLE"    // the chain's JSON-RPC endpoint failed, or serves another chain
	CodeBadAddress         = "BAD_ADDRESS"          // not 0x and 40 hex digits (or a checksum that does not match)
	CodeMalformedSignature = "MALFORMED_SIGNATURE"  // not 0x-prefixed hex
	CodeMalformedTypedData = "MALFORMED_TYPED_DATA" // not EIP-712 typed data that hashes
	CodeMalformedMessage   = "MALFORMED_MESSAGE"    // a sign-in message that is not EIP-4361
	CodeWrongChain         = "WRONG_CHAIN"          // typed data or a sign-in message for another chain id
	CodeWrongDomain        = "WRONG_DOMAIN"         // a sign-in message for another site's domain
	CodeWrongURI           = "WRONG_URI"            // a sign-in message for another URI
	CodeWrongNonce         = "WRONG_NONCE"          // a sign-in message with a nonce other than this session's latest
	CodeWrongAddress       = "WRONG_ADDRESS"        // a sign-in message for another address than the one it was issued to
	CodeMessageAltered     = "MESSAGE_ALTERED"      // a sign-in message whose other fields differ from the issued one
	CodeFaucetDisabled     = "FAUCET_DISABLED"      // the chain configuration has no dev section
	CodeFaucetRateLimited  = "FAUCET_RATE_LIMITED"  // this session was funded less than faucetInterval ago
	CodeFaucetFailed       = "FAUCET_FAILED"        // a funding transaction failed
	// BAD_SIGNATURE (CodeBadSignature): the signature is not the address's, for this message on this chain.
	// NO_SESSION, NO_CHALLENGE, NONCE_REPLAYED and NONCE_EXPIRED mean for sign-in nonces what they mean for
	// login challenges.
)

const (
	// maxEthBody bounds the Ethereum API's requests: a card account's wrapped signature is about 1.5 KB in
	// hex and typed data a few KB; a message the page signs is short.
	maxEthBody = 64 << 10
	// siweStatement is the sign-in message's statement: EIP-4361 allows ASCII only there.
	siweStatement = "Sign in to test - sign with your Ethereum account."
)

// eth is the Ethereum section's state: the network of the chain configuration and a client for it.
type eth struct {
	network chainconfig.Network
	client  *ethclient.Client
	jpyc    *chainconfig.Token // the network's token with symbol JPYC, if any
	faucet  *faucet            // nil without a dev section
	siwe    *siweStore

	chainMu    sync.Mutex
	chainKnown bool // the endpoint answered eth_chainId with the network's id
}

// newEth loads the chain configuration at path and picks the network chainID (0: the first).
func newEth(path string, chainID uint64) (*eth, error) {
	f, err := chainconfig.Load(path)
	if err != nil {
		return nil, err
	}
	n := &f.Networks[0]
	if chainID != 0 {
		var ok bool
		if n, ok = f.Network(chainID); !ok {
			return nil, fmt.Errorf("%s has no network with chain id %d", path, chainID)
		}
	}
	client, err := ethclient.Dial(n.RPCURL)
	if err != nil {
		return nil, fmt.Errorf("dialing %s: %w", n.RPCURL, err)
	}
	e := &eth{network: *n, client: client, siwe: newSiweStore()}
	for i, t := range n.Tokens {
		if t.Symbol == "JPYC" {
			e.jpyc = &n.Tokens[i]
		}
	}
	if n.Dev != nil {
		key, err := chainconfig.ParseKey(n.Dev.FaucetKey)
		if err != nil {
			client.Close()
			return nil, fmt.Errorf("dev.faucetKey: %w", err)
		}
		e.faucet = &faucet{key: key, client: client, chainID: new(big.Int).SetUint64(n.ChainID), jpyc: e.jpyc, last: map[string]time.Time{}}
	}
	return e, nil
}

// checkChain makes sure, once, that the endpoint serves the configured chain: a signature is checked on the
// chain the endpoint runs, and must not be reported valid for another.
func (e *eth) checkChain(ctx context.Context) error {
	e.chainMu.Lock()
	defer e.chainMu.Unlock()
	if e.chainKnown {
		return nil
	}
	id, err := e.client.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("eth_chainId at %s: %w", e.network.RPCURL, err)
	}
	if id.Cmp(new(big.Int).SetUint64(e.network.ChainID)) != 0 {
		return fmt.Errorf("%s serves chain %s, the configuration says %d", e.network.RPCURL, id, e.network.ChainID)
	}
	e.chainKnown = true
	return nil
}

// ChainInfo is the answer of /api/eth/chain: what the page needs to show balances and check the wallet's
// chain.
type ChainInfo struct {
	ChainID        string               `json:"chainId"` // 0x-hex, as eth_chainId answers
	ChainIDDecimal uint64               `json:"chainIdDecimal"`
	Name           string               `json:"name"`
	NativeCurrency chainconfig.Currency `json:"nativeCurrency"`
	Tokens         []chainconfig.Token  `json:"tokens"`
	// JPYC is the address of the network's JPYC token, or "" when it has none.
	JPYC string `json:"jpyc"`
	// Faucet says whether /api/eth/faucet can fund accounts (a dev chain).
	Faucet bool `json:"faucet"`
}

// SignatureResult is the answer of a verified signature: /api/eth/verify-message, verify-typed-data and
// siwe/verify.
type SignatureResult struct {
	Verified bool   `json:"verified"`
	Address  string `json:"address"` // EIP-55
	Method   string `json:"method"`  // "ERC-1271", "ERC-6492" or "EOA"
	Hash     string `json:"hash"`    // what the signature was checked against
	Block    uint64 `json:"block"`
	ChainID  uint64 `json:"chainId"`
}

// SiweChallenge is the answer of /api/eth/siwe/message: the message for the wallet to sign, as is.
type SiweChallenge struct {
	Message        string    `json:"message"`
	Nonce          string    `json:"nonce"`
	IssuedAt       time.Time `json:"issuedAt"`
	ExpirationTime time.Time `json:"expirationTime"`
}

// FaucetResult is the answer of /api/eth/faucet.
type FaucetResult struct {
	Funded       bool     `json:"funded"`
	Address      string   `json:"address"`
	ETH          string   `json:"eth"`  // whole ether sent
	JPYC         string   `json:"jpyc"` // whole test JPYC minted; "0" when the network has none
	Transactions []string `json:"transactions"`
}

// ethAPI routes /api/eth/*.
func (s *Server) ethAPI(w http.ResponseWriter, r *http.Request) {
	if !s.checkRequest(w, r) {
		return
	}
	handlers := map[string]func(http.ResponseWriter, *http.Request, []byte){
		"/api/eth/chain":             s.ethChain,
		"/api/eth/verify-message":    s.ethVerifyMessage,
		"/api/eth/verify-typed-data": s.ethVerifyTypedData,
		"/api/eth/siwe/message":      s.siweMessage,
		"/api/eth/siwe/verify":       s.siweVerify,
		"/api/eth/faucet":            s.ethFaucet,
	}
	h, ok := handlers[r.URL.Path]
	if !ok {
		writeError(w, http.StatusNotFound, CodeNotFound, "no such API: "+r.URL.Path)
		return
	}
	if s.eth == nil {
		writeError(w, http.StatusServiceUnavailable, CodeEthNotConfigured, "this server was started without a chain configuration (demoserver.Config.ChainConfig)")
		return
	}
	body, ok := s.readJSON(w, r)
	if !ok {
		return
	}
	h(w, r, body)
}

// readJSON reads an application/json body of at most maxEthBody bytes.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if mt := mediaType(r); mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, CodeUnsupportedMedia, "send application/json")
		return nil, false
	}
	body, err := limitedRead(r.Body, maxEthBody)
	if errors.Is(err, errTooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, CodeBodyTooLarge, fmt.Sprintf("the request is larger than %d bytes", maxEthBody))
		return nil, false
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeMalformedRequest, "reading the request: "+err.Error())
		return nil, false
	}
	return body, true
}

// decodeStrict decodes one JSON object into v, refusing unknown fields and trailing data.
func decodeStrict(w http.ResponseWriter, body []byte, v any, shape string) bool {
	if err := strictJSON(body, v); err != nil {
		writeError(w, http.StatusBadRequest, CodeMalformedRequest, "the body is not "+shape+": "+err.Error())
		return false
	}
	return true
}

func (s *Server) ethChain(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct{}
	if !decodeStrict(w, body, &req, "{}") {
		return
	}
	if s.session(r) == "" {
		sid, err := newSessionID()
		if err != nil {
			s.internal(w, "making a session id", err)
			return
		}
		s.setSession(w, sid)
	}
	n := s.eth.network
	info := ChainInfo{
		ChainID:        hexutil.EncodeUint64(n.ChainID),
		ChainIDDecimal: n.ChainID,
		Name:           n.Name,
		NativeCurrency: n.NativeCurrency,
		Tokens:         n.Tokens,
		Faucet:         s.eth.faucet != nil,
	}
	if info.Tokens == nil {
		info.Tokens = []chainconfig.Token{}
	}
	if s.eth.jpyc != nil {
		info.JPYC = s.eth.jpyc.Address.Hex()
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) ethVerifyMessage(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Address   string `json:"address"`
		Message   string `json:"message"`
		Signature string `json:"signature"`
	}
	if !decodeStrict(w, body, &req, `{"address", "message", "signature"}`) {
		return
	}
	addr, ok := parseAddress(w, req.Address)
	if !ok {
		return
	}
	sig, ok := parseSignature(w, req.Signature)
	if !ok {
		return
	}
	s.verifySignature(w, r, "personal_sign", addr, sigcheck.PersonalHash([]byte(req.Message)), sig)
}

func (s *Server) ethVerifyTypedData(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Address   string          `json:"address"`
		TypedData json.RawMessage `json:"typedData"`
		Signature string          `json:"signature"`
	}
	if !decodeStrict(w, body, &req, `{"address", "typedData", "signature"}`) {
		return
	}
	addr, ok := parseAddress(w, req.Address)
	if !ok {
		return
	}
	sig, ok := parseSignature(w, req.Signature)
	if !ok {
		return
	}
	// eth_signTypedData_v4 takes the typed data as a JSON string; pages keep it either way.
	typed := []byte(req.TypedData)
	var asString string
	if json.Unmarshal(typed, &asString) == nil {
		typed = []byte(asString)
	}
	hash, td, err := sigcheck.TypedDataHash(typed)
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeMalformedTypedData, err.Error())
		return
	}
	if err := td.CheckChain(s.eth.network.ChainID); err != nil {
		writeError(w, http.StatusUnauthorized, CodeWrongChain, err.Error())
		return
	}
	s.verifySignature(w, r, "eth_signTypedData_v4", addr, hash, sig)
}

// verifySignature checks sig by addr over hash on the configured chain and answers.
func (s *Server) verifySignature(w http.ResponseWriter, r *http.Request, what string, addr common.Address, hash common.Hash, sig []byte) {
	if err := s.eth.checkChain(r.Context()); err != nil {
		s.chainUnavailable(w, err)
		return
	}
	res, err := sigcheck.Verify(r.Context(), s.eth.client, addr, hash, sig)
	if err != nil {
		s.chainUnavailable(w, err)
		return
	}
	if !res.Valid {
		s.log.Info(what+" rejected", "address", addr, "method", res.Method, "reason", res.Reason)
		writeError(w, http.StatusUnauthorized, CodeBadSignature, badSignatureMessage(addr, res))
		return
	}
	s.log.Info(what+" verified", "address", addr, "method", res.Method)
	writeJSON(w, http.StatusOK, SignatureResult{Verified: true, Address: addr.Hex(), Method: string(res.Method),
		Hash: hash.Hex(), Block: res.Block, ChainID: s.eth.network.ChainID})
}

func badSignatureMessage(addr common.Address, res sigcheck.Result) string {
	msg := fmt.Sprintf("the signature is not %s's signature of this message on chain (checked by %s at block %d)", addr.Hex(), res.Method, res.Block)
	if res.Reason != "" {
		msg += ": " + res.Reason
	}
	return msg
}

func (s *Server) chainUnavailable(w http.ResponseWriter, err error) {
	s.log.Error("chain", "err", err)
	writeError(w, http.StatusBadGateway, CodeChainUnavailable, err.Error())
}

// parseAddress accepts 0x and 40 hex digits: all lower case, all upper case, or EIP-55 checksummed.
func parseAddress(w http.ResponseWriter, s string) (common.Address, bool) {
	if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
		writeError(w, http.StatusBadRequest, CodeBadAddress, fmt.Sprintf("%q is not an address (0x and 40 hex digits)", s))
		return common.Address{}, false
	}
	a := common.HexToAddress(s)
	digits := s[2:]
	if digits != strings.ToLower(digits) && digits != strings.ToUpper(digits) && a.Hex() != s {
		writeError(w, http.StatusBadRequest, CodeBadAddress, fmt.Sprintf("%q has a wrong EIP-55 checksum (a typo?): %s", s, a.Hex()))
		return common.Address{}, false
	}
	return a, true
}

func parseSignature(w http.ResponseWriter, s string) ([]byte, bool) {
	sig, err := hexutil.Decode(s)
	if err == nil && len(sig) == 0 {
		err = errors.New("empty")
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeMalformedSignature, fmt.Sprintf("the signature is not 0x-prefixed hex: %v", err))
		return nil, false
	}
	return sig, true
}

func mediaType(r *http.Request) string {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt
}

// strictJSON decodes one JSON value into v: no unknown fields, nothing after it.
func strictJSON(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the object")
	}
	return nil
}
