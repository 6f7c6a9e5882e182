package protocol

import "encoding/json"

// HelloResult answers hello.
type HelloResult struct {
	Protocol    int      `json:"protocol"`
	HostVersion string   `json:"hostVersion"`
	Methods     []string `json:"methods"`
}

// VersionResult answers version.
type VersionResult struct {
	HostVersion string `json:"hostVersion"`
	Protocol    int    `json:"protocol"`
	GoVersion   string `json:"goVersion"`
	OS          string `json:"os"`
	Arch        string `json:"arch"`
}

// Reader states.
const (
	StateEmpty    = "empty"    // no card
	StateCard     = "card"     // a card, not identified (yet)
	StateMyNumber = "mynumber" // a My Number card
	StateOther    = "other"    // a card that is not a My Number card
	StateBusy     = "busy"     // another program holds the card exclusively
	StateMute     = "mute"     // a card that does not answer
)

// Reader is one reader in a ReadersResult.
type Reader struct {
	Name  string `json:"name"`
	State string `json:"state"`
	// AuthPINRetries is the auth PIN's tries left, for a My Number card
	// whose counter has been read.
	AuthPINRetries *int `json:"authPinRetries,omitempty"`
}

// ReadersResult answers listReaders, and is the data of readersChanged.
type ReadersResult struct {
	Readers []Reader `json:"readers"`
	// Error is set, with no readers, in a readersChanged event while the
	// PC/SC service is unreachable.
	Error *Error `json:"error,omitempty"`
}

// CertificateResult answers readAuthCertificate.
type CertificateResult struct {
	Reader string `json:"reader"`
	// Certificate is the DER auth certificate (base64 in JSON).
	Certificate []byte `json:"certificate"`
	// CertificateSHA256 is its SHA-256 in lowercase hex, to pass back in
	// authenticate.
	CertificateSHA256 string `json:"certificateSha256"`
	// PublicKeySHA256 is the SHA-256 of its SubjectPublicKeyInfo in
	// lowercase hex: the key's fingerprint the login sheet shows, hashed
	// here so that the sheet hashes nothing.
	PublicKeySHA256 string `json:"publicKeySha256"`
	// Accounts are the card's Ethereum accounts on the configured chains:
	// anyone who gets the certificate can compute them from its public
	// key, so the login sheet names them. Absent without a chain
	// configuration.
	Accounts []LinkedAccount `json:"accounts,omitempty"`
}

// LinkedAccount is the card's account on one configured chain.
type LinkedAccount struct {
	ChainID uint64 `json:"chainId"`
	Chain   string `json:"chain"`
	Address string `json:"address"`
}

// PINStatusResult answers authPinStatus.
type PINStatusResult struct {
	Reader      string `json:"reader"`
	RetriesLeft int    `json:"retriesLeft"`
	Blocked     bool   `json:"blocked"`
}

// AuthenticateResult answers authenticate.
type AuthenticateResult struct {
	// Token is the web-eid:1.0 token object, as authtoken marshals it.
	Token  json.RawMessage `json:"token"`
	Reader string          `json:"reader"`
}

// EthChainsResult answers ethChains.
type EthChainsResult struct {
	Chains         []EthChain `json:"chains"`
	DefaultChainID uint64     `json:"defaultChainId"`
}

// EthChain is one network of the chain configuration, without its keys.
type EthChain struct {
	ChainID        uint64      `json:"chainId"`
	Name           string      `json:"name"`
	NativeCurrency EthCurrency `json:"nativeCurrency"`
	ExplorerURL    string      `json:"explorerUrl"`
	Tokens         []EthToken  `json:"tokens"`
	RPCURL         string      `json:"rpcUrl"`
}

// EthCurrency is a chain's gas token.
type EthCurrency struct {
	Name     string `json:"name"`
	Symbol   string `json:"symbol"`
	Decimals uint8  `json:"decimals"`
}

// EthToken is an ERC-20 token the consent sheet decodes.
type EthToken struct {
	Address  string `json:"address"`
	Symbol   string `json:"symbol"`
	Name     string `json:"name"`
	Decimals uint8  `json:"decimals"`
	Fiat     string `json:"fiat,omitempty"`
}

// EthAccountResult answers ethAccount.
type EthAccountResult struct {
	Reader  string `json:"reader"`
	ChainID uint64 `json:"chainId"`
	// Address is EIP-55 checksummed.
	Address  string `json:"address"`
	Deployed bool   `json:"deployed"`
	// CertificateSHA256 and PublicKeySHA256 are lowercase hex: the SHA-256
	// of the DER certificate and of its DER SubjectPublicKeyInfo.
	CertificateSHA256 string `json:"certificateSha256"`
	PublicKeySHA256   string `json:"publicKeySha256"`
	// CertificateNotAfter is when the certificate expires (Unix seconds):
	// the card's key changes at its renewal.
	CertificateNotAfter int64 `json:"certificateNotAfter"`
	// Protection is what the chain says about the account's guardians and
	// recoveries.
	Protection EthProtection `json:"protection"`
}

// EthProtection is an account's protection (CardRecovery), at ChainTime.
type EthProtection struct {
	// Recovery is the CardRecovery contract (EIP-55): calls to it change the
	// protection, and only MynaConnect's own page may ask for them.
	Recovery string `json:"recovery"`
	// PasskeyVerifier is the ERC-7913 WebAuthn verifier (EIP-55) a passkey
	// guardian names: its signer is this address, then the key's x and y.
	PasskeyVerifier string        `json:"passkeyVerifier"`
	Guardians       []EthGuardian `json:"guardians"`
	Threshold       uint8         `json:"threshold"` // approvals a recovery needs; 0: no guardians
	Delay           uint32        `json:"delay"`     // seconds a recovery waits before it can be executed
	// PendingRecovery is the recovery the guardians started, if any.
	PendingRecovery *EthPendingRecovery `json:"pendingRecovery,omitempty"`
	// GuardiansChange is a scheduled change of guardians, if any.
	GuardiansChange *EthGuardiansChange `json:"guardiansChange,omitempty"`
	// ChainTime is the latest block's time (Unix seconds): the clock the
	// contract's delays run on.
	ChainTime uint64 `json:"chainTime"`
	// History, when asked for, is what happened to the protection, oldest
	// first.
	History []EthProtectionEvent `json:"history,omitempty"`
}

// EthProtectionEvent is one entry of the protection's history.
type EthProtectionEvent struct {
	// Kind is "guardians-changed", "guardians-change-scheduled",
	// "guardians-change-cancelled", "recovery-started",
	// "recovery-cancelled" or "recovery-executed".
	Kind            string `json:"kind"`
	BlockNumber     uint64 `json:"blockNumber"`
	Time            uint64 `json:"time"` // the block's time, Unix seconds
	TransactionHash string `json:"transactionHash"`
}

// EthGuardian is one guardian.
type EthGuardian struct {
	// Signer is its ERC-7913 signer bytes, 0x-hex: an address, or a
	// verifier's address and a key.
	Signer string `json:"signer"`
	// Kind is "card" (a MynaConnect card account), "address", "passkey" or
	// "other".
	Kind string `json:"kind"`
}

// EthPendingRecovery is a recovery under way.
type EthPendingRecovery struct {
	NewKeyHash   string `json:"newKeyHash"` // keccak256(abi.encode(e, n)) of the new card's key
	Approvals    uint8  `json:"approvals"`
	ExecuteAfter uint64 `json:"executeAfter"` // Unix seconds
	ExpiresAt    uint64 `json:"expiresAt"`
}

// EthGuardiansChange is a change of guardians waiting out the delay.
type EthGuardiansChange struct {
	Threshold   uint8  `json:"threshold"`
	Delay       uint32 `json:"delay"`
	EffectiveAt uint64 `json:"effectiveAt"`
}

// EthRPCResult answers ethRpc.
type EthRPCResult struct {
	Result json.RawMessage `json:"result"`
}

// EthSignResult answers ethSignMessage and ethSignTypedData.
type EthSignResult struct {
	Reader    string `json:"reader"`
	Signature string `json:"signature"`
	// Hash is what a verifier passes to isValidSignature: the EIP-191 hash
	// of the message, or the EIP-712 hash of the typed data.
	Hash        string `json:"hash"`
	Wrapped6492 bool   `json:"wrapped6492"`
}

// EthSignHandoverResult answers ethSignHandover: what a guardian's
// startRecovery, or the previous card's rotateByOwner, needs from the new
// card. E, N and Signature are 0x-prefixed hex; the signature is over
// CardRecovery's recoveryHash(account, e, n) at Nonce, so it is good until
// the account's next rotation, cancellation or change of guardians.
type EthSignHandoverResult struct {
	Reader    string `json:"reader"`
	ChainID   uint64 `json:"chainId"`
	Account   string `json:"account"` // EIP-55
	Recovery  string `json:"recovery"`
	E         string `json:"e"`
	N         string `json:"n"`
	Signature string `json:"signature"`
	Nonce     uint64 `json:"nonce"`
	Hash      string `json:"hash"` // the recoveryHash signed
}

// EthPrepareCallsResult answers ethPrepareCalls: the fee to show and to
// pass back in ethSendCalls, and its maximum in wei (a quantity).
type EthPrepareCallsResult struct {
	Reader  string `json:"reader"`
	Fee     EthFee `json:"fee"`
	MaxCost string `json:"maxCost"`
}

// EthSendCallsResult answers ethSendCalls.
type EthSendCallsResult struct {
	Reader            string `json:"reader"`
	TransactionHash   string `json:"transactionHash"`
	UserOperationHash string `json:"userOperationHash"`
	BlockNumber       uint64 `json:"blockNumber"`
	Success           bool   `json:"success"`
}
