// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {CardRSA} from "./CardRSA.sol";

/// @dev What CardRecovery needs of an account: its current key, and the one door it may open.
interface IRecoverableCardAccount {
    function keyHash() external view returns (bytes32);
    function rotateOwner(bytes calldata e, bytes calldata n) external;
}

/// @title Guardians and a delay for card accounts: the way an account outlives its card's key.
/// @notice A card's key is regenerated at every renewal and when a lost card is reissued. This contract is the
/// only caller a CardAccount accepts for `rotateOwner`, and it can do nothing else to an account:
///
/// - the owner (a UserOperation of the account, so `msg.sender` is the account) rotates to a renewed card at
///   once while the old card still works (`rotateByOwner`), with the new card's signature proving it holds its
///   key;
/// - otherwise a quorum of the guardians the owner chose (another person's card account through ERC-1271, a
///   passkey through an ERC-7913 verifier, or any address) schedules the same rotation (`startRecovery`),
///   again with the new card's signature; anyone executes it after the account's delay (at least 48 hours,
///   72 by default), and it expires 30 days after that; until it is executed the owner cancels it with one
///   UserOperation, and a pending request is replaced only by one with more approvals;
/// - changes to the guardians or the quorum, and any shortening of the delay, wait out the current delay;
///   lengthening the delay takes effect at once.
///
/// Every approval signs the EIP-712 `Recovery(account, newKeyHash, nonce)` of this contract's domain (so it is
/// bound to one chain, one account and one moment: the nonce moves with every rotation, cancellation and
/// configuration change). The contract has no owner and no upgrade path: it is deployed once per chain at the
/// same address, so a person can finish or cancel a recovery with nothing but the chain.
contract CardRecovery is EIP712 {
    using SignatureChecker for bytes;

    /// @notice The shortest delay an account may choose, and the delay of one that chose none.
    uint32 public constant MIN_DELAY = 48 hours;
    uint32 public constant DEFAULT_DELAY = 72 hours;
    /// @notice How long after its delay a scheduled recovery can still be executed.
    uint32 public constant EXPIRY = 30 days;
    /// @notice At most this many guardians per account (each approval is checked in one transaction).
    uint256 public constant MAX_GUARDIANS = 16;

    bytes32 private constant _RECOVERY_TYPEHASH = keccak256("Recovery(address account,bytes32 newKeyHash,uint256 nonce)");

    /// @dev Guardians are ERC-7913 signers: a 20-byte address (ERC-1271 contract or ECDSA key) or a verifier's
    /// address followed by a key. They are stored by hash; the list itself is only in events and calldata.
    struct Config {
        uint32 delay;
        uint8 threshold;
        uint8 count;
        mapping(bytes32 signerHash => bool) isGuardian;
        bytes32[] guardianHashes;
    }

    struct PendingConfig {
        bytes32 guardiansHash; // keccak256(abi.encode(guardians))
        uint32 delay;
        uint8 threshold;
        uint64 effectiveAt; // zero when nothing is pending
    }

    /// @dev The new key itself is in the RecoveryStarted event and is given again to executeRecovery: storing
    /// its 259 bytes would cost each recovery about 180,000 gas more.
    struct Request {
        bytes32 newKeyHash;
        uint8 approvals;
        uint64 executeAfter; // zero when nothing is pending
        uint64 expiresAt;
    }

    mapping(address account => Config) private _configs;
    mapping(address account => PendingConfig) private _pendingConfigs;
    mapping(address account => Request) private _requests;
    mapping(address account => uint256) public nonce;

    event GuardiansChanged(address indexed account, bytes[] guardians, uint8 threshold, uint32 delay);
    event GuardiansChangeScheduled(address indexed account, bytes[] guardians, uint8 threshold, uint32 delay, uint64 effectiveAt);
    event GuardiansChangeCancelled(address indexed account);
    event RecoveryStarted(
        address indexed account, bytes32 indexed newKeyHash, bytes e, bytes n, uint8 approvals, uint64 executeAfter, uint64 expiresAt
    );
    event RecoveryCancelled(address indexed account, bytes32 indexed newKeyHash);
    event RecoveryExecuted(address indexed account, bytes32 indexed newKeyHash);

    error InvalidGuardians();
    error InvalidDelay();
    error NotGuardianApprovals();
    error TooFewApprovals(uint256 approvals, uint256 needed);
    error NewOwnerDidNotSign();
    error SameOwner();
    error NothingPending();
    error TooEarly(uint64 executeAfter);
    error Expired(uint64 expiresAt);

    constructor() EIP712("CardRecovery", "1") {}

    // --- the owner's side (msg.sender is the account) ------------------------------------------------------

    /// @notice Chooses the account's guardians, how many must approve, and the delay (0 for the default). The
    /// first choice takes effect at once; later ones wait out the current delay (`applyGuardians`), unless all
    /// they do is lengthen the delay.
    function setGuardians(bytes[] calldata guardians, uint8 threshold, uint32 delay) external {
        address account = msg.sender;
        if (delay == 0) delay = DEFAULT_DELAY;
        if (delay < MIN_DELAY) revert InvalidDelay();
        _checkGuardians(guardians, threshold);
        Config storage c = _configs[account];
        bytes32 guardiansHash = keccak256(abi.encode(guardians));
        bool first = c.threshold == 0;
        bool onlyLonger = !first && delay >= c.delay && threshold == c.threshold && _sameGuardians(c, guardians);
        if (first || onlyLonger) {
            delete _pendingConfigs[account];
            _apply(account, guardians, threshold, delay);
            return;
        }
        uint64 effectiveAt = uint64(block.timestamp) + c.delay;
        _pendingConfigs[account] = PendingConfig(guardiansHash, delay, threshold, effectiveAt);
        emit GuardiansChangeScheduled(account, guardians, threshold, delay, effectiveAt);
    }

    /// @notice Drops a scheduled change of the account's guardians.
    function cancelGuardiansChange() external {
        if (_pendingConfigs[msg.sender].effectiveAt == 0) revert NothingPending();
        delete _pendingConfigs[msg.sender];
        emit GuardiansChangeCancelled(msg.sender);
    }

    /// @notice Hands the account to a renewed card while the current one still works: no guardians, no delay.
    /// `newOwnerSignature` is the new card's signature of `recoveryHash(account, e, n)`.
    function rotateByOwner(bytes calldata e, bytes calldata n, bytes calldata newOwnerSignature) external {
        _rotate(msg.sender, e, n, newOwnerSignature);
    }

    /// @notice Cancels the account's pending recovery: one UserOperation signed by the current card.
    function cancelRecovery() external {
        Request storage r = _requests[msg.sender];
        if (r.executeAfter == 0) revert NothingPending();
        bytes32 newKeyHash = r.newKeyHash;
        delete _requests[msg.sender];
        nonce[msg.sender]++;
        emit RecoveryCancelled(msg.sender, newKeyHash);
    }

    // --- anyone -------------------------------------------------------------------------------------------

    /// @notice Applies a scheduled change of guardians once its time has come.
    function applyGuardians(address account, bytes[] calldata guardians) external {
        PendingConfig memory p = _pendingConfigs[account];
        if (p.effectiveAt == 0 || keccak256(abi.encode(guardians)) != p.guardiansHash) revert NothingPending();
        if (block.timestamp < p.effectiveAt) revert TooEarly(p.effectiveAt);
        delete _pendingConfigs[account];
        _apply(account, guardians, p.threshold, p.delay);
    }

    /// @notice Schedules the rotation of `account` to the key (e, n), approved by `signatures` of `guardians`
    /// (in strictly ascending order of keccak256(guardian), each over `recoveryHash(account, e, n)`, or empty
    /// for the guardian that is the caller) and by the new card's `newOwnerSignature` of the same hash.
    /// Replaces a pending request only with more approvals.
    function startRecovery(
        address account,
        bytes calldata e,
        bytes calldata n,
        bytes calldata newOwnerSignature,
        bytes[] calldata guardians,
        bytes[] calldata signatures
    ) external {
        Config storage c = _configs[account];
        if (c.threshold == 0 || guardians.length != signatures.length) revert NotGuardianApprovals();
        bytes32 hash = recoveryHash(account, e, n);
        _checkNewOwner(account, hash, e, n, newOwnerSignature);
        _checkApprovals(c, hash, guardians, signatures);
        _schedule(account, c.delay, e, n, uint8(guardians.length));
    }

    /// @notice Executes the account's scheduled recovery after its delay and before it expires: (e, n) is the
    /// new key, as RecoveryStarted logged it.
    function executeRecovery(address account, bytes calldata e, bytes calldata n) external {
        Request memory r = _requests[account];
        if (r.executeAfter == 0 || keccak256(abi.encode(e, n)) != r.newKeyHash) revert NothingPending();
        if (block.timestamp < r.executeAfter) revert TooEarly(r.executeAfter);
        if (block.timestamp > r.expiresAt) revert Expired(r.expiresAt);
        delete _requests[account];
        nonce[account]++;
        IRecoverableCardAccount(account).rotateOwner(e, n);
        emit RecoveryExecuted(account, r.newKeyHash);
    }

    // --- reading ------------------------------------------------------------------------------------------

    /// @notice What every approval of a rotation of `account` to (e, n) signs, at the account's current nonce.
    function recoveryHash(address account, bytes calldata e, bytes calldata n) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(_RECOVERY_TYPEHASH, account, keccak256(abi.encode(e, n)), nonce[account])));
    }

    /// @notice The account's guardians (by keccak256 of their ERC-7913 signer bytes), quorum and delay.
    function guardiansOf(address account) external view returns (bytes32[] memory guardianHashes, uint8 threshold, uint32 delay) {
        Config storage c = _configs[account];
        return (c.guardianHashes, c.threshold, c.delay);
    }

    /// @notice The account's scheduled change of guardians, if any (effectiveAt is zero otherwise).
    function pendingGuardians(address account) external view returns (PendingConfig memory) {
        return _pendingConfigs[account];
    }

    /// @notice The account's pending recovery, if any (executeAfter is zero otherwise).
    function pendingRecovery(address account) external view returns (Request memory) {
        return _requests[account];
    }

    // --- internals ----------------------------------------------------------------------------------------

    function _rotate(address account, bytes calldata e, bytes calldata n, bytes calldata newOwnerSignature) private {
        _checkNewOwner(account, recoveryHash(account, e, n), e, n, newOwnerSignature);
        Request storage r = _requests[account];
        if (r.executeAfter != 0) {
            emit RecoveryCancelled(account, r.newKeyHash);
            delete _requests[account];
        }
        nonce[account]++;
        IRecoverableCardAccount(account).rotateOwner(e, n);
    }

    /// @dev The new card must hold its key (a rotation to a key nobody holds would lose the account), and must
    /// differ from the current one.
    function _checkNewOwner(address account, bytes32 hash, bytes calldata e, bytes calldata n, bytes calldata sig) private view {
        if (!CardRSA.isValidKey(e, n)) revert NewOwnerDidNotSign();
        if (keccak256(abi.encode(e, n)) == IRecoverableCardAccount(account).keyHash()) revert SameOwner();
        if (!CardRSA.verify(sha256(abi.encode(hash)), sig, e, n)) revert NewOwnerDidNotSign();
    }

    /// @dev Each approval must come from a distinct guardian (strictly ascending signer hashes) and be valid
    /// now; there must be at least the quorum of them. A guardian that is an address approves either with a
    /// signature or, with an empty one, by being the caller: a family member's card account then approves
    /// with the one UserOperation that submits the request (one card signature, one PIN), instead of an
    /// ERC-1271 signature and a second operation.
    function _checkApprovals(Config storage c, bytes32 hash, bytes[] calldata guardians, bytes[] calldata signatures) private view {
        bytes32 previous;
        for (uint256 i = 0; i < guardians.length; i++) {
            bytes32 h = keccak256(guardians[i]);
            if (h <= previous || !c.isGuardian[h] || !_approves(guardians[i], hash, signatures[i])) {
                revert NotGuardianApprovals();
            }
            previous = h;
        }
        if (guardians.length < c.threshold) revert TooFewApprovals(guardians.length, c.threshold);
    }

    function _approves(bytes calldata guardian, bytes32 hash, bytes calldata signature) private view returns (bool) {
        if (signature.length == 0) return guardian.length == 20 && address(bytes20(guardian)) == msg.sender;
        return guardian.isValidSignatureNow(hash, signature);
    }

    /// @dev Records the request, replacing a pending one only when it has more approvals.
    function _schedule(address account, uint32 delay, bytes calldata e, bytes calldata n, uint8 approvals) private {
        Request storage r = _requests[account];
        if (r.executeAfter != 0 && approvals <= r.approvals) revert TooFewApprovals(approvals, uint256(r.approvals) + 1);
        uint64 executeAfter = uint64(block.timestamp) + delay;
        uint64 expiresAt = executeAfter + EXPIRY;
        bytes32 newKeyHash = keccak256(abi.encode(e, n));
        _requests[account] = Request(newKeyHash, approvals, executeAfter, expiresAt);
        emit RecoveryStarted(account, newKeyHash, e, n, approvals, executeAfter, expiresAt);
    }

    function _checkGuardians(bytes[] calldata guardians, uint8 threshold) private pure {
        if (guardians.length == 0 || guardians.length > MAX_GUARDIANS || threshold == 0 || threshold > guardians.length) {
            revert InvalidGuardians();
        }
        for (uint256 i = 0; i < guardians.length; i++) {
            if (guardians[i].length < 20) revert InvalidGuardians();
            for (uint256 j = 0; j < i; j++) {
                if (keccak256(guardians[i]) == keccak256(guardians[j])) revert InvalidGuardians();
            }
        }
    }

    function _sameGuardians(Config storage c, bytes[] calldata guardians) private view returns (bool) {
        if (guardians.length != c.count) return false;
        for (uint256 i = 0; i < guardians.length; i++) {
            if (!c.isGuardian[keccak256(guardians[i])]) return false;
        }
        return true;
    }

    function _apply(address account, bytes[] calldata guardians, uint8 threshold, uint32 delay) private {
        Config storage c = _configs[account];
        for (uint256 i = 0; i < c.guardianHashes.length; i++) {
            delete c.isGuardian[c.guardianHashes[i]];
        }
        delete c.guardianHashes;
        for (uint256 i = 0; i < guardians.length; i++) {
            bytes32 h = keccak256(guardians[i]);
            c.isGuardian[h] = true;
            c.guardianHashes.push(h);
        }
        c.count = uint8(guardians.length);
        c.threshold = threshold;
        c.delay = delay;
        nonce[account]++;
        emit GuardiansChanged(account, guardians, threshold, delay);
    }
}
