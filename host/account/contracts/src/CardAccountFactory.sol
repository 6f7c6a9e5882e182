// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IEntryPoint} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {CardAccount} from "./CardAccount.sol";
import {CardRSA} from "./CardRSA.sol";

/// @title Deploys CardAccounts at addresses fixed by the card's key: CREATE2 with
/// salt = keccak256(abi.encode(e, n, index)).
/// @dev The address is known before deployment, so a dapp can be given the account (and ERC-6492 signatures
/// that deploy it) before it exists. The factory keeps no state: `isCardAccount` recomputes the address from
/// the clone's own immutable arguments, which keeps deployment cheap and free of ERC-7562 storage concerns.
contract CardAccountFactory {
    /// @dev Size of the ERC-1167 proxy that precedes a clone's immutable arguments.
    uint256 private constant _PROXY_SIZE = 0x2d;

    CardAccount public immutable implementation;

    event AccountCreated(address indexed account, bytes32 indexed keyHash, uint256 index);

    constructor(IEntryPoint entryPoint_, address recovery_) {
        implementation = new CardAccount(entryPoint_, recovery_);
    }

    /// @notice The EntryPoint every account of this factory trusts.
    function entryPoint() external view returns (IEntryPoint) {
        return implementation.entryPoint();
    }

    /// @notice The account of key (e, n) and number `index` (one card may own several accounts), deployed or not.
    /// Reverts with InvalidRSAKey when the key is not minimally encoded: `e` must be 0x010001, not 32 bytes.
    function getAddress(bytes calldata e, bytes calldata n, uint256 index) public view returns (address) {
        (bytes memory args, bytes32 salt) = _argsAndSalt(e, n, index);
        return Clones.predictDeterministicAddressWithImmutableArgs(address(implementation), args, salt);
    }

    /// @notice Deploys the account of (e, n, index), or returns it if it exists, so that it can be called from an
    /// ERC-4337 initCode and an ERC-6492 wrapper alike, any number of times.
    /// @dev The clone is made with CREATE2 directly, from the init code `Clones` uses (so that
    /// `predictDeterministicAddressWithImmutableArgs` names it): `Clones.cloneDeterministicWithImmutableArgs` goes
    /// through `Create2.deploy`, which reads the factory's balance (SELFBALANCE), an opcode ERC-7562 bans in an
    /// unstaked factory, so every bundler would refuse an account's first UserOperation.
    function createAccount(bytes calldata e, bytes calldata n, uint256 index) external returns (address account) {
        (bytes memory args, bytes32 salt) = _argsAndSalt(e, n, index);
        account = Clones.predictDeterministicAddressWithImmutableArgs(address(implementation), args, salt);
        if (account.code.length == 0) {
            bytes memory code = abi.encodePacked(
                hex"61", uint16(args.length + _PROXY_SIZE), hex"3d81600a3d39f3363d3d373d3d3d363d73", address(implementation),
                hex"5af43d82803e903d91602b57fd5bf3", args
            );
            address made;
            assembly ("memory-safe") {
                made := create2(0, add(code, 0x20), mload(code), salt)
            }
            if (made != account) revert DeploymentFailed();
            emit AccountCreated(account, keccak256(abi.encode(e, n)), index);
        }
    }

    error DeploymentFailed();

    /// @notice True when `account` is a deployed CardAccount made by this factory.
    function isCardAccount(address account) external view returns (bool) {
        uint256 size = account.code.length;
        if (size < _PROXY_SIZE + 0x22 + CardRSA.MIN_MODULUS_BYTES) return false;
        bytes memory args = Clones.fetchCloneArgs(account);
        uint256 index;
        uint256 nLen;
        assembly ("memory-safe") {
            index := mload(add(args, 0x20))
            nLen := shr(240, mload(add(args, 0x40)))
        }
        if (0x22 + nLen >= args.length) return false;
        (bytes memory e, bytes memory n) = CardRSA.load(account, _PROXY_SIZE + 0x20);
        bytes32 salt = keccak256(abi.encode(e, n, index));
        return Clones.predictDeterministicAddressWithImmutableArgs(address(implementation), args, salt) == account;
    }

    function _argsAndSalt(
        bytes calldata e,
        bytes calldata n,
        uint256 index
    ) private pure returns (bytes memory args, bytes32 salt) {
        if (!CardRSA.isValidKey(e, n)) revert CardAccount.InvalidRSAKey();
        args = abi.encodePacked(bytes32(index), CardRSA.pack(e, n));
        salt = keccak256(abi.encode(e, n, index));
    }
}
