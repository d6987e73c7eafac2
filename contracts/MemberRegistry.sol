// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {CustodialEscrow} from "./CustodialEscrow.sol";

/// @title MemberRegistry
/// @notice Members, their deposits and the member count. A member's charges are
/// `chargeIndex - chargeIndexAtJoin`, read in O(1): joining, leaving and lapsing never loop.
abstract contract MemberRegistry is CustodialEscrow, EIP712, IMemberRegistry {
    using SafeCast for uint256;

    bytes32 private constant _ATTESTATION_TYPEHASH = keccak256(
        "Attestation(address member,bytes32 commitment,uint256 deadline)"
    );

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One slot per member. `status` stores Waiting for every counted member not exiting
    /// (Active follows from the clock). `chargeMark` is the charge index at join while the member
    /// is counted, and the frozen total charged once they have left.
    struct MemberRecord {
        MemberStatus status;
        uint40 eligibleAt;
        uint104 credit;
        uint104 chargeMark;
    }

    mapping(address account => MemberRecord) private _members;
    mapping(bytes32 commitment => address account) private _commitmentOwners;
    mapping(address account => uint256 claimBound) private _exitBounds;

    constructor() EIP712("Huzhu Pool", "1") {}

    /*//////////////////////////////////////////////////////////////
                             MEMBER ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMemberRegistry
    function join(
        uint256 amount,
        bytes32 commitment,
        Attestation calldata attestation
    ) external nonReentrant whenNotPaused {
        _join(amount, commitment, attestation);
    }

    /// @inheritdoc IMemberRegistry
    function joinWithPermit(
        uint256 amount,
        bytes32 commitment,
        Attestation calldata attestation,
        Permit calldata permit
    ) external nonReentrant whenNotPaused {
        IERC20 asset = _rules.asset;
        // A permit seen in the mempool can be submitted by someone else first; the join still
        // goes through when the allowance is there.
        try
            IERC20Permit(address(asset)).permit(
                msg.sender,
                address(this),
                amount,
                permit.deadline,
                permit.v,
                permit.r,
                permit.s
            )
        // solhint-disable-next-line no-empty-blocks
        {} catch {
            uint256 allowance = asset.allowance(msg.sender, address(this));
            if (allowance < amount) revert MemberPermitFailed(msg.sender, allowance, amount);
        }
        _join(amount, commitment, attestation);
    }

    /// @inheritdoc IMemberRegistry
    function topUp(uint256 amount) external nonReentrant {
        if (amount == 0) revert MemberZeroAmount();
        MemberRecord storage m = _members[msg.sender];
        if (!_isCounted(m.status)) revert UnexpectedMemberStatus(msg.sender, _statusOf(m));
        m.credit = (uint256(m.credit) + amount.toUint104()).toUint104();
        emit MemberToppedUp(msg.sender, amount);
        _collect(msg.sender, amount);
    }

    /// @inheritdoc IMemberRegistry
    function requestExit() external {
        MemberRecord storage m = _members[msg.sender];
        if (m.status != MemberStatus.Waiting) revert UnexpectedMemberStatus(msg.sender, _statusOf(m));
        m.status = MemberStatus.Exiting;
        uint256 bound = _nextClaimId();
        _exitBounds[msg.sender] = bound;
        emit MemberExitRequested(msg.sender, bound);
    }

    /// @inheritdoc IMemberRegistry
    function completeExit(address account) external {
        MemberRecord storage m = _members[account];
        if (m.status != MemberStatus.Exiting) revert UnexpectedMemberStatus(account, _statusOf(m));
        uint256 bound = _exitBounds[account];
        if (!_claimsDoneBelow(bound)) revert MemberExitNotReady(account, bound);
        _leave(account, m, MemberStatus.Exited);
    }

    /// @inheritdoc IMemberRegistry
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert MemberZeroAmount();
        MemberRecord storage m = _members[msg.sender];
        MemberStatus status = m.status;
        if (status == MemberStatus.None) revert UnexpectedMemberStatus(msg.sender, status);
        // A counted member keeps the minimum balance, so that the next share is always paid.
        uint256 keep = _isCounted(status) ? _rules.minBalance : 0;
        // Saturates instead of overflowing: no balance reaches it anyway.
        uint256 needed = amount > type(uint256).max - keep ? type(uint256).max : amount + keep;
        int256 balance = _balanceOf(m);
        if (balance < 0 || uint256(balance) < needed) revert MemberInsufficientBalance(msg.sender, balance, needed);
        // Cannot underflow: credit >= balance >= amount.
        unchecked {
            m.credit -= uint104(amount);
        }
        emit MemberWithdrew(msg.sender, amount);
        _release(msg.sender, amount);
    }

    /// @inheritdoc IMemberRegistry
    function lapse(address account) external {
        MemberRecord storage m = _members[account];
        if (!_isCounted(m.status)) revert UnexpectedMemberStatus(account, _statusOf(m));
        int256 balance = _balanceOf(m);
        uint256 minBalance = _rules.minBalance;
        if (balance >= int256(minBalance)) revert MemberFunded(account, balance, minBalance);
        _leave(account, m, MemberStatus.Lapsed);
    }

    /// @inheritdoc IMemberRegistry
    function lapseBatch(address[] calldata accounts) external returns (uint256 lapsed) {
        int256 minBalance = int256(uint256(_rules.minBalance));
        for (uint256 i; i < accounts.length; ++i) {
            MemberRecord storage m = _members[accounts[i]];
            if (_isCounted(m.status) && _balanceOf(m) < minBalance) {
                _leave(accounts[i], m, MemberStatus.Lapsed);
                ++lapsed;
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMemberRegistry
    function memberCount() external view returns (uint256) {
        return _memberCount;
    }

    /// @inheritdoc IMemberRegistry
    function member(address account) external view returns (MemberView memory) {
        MemberRecord storage m = _members[account];
        return
            MemberView({
                status: _statusOf(m),
                eligibleAt: m.eligibleAt,
                credit: m.credit,
                charged: _chargedOf(m),
                balance: _balanceOf(m),
                exitClaimBound: _exitBounds[account]
            });
    }

    /// @inheritdoc IMemberRegistry
    function statusOf(address account) external view returns (MemberStatus) {
        return _statusOf(_members[account]);
    }

    /// @inheritdoc IMemberRegistry
    function balanceOf(address account) external view returns (int256) {
        return _balanceOf(_members[account]);
    }

    /// @inheritdoc IMemberRegistry
    function commitmentOwner(bytes32 commitment) external view returns (address) {
        return _commitmentOwners[commitment];
    }

    /// @inheritdoc IMemberRegistry
    function attestationDigest(address account, bytes32 commitment, uint256 deadline) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(_ATTESTATION_TYPEHASH, account, commitment, deadline)));
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _join(uint256 amount, bytes32 commitment, Attestation calldata attestation) private {
        uint256 minDeposit = _rules.minDeposit;
        if (amount < minDeposit) revert MemberDepositTooLow(amount, minDeposit);
        if (commitment == bytes32(0)) revert MemberZeroCommitment();
        MemberRecord storage m = _members[msg.sender];
        if (m.status != MemberStatus.None) revert MemberAlreadyJoined(msg.sender);
        if (_commitmentOwners[commitment] != address(0)) revert MemberCommitmentUsed(commitment);
        address verifier = _roles.verifier;
        if (verifier != address(0)) _checkAttestation(verifier, commitment, attestation);

        uint104 index = _chargeIndex;
        uint256 eligibleAt = block.timestamp + _rules.waitingPeriod;
        _members[msg.sender] = MemberRecord({
            status: MemberStatus.Waiting,
            eligibleAt: uint40(eligibleAt),
            credit: amount.toUint104(),
            chargeMark: index
        });
        _commitmentOwners[commitment] = msg.sender;
        uint256 count = ++_memberCount;
        emit MemberJoined(msg.sender, commitment, amount, index, eligibleAt, count);
        _collect(msg.sender, amount);
    }

    function _checkAttestation(address verifier, bytes32 commitment, Attestation calldata attestation) private view {
        if (block.timestamp > attestation.deadline) {
            revert MemberAttestationExpired(attestation.deadline, block.timestamp);
        }
        bytes32 digest = attestationDigest(msg.sender, commitment, attestation.deadline);
        if (!SignatureChecker.isValidSignatureNow(verifier, digest, attestation.signature)) {
            revert MemberAttestationInvalid(msg.sender, commitment);
        }
    }

    /// @dev Takes a member out of the count and freezes their charges. A negative balance (keepers
    /// were late) is written off to zero and carried in the open as a deficit of the next period.
    function _leave(address account, MemberRecord storage m, MemberStatus status) private {
        uint256 credit = m.credit;
        uint256 charged = _chargeIndex - m.chargeMark;
        uint256 shortfall;
        if (charged > credit) {
            // Cannot underflow: checked just above.
            unchecked {
                shortfall = charged - credit;
            }
            charged = credit;
            _carryLoss(shortfall);
        }
        if (m.status == MemberStatus.Exiting) delete _exitBounds[account];
        m.status = status;
        // Fits: charged <= credit, a uint104.
        m.chargeMark = uint104(charged);
        uint256 count = --_memberCount;
        emit MemberLeft(account, status, charged, credit - charged, shortfall, count);
    }

    function _memberRecord(address account) internal view returns (MemberRecord memory) {
        return _members[account];
    }

    function _isCounted(MemberStatus status) internal pure returns (bool) {
        return status == MemberStatus.Waiting || status == MemberStatus.Exiting;
    }

    function _statusOf(MemberRecord memory m) internal view returns (MemberStatus) {
        if (m.status == MemberStatus.Waiting && block.timestamp >= m.eligibleAt) return MemberStatus.Active;
        return m.status;
    }

    function _chargedOf(MemberRecord memory m) internal view returns (uint256) {
        return _isCounted(m.status) ? _chargeIndex - m.chargeMark : m.chargeMark;
    }

    function _balanceOf(MemberRecord memory m) internal view returns (int256) {
        // Both fit in int256: they are at most 104 bits wide.
        return int256(uint256(m.credit)) - int256(_chargedOf(m));
    }

    /// @dev The id the next claim will get: a member exiting now is bound to every claim below it.
    function _nextClaimId() internal view virtual returns (uint256);

    /// @dev Whether every claim with an id below `bound` is resolved and, if approved, paid.
    function _claimsDoneBelow(uint256 bound) internal view virtual returns (bool);
}
