// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IClaimVoting} from "./interfaces/IClaimVoting.sol";
import {Juries} from "./libraries/Juries.sol";
import {RuleArgs} from "./libraries/RuleArgs.sol";
import {ClaimRecord, MemberRecord} from "./types/Records.sol";
import {MemberRegistry} from "./MemberRegistry.sol";

/// @title ClaimVoting
/// @notice Claims, their drawn juries and appeals, and the queue of approved claims. Every claim's
/// timetable has the same length, so claims become final in the order they were submitted;
/// `resolve` records outcomes in that order, and approved claims are paid in it.
abstract contract ClaimVoting is MemberRegistry, IClaimVoting {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    Juries.Court private _court;
    uint64 private _claimCount;
    uint64 private _resolvedCount;
    uint64 private _queueHead;
    uint64 private _queueTail;

    /*//////////////////////////////////////////////////////////////
                                 CLAIMS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClaimVoting
    function submitClaim(
        uint256 amount,
        bytes32 evidenceDigest,
        string calldata uri
    ) external nonReentrant whenNotPaused returns (uint256) {
        return _submitClaim(amount, evidenceDigest, uri, address(0));
    }

    /// @inheritdoc IClaimVoting
    function submitClaimTo(
        uint256 amount,
        bytes32 evidenceDigest,
        string calldata uri,
        address payee
    ) external nonReentrant whenNotPaused returns (uint256) {
        return _submitClaim(amount, evidenceDigest, uri, payee);
    }

    /// @dev Records a claim paying `payee` (zero: the member's beneficiary, else the claimant).
    function _submitClaim(
        uint256 amount,
        bytes32 evidenceDigest,
        string calldata uri,
        address payee
    ) private returns (uint256 claimId) {
        if (payee == address(0)) payee = _beneficiaryOf(msg.sender);
        claimId = ++_claimCount;
        (mapping(address => MemberRecord) storage members, ) = _memberStore();
        Juries.submit(_court, members, _feeBps, _chargeIndex, _jurorCount, claimId, amount, evidenceDigest, uri, payee);
        _collect(msg.sender, RuleArgs.word(RuleArgs.CLAIM_BOND));
    }

    /// @inheritdoc IClaimVoting
    function attachReview(uint256 claimId, bytes32 reviewDigest) external onlyRole(_roles.assessor) {
        Juries.review(_court, claimId, reviewDigest);
    }

    /*//////////////////////////////////////////////////////////////
                                JURIES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClaimVoting
    function drawJury(uint256 claimId) external returns (uint256 seats) {
        (
            mapping(address => MemberRecord) storage members,
            mapping(uint256 => address) storage jurorSet
        ) = _memberStore();
        return Juries.draw(_court, members, jurorSet, _jurorCount, claimId);
    }

    /// @inheritdoc IClaimVoting
    function commitDecision(uint256 claimId, bytes32 commitment) external {
        // The common case runs in the pool; anything else takes the library's full checks.
        if (!Juries.tryCommit(_court, claimId, commitment)) Juries.commit(_court, claimId, commitment);
    }

    /// @inheritdoc IClaimVoting
    function revealDecision(uint256 claimId, bool support, bytes32 salt) external {
        if (!Juries.tryReveal(_court, claimId, support, salt)) Juries.reveal(_court, claimId, support, salt);
    }

    /// @inheritdoc IClaimVoting
    function tally(uint256 claimId) external {
        (mapping(address => MemberRecord) storage members, ) = _memberStore();
        uint256 gain = Juries.tally(_court, members, _payoutStore(), _chargeIndex, _jurorCount, claimId);
        if (gain != 0) _carryGain(gain);
    }

    /// @inheritdoc IClaimVoting
    function appeal(uint256 claimId) external nonReentrant {
        (mapping(address => MemberRecord) storage members, ) = _memberStore();
        if (!Juries.tryAppeal(_court, members, _jurorCount, claimId)) {
            revert UnexpectedClaimState(claimId, state(claimId), ClaimState.Appealable);
        }
        _collect(msg.sender, RuleArgs.word(RuleArgs.APPEAL_BOND));
    }

    /*//////////////////////////////////////////////////////////////
                               RESOLUTION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClaimVoting
    function resolve(uint256 claimId) external returns (uint256 resolved) {
        ClaimState current = state(claimId);
        if (current != ClaimState.Resolvable) revert UnexpectedClaimState(claimId, current, ClaimState.Resolvable);
        uint256 first = uint256(_resolvedCount) + 1;
        (mapping(address => MemberRecord) storage members, ) = _memberStore();
        // Timetables end in id order, so every claim from `first` to `claimId` is resolvable.
        (uint256 gain, uint256 tail) = Juries.resolve(
            _court,
            members,
            _payoutStore(),
            _chargeIndex,
            first,
            claimId,
            _queueTail
        );
        _queueTail = uint64(tail);
        _resolvedCount = uint64(claimId);
        if (gain != 0) _carryGain(gain);
        return claimId + 1 - first;
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClaimVoting
    function state(uint256 claimId) public view returns (ClaimState) {
        if (claimId == 0 || claimId > _claimCount) return ClaimState.None;
        return Juries.state(_court, claimId);
    }

    /// @inheritdoc IClaimVoting
    function claim(uint256 claimId) external view returns (ClaimView memory) {
        return Juries.claimView(_court, claimId);
    }

    /// @inheritdoc IClaimVoting
    function round(uint256 claimId, uint256 roundIndex) external view returns (RoundView memory) {
        return Juries.roundView(_court, claimId, roundIndex);
    }

    /// @inheritdoc IClaimVoting
    function jury(uint256 claimId, uint256 roundIndex) external view returns (address[] memory) {
        return Juries.jury(_court, claimId, roundIndex);
    }

    /// @inheritdoc IClaimVoting
    function jurorVote(uint256 claimId, address account) external view returns (uint256 roundIndex, JurorVote vote) {
        return Juries.jurorVoteOf(_court, claimId, account);
    }

    /// @inheritdoc IClaimVoting
    function claimCount() external view returns (uint256) {
        return _claimCount;
    }

    /// @inheritdoc IClaimVoting
    function nextClaimToResolve() external view returns (uint256) {
        return uint256(_resolvedCount) + 1;
    }

    /// @inheritdoc IClaimVoting
    function openClaimOf(address account) external view returns (uint256) {
        return _court.openClaims[account];
    }

    /// @inheritdoc IClaimVoting
    function payeeOf(uint256 claimId) external view returns (address) {
        ClaimRecord storage c = _court.claims[claimId];
        return c.hasPayee ? _court.payees[claimId] : c.claimant;
    }

    /// @inheritdoc IClaimVoting
    function evidenceUsed(bytes32 evidenceDigest) external view returns (bool) {
        return _court.evidenceUsed[evidenceDigest];
    }

    /// @inheritdoc IClaimVoting
    function paymentQueue() external view returns (uint256 length, uint256 head) {
        length = _queueTail - _queueHead;
        head = length == 0 ? 0 : _court.queue[_queueHead];
    }

    /// @inheritdoc IClaimVoting
    function voteCommitment(
        uint256 claimId,
        uint256 roundIndex,
        address juror,
        bool support,
        bytes32 salt
    ) external pure returns (bytes32) {
        return Juries.voteCommitment(claimId, roundIndex, juror, support, salt);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev A payable claim, as settlement takes it from the queue.
    struct Payable {
        uint256 id;
        address claimant;
        address payee;
        uint256 amount;
        uint256 feeBps;
    }

    /// @dev Takes up to `maxCount` approved claims from the head of the queue, only those whose
    /// timetable ended by `cutoff`, and marks them paid.
    function _takePayable(uint256 maxCount, uint256 cutoff) internal returns (Payable[] memory taken) {
        uint256 head = _queueHead;
        uint256 available = _queueTail - head;
        uint256 count = available < maxCount ? available : maxCount;
        taken = new Payable[](count);
        uint256 timetable = _claimTimetable();
        uint256 n;
        for (; n < count; ++n) {
            uint256 id = _court.queue[head + n];
            ClaimRecord storage c = _court.claims[id];
            if (uint256(c.submittedAt) + timetable > cutoff) break;
            c.status = ClaimState.Paid;
            address claimant = c.claimant;
            address payee = c.hasPayee ? _court.payees[id] : claimant;
            delete _court.openClaims[claimant];
            delete _court.queue[head + n];
            taken[n] = Payable({id: id, claimant: claimant, payee: payee, amount: c.amount, feeBps: c.feeBps});
        }
        // Trim the array to what was taken.
        assembly ("memory-safe") {
            mstore(taken, n)
        }
        _queueHead = uint64(head + n);
    }

    /// @dev Whether the head of the queue can be paid in a period ending at `cutoff`.
    function _hasPayable(uint256 cutoff) internal view returns (bool) {
        uint256 head = _queueHead;
        if (head == _queueTail) return false;
        return uint256(_court.claims[_court.queue[head]].submittedAt) + _claimTimetable() <= cutoff;
    }

    /// @dev The open claims by member, for the recovery library.
    function _openClaimStore() internal view returns (mapping(address => uint256) storage) {
        return _court.openClaims;
    }

    /// @dev The payee a member's claims default to (zero: the member).
    function _beneficiaryOf(address member) internal view virtual returns (address);

    /// @inheritdoc MemberRegistry
    function _nextClaimId() internal view override returns (uint256) {
        return uint256(_claimCount) + 1;
    }

    /// @inheritdoc MemberRegistry
    function _claimsDoneBelow(uint256 bound) internal view override returns (bool) {
        if (uint256(_resolvedCount) + 1 < bound) return false;
        return _queueHead == _queueTail || _court.queue[_queueHead] >= bound;
    }
}
