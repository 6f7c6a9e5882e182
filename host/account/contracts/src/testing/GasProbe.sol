// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title Measures what a call costs the caller, cold and then warm, inside one transaction.
/// @dev Used through eth_call: the first call pays EIP-2929 cold access for the target (and whatever it
/// touches), the second finds them warm, as a dapp contract checking two signatures of one account would.
contract GasProbe {
    function measure(address target, bytes calldata data) external returns (uint256 cold, uint256 warm, bytes memory result) {
        uint256 start = gasleft();
        (bool ok, bytes memory out) = target.call(data);
        cold = start - gasleft();
        if (!ok) _bubble(out);
        start = gasleft();
        (ok, result) = target.call(data);
        warm = start - gasleft();
        if (!ok) _bubble(result);
    }

    function _bubble(bytes memory reason) private pure {
        assembly ("memory-safe") {
            revert(add(reason, 0x20), mload(reason))
        }
    }
}
