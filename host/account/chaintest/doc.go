// Package chaintest proves the card account contracts on the dev chain: ERC-1271 and ERC-6492 signature
// validation, replay protection, UserOperations through EntryPoint v0.8, owner rotation, and the gas they cost
// next to a secp256k1 reference account, under Prague and Osaka rules.
//
// It holds only tests. The signing math in them (ERC-7739 hashes, the v0.8 userOpHash, DigestInfo signing
// with a software RSA key standing in for the card) is deliberately local: the host's signing pipeline in
// host/account is built separately and must agree with what these tests prove the contracts accept.
//
// Run the gas measurements with
//
//	go test ./host/account/chaintest -run TestGas -v
//	go test ./host/account/chaintest -run '^$' -bench Gas
//
// and GAS_MD=host/testbed/devchain/GAS.md to rewrite the results file.
package chaintest
