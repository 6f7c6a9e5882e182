// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title RSA public keys of My Number cards: shape checks, compact storage in code, PKCS#1 v1.5 verification.
/// @notice The card's authentication key is RSA-2048 and signs PKCS#1 v1.5 over a SHA-256 DigestInfo.
/// @dev Verification is encode-and-compare (RFC 8017 section 8.2.2 step 3-4): the expected encoded message
/// EM = 0x00 0x01 FF..FF 0x00 DigestInfo(SHA-256, explicit NULL) || digest is built word by word and compared
/// with the modexp output. That is the check RFC 8017 recommends, it leaves no parser to get wrong, and it costs
/// a fraction of OpenZeppelin's RSA.pkcs1Sha256 (which walks the padding byte by byte and also accepts the
/// implicit-NULL DigestInfo, a form the card pipeline never produces).
///
/// A key is stored as `uint16(n.length) || n || e` in the code of a contract: the account clone's immutable
/// arguments, or a data contract written on owner rotation. Reading it back is an EXTCODECOPY instead of the
/// ten cold SLOADs (21,000 gas) that a `bytes`-in-storage key costs on every validation.
library CardRSA {
    /// @dev 0xff..ff 0x00 followed by the DER prefix of DigestInfo{sha256, NULL}: the EM word just before the digest.
    bytes32 private constant _DIGEST_INFO_WORD = 0xffffffffffffffffffffffff003031300d060960864801650304020105000420;
    /// @dev 0x00 0x01 then padding: the first EM word.
    bytes32 private constant _FIRST_WORD = 0x0001ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff;
    bytes32 private constant _PAD_WORD = 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff;

    /// @dev Smallest and largest accepted moduli: 2048 bits (the card) to 4096 bits.
    uint256 internal constant MIN_MODULUS_BYTES = 256;
    uint256 internal constant MAX_MODULUS_BYTES = 512;

    /// @dev Returns true when (e, n) is minimally encoded and usable by {verify}: n has no leading zero byte,
    /// is odd and 2048..4096 bits in whole 256-bit words; e has no leading zero byte, is odd, at least 3 and at
    /// most 32 bytes. Minimal encoding matters: the account address is derived from the key bytes, so a padded
    /// exponent (0x00..010001) would name a different account for the same card, and the exponent length sets
    /// the modexp price after EIP-7883.
    function isValidKey(bytes memory e, bytes memory n) internal pure returns (bool) {
        uint256 nLen = n.length;
        uint256 eLen = e.length;
        if (nLen < MIN_MODULUS_BYTES || nLen > MAX_MODULUS_BYTES || nLen % 32 != 0) return false;
        if (uint8(n[0]) == 0 || uint8(n[nLen - 1]) & 1 == 0) return false;
        if (eLen == 0 || eLen > 32 || uint8(e[0]) == 0 || uint8(e[eLen - 1]) & 1 == 0) return false;
        if (eLen == 1 && uint8(e[0]) < 3) return false;
        return true;
    }

    /// @dev The key as it is laid out in code: `uint16(n.length) || n || e`.
    function pack(bytes memory e, bytes memory n) internal pure returns (bytes memory) {
        return abi.encodePacked(uint16(n.length), n, e);
    }

    /// @dev Reads a key packed by {pack} from the code of `holder`, starting at code offset `offset` and running
    /// to the end of the code. The caller guarantees the layout (the holder is the account itself or a data
    /// contract it wrote).
    function load(address holder, uint256 offset) internal view returns (bytes memory e, bytes memory n) {
        assembly ("memory-safe") {
            let size := extcodesize(holder)
            extcodecopy(holder, 0x1e, offset, 2) // uint16 length into the low bytes of scratch word 0x00
            let nLen := and(mload(0x00), 0xffff)
            let eLen := sub(size, add(add(offset, 2), nLen))

            n := mload(0x40)
            mstore(n, nLen)
            // Code past the end reads as zeros, so copying whole words also zeroes the padding.
            let nWords := and(add(nLen, 31), not(31))
            extcodecopy(holder, add(n, 0x20), add(offset, 2), nWords)

            e := add(add(n, 0x20), nWords)
            mstore(e, eLen)
            let eWords := and(add(eLen, 31), not(31))
            extcodecopy(holder, add(e, 0x20), add(add(offset, 2), nLen), eWords)
            mstore(0x40, add(add(e, 0x20), eWords))
        }
    }

    /// @dev Verifies an RSASSA-PKCS1-v1_5 signature `s` over a message whose SHA-256 is `digest`, under (e, n).
    /// Expects n to satisfy {isValidKey}; returns false (never reverts) on any malformed input, so that ERC-4337
    /// validation reports a signature failure instead of reverting.
    function verify(bytes32 digest, bytes calldata s, bytes memory e, bytes memory n) internal view returns (bool ok) {
        uint256 len = n.length;
        if (len < MIN_MODULUS_BYTES || len % 32 != 0 || s.length != len) return false;
        assembly ("memory-safe") {
            let nData := add(n, 0x20)
            // s < n, compared from the most significant word: only one signature per message.
            ok := 0
            for { let i := 0 } lt(i, len) { i := add(i, 0x20) } {
                let sw := calldataload(add(s.offset, i))
                let nw := mload(add(nData, i))
                if lt(sw, nw) {
                    ok := 1
                    break
                }
                if gt(sw, nw) { break }
            }
            if ok {
                // modexp precompile input: len(s) | len(e) | len(n) | s | e | n
                let eLen := mload(e)
                let p := mload(0x40)
                mstore(p, len)
                mstore(add(p, 0x20), eLen)
                mstore(add(p, 0x40), len)
                calldatacopy(add(p, 0x60), s.offset, len)
                mcopy(add(add(p, 0x60), len), add(e, 0x20), eLen)
                mcopy(add(add(add(p, 0x60), len), eLen), nData, len)
                // Two statements: Yul evaluates arguments right to left, so eq(returndatasize(), len) as a
                // second argument of and() would run before the call.
                ok := staticcall(gas(), 0x05, p, add(add(0x60, eLen), mul(len, 2)), p, len)
                ok := and(ok, eq(returndatasize(), len))
                if ok {
                    // EM = 00 01 | FF.. | FF.. 00 DigestInfo-prefix | digest
                    let last := sub(len, 0x20)
                    ok := and(eq(mload(p), _FIRST_WORD), eq(mload(add(p, last)), digest))
                    ok := and(ok, eq(mload(add(p, sub(last, 0x20))), _DIGEST_INFO_WORD))
                    for { let i := 0x20 } lt(i, sub(last, 0x20)) { i := add(i, 0x20) } {
                        ok := and(ok, eq(mload(add(p, i)), _PAD_WORD))
                    }
                }
            }
        }
    }
}
