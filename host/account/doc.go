// Package account is the host side of a card-backed Ethereum account: the CardAccount (host/account/contracts)
// owned by the RSA-2048 authentication key of a My Number card.
//
// It computes the account address from the card's public key (offline, CREATE2), builds the hashes the card
// signs (ERC-7739 PersonalSign and TypedDataSign, bound to the chain id and the account address; the
// EntryPoint v0.8 userOpHash), runs the signing pipeline, wraps signatures in ERC-6492 while the account has
// no code, builds UserOperations (ERC-7821 batch execute) with nonce, simulated gas and chain fees, and submits
// them through the host's own relayer (EntryPoint.handleOps) or an ERC-4337 bundler (eth_sendUserOperation),
// returning the real transaction hash.
//
// # Signing pipeline
//
//	target hash (32 bytes) → SHA-256 → DigestInfo → card (80 2A 00 80) → 256-byte PKCS#1 v1.5 signature
//
// The card is any crypto.Signer used with crypto.SHA256; in production it is jpki.(*Card).AuthKey(pub), which
// wraps the digest in the SHA-256 DigestInfo itself. The account contract hashes the target again before
// verifying (OpenZeppelin SignerRSA), hence the SHA-256 step. Each signature is checked against the owner key
// before it leaves the package, so a card holding another key fails here, not on-chain.
//
// # The rule: no raw digests
//
// No exported function signs a caller-supplied 32-byte digest. A page (through the extension and host
// protocol) could otherwise ask the card to sign a userOpHash or an ERC-7739 hash it computed for another
// purpose, and the consent sheet would have nothing meaningful to show. The exported signing methods take
// structured input only — a personal_sign message (SignPersonal), EIP-712 typed data (SignTypedData), a
// UserOperation this package hashes itself (SignUserOperation / Send) — and compute the target hash from it.
// The hash builders (PersonalSignHash, TypedDataSignHash, UserOperation.Hash) are exported because they only
// compute; keep it that way when adding methods. eth_sign and eth_signTransaction have no counterpart here.
//
// # Gas and fees
//
// See BuildUserOperation for how gas limits are simulated and which safety margins apply, and how a bundler
// (a Quoter) is asked to size and price an operation before the card signs it; Fees and QuotedFees for the
// fee policy.
//
// # Use
//
//	der, _ := card.ReadAuthCertificate()            // card: *jpki.Card, VerifyAuthPIN done
//	owner, _ := account.OwnerFromCertificate(der)
//	a, _ := account.New(ctx, rpcClient, account.Config{Factory: net.AccountFactory, EntryPoint: net.EntryPoint},
//		owner, card.AuthKey(owner.Pub))
//	sig, _ := a.SignPersonal(ctx, message)          // personal_sign: sig.Bytes (ERC-6492 wrapped while undeployed)
//	td, _ := eip712.Decode(typedDataJSON)          // the consent sheet's reading
//	sig, _ = a.SignTypedData(ctx, td)                // eth_signTypedData_v4
//	tx, _ := a.Send(ctx, &account.Relayer{Client: ethclient.NewClient(rpcClient), Key: relayerKey}, calls)
//	tx, _ = a.Send(ctx, &account.Bundler{RPC: bundlerClient}, calls) // or an ERC-4337 bundler
//
// This package must stay light: it must not import host/testbed/devchain (the host would link a whole node); the
// tests do.
package account
