// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {RSA} from "@openzeppelin/contracts/utils/cryptography/RSA.sol";
import {CardRSA} from "../CardRSA.sol";

/// @title Exposes CardRSA next to OpenZeppelin's RSA.pkcs1Sha256, so tests can check that the two agree on
/// valid and malformed signatures (and see where they differ by design: the implicit-NULL DigestInfo).
contract RSAHarness {
    function cardVerify(bytes32 digest, bytes calldata s, bytes calldata e, bytes calldata n) external view returns (bool) {
        return CardRSA.verify(digest, s, e, n);
    }

    function ozVerify(bytes32 digest, bytes calldata s, bytes calldata e, bytes calldata n) external view returns (bool) {
        return RSA.pkcs1Sha256(digest, s, e, n);
    }

    function isValidKey(bytes calldata e, bytes calldata n) external pure returns (bool) {
        return CardRSA.isValidKey(e, n);
    }
}
