// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title A stand-in for JPYC on the dev chain: an 18-decimal ERC-20 with the same symbol.
/// @dev Only plain transfer/approve matter to a card account (JPYC's permit and transferWithAuthorization take
/// ECDSA signatures, which a card cannot make), so this is OpenZeppelin's ERC20 plus a mint for the faucet.
contract TestJPYC is ERC20, Ownable {
    constructor(address faucet) ERC20("JPY Coin (test)", "JPYC") Ownable(faucet) {}

    /// @notice Creates `amount` (in 18-decimal units: 1e18 is one yen) for `to`. Only the faucet may mint.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
