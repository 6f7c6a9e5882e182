// Package wallet serves the host protocol's Ethereum methods (ethChains,
// ethAccount, ethRpc, ethSignMessage, ethSignTypedData, ethSendCalls; see
// docs/host-protocol.md) for the router: it reads the chain configuration,
// talks to each chain's JSON-RPC endpoint, derives the card's account from
// its auth certificate, and signs and sends through host/account with the
// card service as the signer.
//
// The card signs only targets this package computes (host/account builds
// them from the message, the typed data or the UserOperation), through
// cards.(*Service).AuthSign: one PIN, one signature, in one card session
// that first checks the certificate the person was shown and that the card
// owns the account they saw. Work that can fail without the card (the
// chain configuration, the simulation of the calls) is done before the PIN
// goes anywhere.
package wallet

import (
	"io"
	"log"
	"sync"
	"time"

	"github.com/mynaconnect/mynaconnect/host/cards"
	"github.com/mynaconnect/mynaconnect/host/chainconfig"
	"github.com/mynaconnect/mynaconnect/host/nativemsg"
)

// Config configures a Service. Cards is required.
type Config struct {
	// Cards is the started card service.
	Cards *cards.Service
	// ConfigPath is the chain configuration file; empty means
	// chainconfig.DefaultPath().
	ConfigPath string
	// CardTimeout bounds each card operation, queueing included; zero
	// means 30 s, as the router's card methods.
	CardTimeout time.Duration
	// CallTimeout bounds each HTTP request to a chain or bundler and each
	// dial; zero means 15 s.
	CallTimeout time.Duration
	// ReceiptPoll is the interval between receipt checks after
	// submission; zero means 250 ms.
	ReceiptPoll time.Duration
	// MaxResult caps ethRpc's result, in bytes of JSON; zero means what
	// fits in one message to the extension with room for the envelope.
	MaxResult int
	// Log receives a line per submission; never a PIN, a message or typed
	// data. Nil discards.
	Log *log.Logger
}

// Service serves the Ethereum methods. Its methods are safe for concurrent
// use.
type Service struct {
	cfg  Config
	log  *log.Logger
	mu   sync.Mutex
	file *chainconfig.File // nil until loaded
	nets map[uint64]*network
}

// New returns a Service. It reads nothing until the first request: a host
// without a chain configuration serves logins as before.
func New(cfg Config) *Service {
	if cfg.CardTimeout <= 0 {
		cfg.CardTimeout = 30 * time.Second
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = 15 * time.Second
	}
	if cfg.ReceiptPoll <= 0 {
		cfg.ReceiptPoll = 250 * time.Millisecond
	}
	if cfg.MaxResult <= 0 {
		cfg.MaxResult = nativemsg.DefaultMaxOutbound - 4<<10
	}
	l := cfg.Log
	if l == nil {
		l = log.New(io.Discard, "", 0)
	}
	return &Service{cfg: cfg, log: l}
}
