// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC7913WebAuthnVerifier} from "@openzeppelin/contracts/utils/cryptography/verifiers/ERC7913WebAuthnVerifier.sol";

/// @title The passkey verifier guardians name: OpenZeppelin 5.7's ERC-7913 WebAuthn verifier, as it is.
/// @notice A passkey guardian is the ERC-7913 signer `address(PasskeyVerifier) || qx || qy` (its P-256 public
/// key); its approval is an abi-encoded WebAuthn assertion over the recovery hash, with user verification
/// required. P-256 is checked by Osaka's P256VERIFY precompile at 0x100, and by the library's Solidity code
/// where a chain has no precompile. Deployed once per chain at the same address, like CardRecovery.
contract PasskeyVerifier is ERC7913WebAuthnVerifier {}
