// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IEntryPoint, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {ERC4337Utils} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20, SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {PaymasterERC20} from "@openzeppelin/contracts/account/paymaster/extensions/PaymasterERC20.sol";

/// @title Pays a card account's gas in ETH and takes the fee in JPYC, at a rate its operator sets.
/// @notice A person who holds only JPYC can send JPYC: the account's UserOperation names this paymaster in
/// paymasterAndData, the paymaster's ETH deposit at the EntryPoint pays the gas, and the account pays the
/// fee in JPYC (`tokenPerNative` JPYC units per ETH, the operator's rate), never more than the most the
/// operation can cost at that rate.
///
/// The operation's paymasterData is the highest rate the account accepts (uint256, JPYC units per ETH as
/// `tokenPerNative`): the wallet puts the rate its consent sheet showed there, the userOpHash the card signs
/// covers it, and the paymaster refuses the operation while its own rate is above it. So the operator
/// changing the rate between the sheet and the chain never makes the account pay more than it was shown.
///
/// Two ways to pay, both OpenZeppelin's PaymasterERC20 underneath:
///
/// - **The account has approved this paymaster** for at least the operation's most: the fee is taken in
///   validation (transferFrom) and the unused part refunded after execution.
/// - **It has not** (the usual case: the wallet approves, per operation, exactly the most it shows): the
///   operation's batch must begin with `JPYC.approve(thisPaymaster, amount)` for at least the operation's
///   most, and the account must hold that much JPYC. Validation only reads (and notes the fee as owed), and
///   the fee is taken after execution under the approval the batch just gave, never more than it. Should the
///   batch leave too little JPYC for the fee, the fee cannot be taken: the EntryPoint reverts the whole
///   execution (transfers included), this paymaster bears that operation's gas, and the note stays, so the
///   account cannot pay this way again.
///
/// ERC-7562: the paymaster is staked (the operator's `addStake`), so it may read the token's storage and write
/// its own; validation writes token storage only for accounts that exist (the approved way).
contract JPYCFeePaymaster is PaymasterERC20, Ownable {
    using SafeERC20 for IERC20;

    /// @notice The JPYC token fees are taken in.
    IERC20 public immutable token;
    /// @notice JPYC units per ETH, scaled by 1e18 as PaymasterERC20 reads it: the fee in JPYC units is
    /// `gasCost * tokenPerNative / 1e18`.
    uint256 public tokenPerNative;
    /// @notice Accounts whose fee, to be taken after execution, has not been: while one is noted, it cannot pay
    /// that way again (see the contract's notice).
    mapping(address account => bool) public feeOwed;

    /// @dev ERC-7821 `execute(bytes32,bytes)`, and its single-batch mode: what a card account's callData is.
    bytes4 private constant _EXECUTE = 0xe9ae5c53;
    bytes32 private constant _BATCH_MODE = 0x0100000000000000000000000000000000000000000000000000000000000000;
    /// @dev The prefund context of an owed fee: it is taken after execution.
    bytes1 private constant _AFTER_EXECUTION = 0x01;

    event RateChanged(uint256 tokenPerNative);

    error ZeroRate();

    constructor(IERC20 token_, uint256 tokenPerNative_, address owner_) Ownable(owner_) {
        if (tokenPerNative_ == 0) revert ZeroRate();
        token = token_;
        tokenPerNative = tokenPerNative_;
    }

    /// @notice EntryPoint v0.8, the one card accounts use (OpenZeppelin 5.7 defaults to v0.9).
    function entryPoint() public pure override returns (IEntryPoint) {
        return ERC4337Utils.ENTRYPOINT_V08;
    }

    // --- The operator's commands ---------------------------------------------------------------------------

    /// @notice Sets the rate: JPYC units per ETH, scaled by 1e18.
    function setRate(uint256 tokenPerNative_) external onlyOwner {
        if (tokenPerNative_ == 0) revert ZeroRate();
        tokenPerNative = tokenPerNative_;
        emit RateChanged(tokenPerNative_);
    }

    /// @notice Adds to the ETH deposit at the EntryPoint that pays the gas. Anyone may top it up.
    function deposit() external payable {
        _deposit(msg.value);
    }

    /// @notice Takes ETH out of the deposit.
    function withdraw(address payable to, uint256 amount) external onlyOwner {
        _withdraw(to, amount);
    }

    /// @notice Stakes ETH at the EntryPoint, as bundlers require of a paymaster that touches token storage.
    function addStake(uint32 unstakeDelaySec) external payable onlyOwner {
        _addStake(msg.value, unstakeDelaySec);
    }

    function unlockStake() external onlyOwner {
        _unlockStake();
    }

    function withdrawStake(address payable to) external onlyOwner {
        _withdrawStake(to);
    }

    /// @notice Takes the JPYC collected as fees; `type(uint256).max` takes all.
    function withdrawTokens(address recipient, uint256 amount) external onlyOwner {
        _withdrawTokens(token, recipient, amount);
    }

    // --- Validation and settlement -------------------------------------------------------------------------

    /// @dev paymasterData must be the highest rate the account accepts (32 bytes); a rate above it, or other
    /// data, fails validation.
    function _fetchDetails(
        PackedUserOperation calldata userOp,
        bytes32
    ) internal view override returns (uint256 validationData, IERC20 token_, uint256 tokenPerNative_) {
        // paymasterAndData is paymaster (20) | verification gas (16) | postOp gas (16) | data, read directly:
        // EntryPoint v0.8 has no paymaster signature suffix for ERC4337Utils.paymasterData to strip.
        bytes calldata pmAndData = userOp.paymasterAndData;
        uint256 rate = tokenPerNative;
        if (pmAndData.length != 84 || uint256(bytes32(pmAndData[52:84])) < rate) {
            return (ERC4337Utils.SIG_VALIDATION_FAILED, token, rate);
        }
        return (ERC4337Utils.SIG_VALIDATION_SUCCESS, token, rate);
    }

    /// @dev The approved way is PaymasterERC20's. Otherwise the fee is owed: checked here, taken in {_refund}
    /// after execution.
    function _prefund(
        PackedUserOperation calldata userOp,
        bytes32 userOpHash,
        IERC20 token_,
        uint256 tokenPerNative_,
        address prefunder_,
        uint256 prefundAmount_
    ) internal override returns (bool success, address prefunder, uint256 prefundAmount, bytes memory prefundContext) {
        if (token_.allowance(prefunder_, address(this)) >= prefundAmount_) {
            return super._prefund(userOp, userOpHash, token_, tokenPerNative_, prefunder_, prefundAmount_);
        }
        if (
            feeOwed[prefunder_] ||
            token_.balanceOf(prefunder_) < prefundAmount_ ||
            _firstCallApproval(userOp.callData) < prefundAmount_
        ) return (false, prefunder_, prefundAmount_, "");
        feeOwed[prefunder_] = true;
        return (true, prefunder_, prefundAmount_, abi.encodePacked(_AFTER_EXECUTION));
    }

    /// @dev An owed fee is taken now, under the approval the batch gave, and the note cleared. A failure
    /// reverts {_postOp}, and with it the operation's execution and the clearing.
    function _refund(
        IERC20 token_,
        uint256 tokenPerNative_,
        uint256 actualAmount_,
        uint256 actualUserOpFeePerGas,
        address prefunder,
        uint256 prefundAmount,
        bytes calldata prefundContext
    ) internal override returns (bool success, uint256 actualAmount) {
        if (prefundContext.length == 1 && prefundContext[0] == _AFTER_EXECUTION) {
            feeOwed[prefunder] = false;
            return (token_.trySafeTransferFrom(prefunder, address(this), actualAmount_), actualAmount_);
        }
        return super._refund(token_, tokenPerNative_, actualAmount_, actualUserOpFeePerGas, prefunder, prefundAmount, prefundContext);
    }

    /// @dev The postOp gas the EntryPoint does not report to {_postOp}, charged in JPYC. OpenZeppelin's default
    /// (30,000) fell ~200 gas short of an owed fee's transferFrom after execution on the test token
    /// (chaintest TestAnAccountWithOnlyJPYCSendsJPYC); 40,000 covers it with room for a token that does more
    /// per transfer (JPYC checks a blocklist), so the paymaster is never paid less than its gas.
    function _postOpCost() internal pure override returns (uint256) {
        return 40_000;
    }

    /// @dev The amount the first call of a card account's batch approves this paymaster for, in `token`; zero
    /// when the callData is not an ERC-7821 single batch whose first call is exactly that approve with no value.
    function _firstCallApproval(bytes calldata callData) private view returns (uint256) {
        if (callData.length < 4 || bytes4(callData[:4]) != _EXECUTE) return 0;
        (bytes32 mode, bytes memory executionData) = abi.decode(callData[4:], (bytes32, bytes));
        if (mode != _BATCH_MODE) return 0;
        Call[] memory calls = abi.decode(executionData, (Call[]));
        if (calls.length == 0) return 0;
        Call memory first = calls[0];
        if (first.target != address(token) || first.value != 0 || first.data.length != 68) return 0;
        bytes memory data = first.data;
        bytes4 selector;
        uint256 spender; // the whole word: an address with bits above its 160 is not this one
        uint256 amount;
        assembly ("memory-safe") {
            selector := mload(add(data, 0x20))
            spender := mload(add(data, 0x24))
            amount := mload(add(data, 0x44))
        }
        if (selector != IERC20.approve.selector || spender != uint256(uint160(address(this)))) return 0;
        return amount;
    }

    struct Call {
        address target;
        uint256 value;
        bytes data;
    }
}
