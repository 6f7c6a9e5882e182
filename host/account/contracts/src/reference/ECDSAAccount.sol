// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {IEntryPoint} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ERC7739} from "@openzeppelin/contracts/utils/cryptography/signers/draft-ERC7739.sol";
import {SignerECDSA} from "@openzeppelin/contracts/utils/cryptography/signers/SignerECDSA.sol";

/// @title The secp256k1 reference account that CardAccount's gas is measured against.
/// @dev Everything but the signer matches CardAccount (EntryPoint v0.8, ERC-7739, ERC-7821, a CREATE2 clone per
/// owner), so the ratio of the two isolates what RSA costs. It is OpenZeppelin's own initializable-clone recipe:
/// the owner address lives in storage, one SLOAD per validation, as CardAccount's rotation pointer does.
contract ECDSAAccount is Account, EIP712, ERC7739, SignerECDSA, ERC7821, Initializable {
    IEntryPoint private immutable _entryPoint;

    constructor(IEntryPoint entryPoint_) EIP712("ECDSAAccount", "1") SignerECDSA(address(0)) {
        _entryPoint = entryPoint_;
        _disableInitializers();
    }

    function initialize(address owner) external initializer {
        _setSigner(owner);
    }

    function entryPoint() public view override returns (IEntryPoint) {
        return _entryPoint;
    }

    function _erc7821AuthorizedExecutor(
        address caller,
        bytes32 mode,
        bytes calldata executionData
    ) internal view override returns (bool) {
        return caller == address(entryPoint()) || super._erc7821AuthorizedExecutor(caller, mode, executionData);
    }
}

/// @title CREATE2 factory of ECDSAAccount clones, salt = keccak256(abi.encode(owner, index)).
contract ECDSAAccountFactory {
    ECDSAAccount public immutable implementation;

    constructor(IEntryPoint entryPoint_) {
        implementation = new ECDSAAccount(entryPoint_);
    }

    function getAddress(address owner, uint256 index) public view returns (address) {
        return Clones.predictDeterministicAddress(address(implementation), keccak256(abi.encode(owner, index)));
    }

    function createAccount(address owner, uint256 index) external returns (address account) {
        account = getAddress(owner, index);
        if (account.code.length == 0) {
            Clones.cloneDeterministic(address(implementation), keccak256(abi.encode(owner, index)));
            ECDSAAccount(payable(account)).initialize(owner);
        }
    }
}
