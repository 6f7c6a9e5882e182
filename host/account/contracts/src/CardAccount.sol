// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {IEntryPoint} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {ERC721Holder} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Holder.sol";
import {ERC1155Holder} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Holder.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ERC7739} from "@openzeppelin/contracts/utils/cryptography/signers/draft-ERC7739.sol";
import {CardRSA} from "./CardRSA.sol";

/// @title A smart account owned by the RSA authentication key of a My Number card.
/// @notice ERC-4337 (EntryPoint v0.8), ERC-1271 through ERC-7739 (replay-safe personal_sign and typed data),
/// ERC-7821 batch execution, and owner rotation for when the card is renewed.
/// @dev Every account is a minimal clone (CardAccountFactory) whose immutable arguments are
/// `bytes32 index || uint16(n.length) || n || e`: the key is read from the clone's own code, so validation pays
/// no SLOAD for it, and the account needs no initializer (nothing to front-run). The only storage is one slot
/// that points at a data contract holding the key after a rotation.
///
/// The card cannot hash a 32-byte message itself the way an Ethereum wallet would: the host hashes the target
/// hash (userOpHash or the ERC-7739 hash) with SHA-256 and the card signs DigestInfo(SHA-256(targetHash)), which
/// is what OpenZeppelin's SignerRSA verifies too.
contract CardAccount is Account, EIP712, ERC7739, ERC7821, ERC721Holder, ERC1155Holder {
    /// @dev Clone layout: the 45-byte ERC-1167 proxy, then the 32-byte index, then the packed key.
    uint256 private constant _CLONE_KEY_OFFSET = 0x2d + 0x20;
    /// @dev A rotated key's data contract starts with a STOP byte so calling it does nothing.
    uint256 private constant _ROTATED_KEY_OFFSET = 1;

    /// @dev keccak256(abi.encode(uint256(keccak256("mynaconnect.storage.CardAccount")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE = 0xeb814c17dd04609c35ac951ad17a4a76a3a3d21df7b534403ecd37b1552b6a00;

    IEntryPoint private immutable _entryPoint;
    /// @dev CardRecovery: the only caller of rotateOwner (the owner's direct renewal and the guardians' delayed
    /// recovery both go through it, each with the new card's signature).
    address private immutable _recovery;
    /// @dev The implementation's own address: its code has no key, so it must never validate anything.
    address private immutable _self;

    /// @dev The owner changed from the key hashing to `oldKeyHash` to the one hashing to `newKeyHash`
    /// (keccak256(abi.encode(e, n))). Indexed so that a renewed card can find the accounts it now owns.
    event OwnerRotated(bytes32 indexed oldKeyHash, bytes32 indexed newKeyHash);

    error InvalidRSAKey();
    error KeyStoreFailed();
    error OnlyRecovery();

    /// @custom:storage-location erc7201:mynaconnect.storage.CardAccount
    struct CardAccountStorage {
        /// Data contract holding the current key after a rotation; zero while the clone's own key is the owner.
        address rotatedKey;
    }

    constructor(IEntryPoint entryPoint_, address recovery_) EIP712("CardAccount", "1") {
        _entryPoint = entryPoint_;
        _recovery = recovery_;
        _self = address(this);
    }

    /// @notice The CardRecovery contract that rotates this account's owner.
    function recovery() external view returns (address) {
        return _recovery;
    }

    /// @inheritdoc Account
    function entryPoint() public view override returns (IEntryPoint) {
        return _entryPoint;
    }

    /// @notice The current owner's RSA public key: exponent and modulus, big-endian, minimal length.
    function signer() public view returns (bytes memory e, bytes memory n) {
        address rotated = _storage().rotatedKey;
        return rotated == address(0) ? CardRSA.load(address(this), _CLONE_KEY_OFFSET) : CardRSA.load(rotated, _ROTATED_KEY_OFFSET);
    }

    /// @notice keccak256(abi.encode(e, n)) of the current owner key.
    function keyHash() public view returns (bytes32) {
        (bytes memory e, bytes memory n) = signer();
        return keccak256(abi.encode(e, n));
    }

    /// @notice Hands the account to a new card key (the renewed or reissued card). Only CardRecovery calls it:
    /// at once for the owner (`rotateByOwner`), after the delay for the guardians (`executeRecovery`), in both
    /// cases with the new card's signature. Signatures by the previous key fail from then on.
    function rotateOwner(bytes calldata e, bytes calldata n) external {
        if (msg.sender != _recovery) revert OnlyRecovery();
        if (!CardRSA.isValidKey(e, n)) revert InvalidRSAKey();
        bytes32 oldKeyHash = keyHash();
        _storage().rotatedKey = _writeKey(CardRSA.pack(e, n));
        emit OwnerRotated(oldKeyHash, keccak256(abi.encode(e, n)));
    }

    /// @dev Signature check shared by UserOperations (hash = userOpHash) and ERC-7739 (hash = nested EIP-712 hash).
    function _rawSignatureValidation(bytes32 hash, bytes calldata signature) internal view override returns (bool) {
        if (address(this) == _self) return false;
        (bytes memory e, bytes memory n) = signer();
        return CardRSA.verify(sha256(abi.encode(hash)), signature, e, n);
    }

    /// @dev Lets the EntryPoint run batches, so a UserOperation's callData can be `execute(mode, calls)`.
    function _erc7821AuthorizedExecutor(
        address caller,
        bytes32 mode,
        bytes calldata executionData
    ) internal view override returns (bool) {
        return caller == address(entryPoint()) || super._erc7821AuthorizedExecutor(caller, mode, executionData);
    }

    /// @dev Stores `data` as the code of a new contract, behind a STOP byte (the SSTORE2 pattern).
    function _writeKey(bytes memory data) private returns (address holder) {
        bytes memory runtime = abi.encodePacked(hex"00", data);
        // PUSH2 len, DUP1, PUSH1 0x0a, RETURNDATASIZE, CODECOPY, RETURNDATASIZE, RETURN: returns what follows.
        bytes memory init = abi.encodePacked(hex"61", uint16(runtime.length), hex"80600a3d393df3", runtime);
        assembly ("memory-safe") {
            holder := create(0, add(init, 0x20), mload(init))
        }
        if (holder == address(0)) revert KeyStoreFailed();
    }

    function _storage() private pure returns (CardAccountStorage storage $) {
        assembly ("memory-safe") {
            $.slot := _STORAGE
        }
    }
}
