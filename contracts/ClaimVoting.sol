// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IClaimVoting} from "./interfaces/IClaimVoting.sol";
import {Apportionment} from "./libraries/Apportionment.sol";
import {MemberRegistry} from "./MemberRegistry.sol";

/// @title ClaimVoting
/// @notice Claims, the commit-reveal member vote, and the queue of approved claims. Vote windows
/// have fixed lengths, so claims reach their outcome in the order they were submitted; `resolve`
/// records outcomes in that order, and approved claims are paid in it.
abstract contract ClaimVoting is MemberRegistry, IClaimVoting {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev `status` is Committing while the claim is pending (the clock tells the phase), then
    /// the recorded outcome.
    struct ClaimRecord {
        address claimant;
        uint40 submittedAt;
        ClaimState status;
        uint96 amount;
        uint96 bond;
        uint32 approvals;
        uint32 rejections;
        bytes32 evidenceDigest;
        bytes32 reviewDigest;
    }

    mapping(uint256 claimId => ClaimRecord) private _claims;
    mapping(uint256 claimId => mapping(address voter => bytes32 commitment)) private _voteCommitments;
    mapping(address account => uint256 claimId) private _openClaims;
    mapping(uint256 position => uint256 claimId) private _queue;

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
    ) external nonReentrant whenNotPaused returns (uint256 claimId) {
        _checkClaim(amount, evidenceDigest);
        claimId = ++_claimCount;
        uint96 bond = _rules.claimBond;
        _claims[claimId] = ClaimRecord({
            claimant: msg.sender,
            submittedAt: uint40(block.timestamp),
            status: ClaimState.Committing,
            // Fits: _checkClaim bounds amount by maxClaimAmount, a uint96.
            amount: uint96(amount),
            bond: bond,
            approvals: 0,
            rejections: 0,
            evidenceDigest: evidenceDigest,
            reviewDigest: bytes32(0)
        });
        _openClaims[msg.sender] = claimId;
        (uint256 commitEnd, uint256 revealEnd) = _windows(block.timestamp);
        emit ClaimSubmitted(claimId, msg.sender, amount, bond, evidenceDigest, uri, commitEnd, revealEnd);
        if (bond != 0) _collect(msg.sender, bond);
    }

    /// @dev Who may claim: an active member holding the minimum balance, with no open claim.
    function _checkClaim(uint256 amount, bytes32 evidenceDigest) private view {
        uint256 maxAmount = _rules.maxClaimAmount;
        if (amount == 0 || amount > maxAmount) revert ClaimAmountOutOfRange(amount, maxAmount);
        if (evidenceDigest == bytes32(0)) revert ClaimZeroEvidence();
        MemberRecord memory m = _memberRecord(msg.sender);
        MemberStatus status = _statusOf(m);
        if (status != MemberStatus.Active) revert ClaimantNotActive(msg.sender, status);
        int256 balance = _balanceOf(m);
        uint256 minBalance = _rules.minBalance;
        if (balance < int256(minBalance)) revert ClaimantUnderfunded(msg.sender, balance, minBalance);
        uint256 open = _openClaims[msg.sender];
        if (open != 0) revert ClaimAlreadyOpen(msg.sender, open);
    }

    /// @inheritdoc IClaimVoting
    function attachReview(uint256 claimId, bytes32 reviewDigest) external onlyRole(_roles.assessor) {
        _expectState(claimId, ClaimState.Committing);
        if (reviewDigest == bytes32(0)) revert ClaimZeroReview();
        ClaimRecord storage c = _claims[claimId];
        if (c.reviewDigest != bytes32(0)) revert ClaimAlreadyReviewed(claimId);
        c.reviewDigest = reviewDigest;
        emit ClaimReviewed(claimId, msg.sender, reviewDigest);
    }

    /*//////////////////////////////////////////////////////////////
                                 VOTES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClaimVoting
    function commitVote(uint256 claimId, bytes32 commitment) external {
        _expectState(claimId, ClaimState.Committing);
        if (commitment == bytes32(0)) revert VoteZeroCommitment();
        ClaimRecord storage c = _claims[claimId];
        if (c.claimant == msg.sender) revert VoterIsClaimant(claimId, msg.sender);
        // Only members counted now whose waiting period ended before the claim: joining after a
        // claim gives no vote on it.
        MemberRecord memory m = _memberRecord(msg.sender);
        if (!_isCounted(m.status) || m.eligibleAt >= c.submittedAt) revert VoterNotEligible(claimId, msg.sender);
        _voteCommitments[claimId][msg.sender] = commitment;
        emit VoteCommitted(claimId, msg.sender, commitment);
    }

    /// @inheritdoc IClaimVoting
    function revealVote(uint256 claimId, bool support, bytes32 salt) external {
        _expectState(claimId, ClaimState.Revealing);
        bytes32 stored = _voteCommitments[claimId][msg.sender];
        if (stored == bytes32(0)) revert VoteNotCommitted(claimId, msg.sender);
        // A voter who left the count (lapsed or exited) since committing has no say any more.
        if (!_isCounted(_memberRecord(msg.sender).status)) revert VoterNotEligible(claimId, msg.sender);
        if (stored != voteCommitment(claimId, msg.sender, support, salt)) {
            revert VoteRevealMismatch(claimId, msg.sender);
        }
        // Clearing the commitment is what makes a second reveal impossible.
        delete _voteCommitments[claimId][msg.sender];
        ClaimRecord storage c = _claims[claimId];
        if (support) ++c.approvals;
        else ++c.rejections;
        emit VoteRevealed(claimId, msg.sender, support);
    }

    /*//////////////////////////////////////////////////////////////
                               RESOLUTION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClaimVoting
    function resolve(uint256 claimId) external returns (uint256 resolved) {
        _expectState(claimId, ClaimState.Resolvable);
        uint256 first = uint256(_resolvedCount) + 1;
        // Reveal windows end in id order, so every claim from `first` to `claimId` is resolvable.
        for (uint256 id = first; id <= claimId; ++id) _resolveOne(id);
        _resolvedCount = uint64(claimId);
        return claimId + 1 - first;
    }

    function _resolveOne(uint256 claimId) private {
        ClaimRecord storage c = _claims[claimId];
        uint256 approvals = c.approvals;
        uint256 revealed = approvals + c.rejections;
        address claimant = c.claimant;
        uint256 bond = c.bond;
        ClaimState outcome;
        uint256 refunded;
        uint256 forfeited;
        if (revealed < _rules.quorum) {
            outcome = ClaimState.NoQuorum;
            refunded = bond;
            delete _openClaims[claimant];
        } else if (approvals * Apportionment.BPS >= revealed * _rules.approvalThresholdBps) {
            outcome = ClaimState.Approved;
            refunded = bond;
            _queue[_queueTail++] = claimId;
        } else {
            outcome = ClaimState.Rejected;
            forfeited = bond;
            delete _openClaims[claimant];
            _carryGain(bond);
        }
        c.status = outcome;
        if (refunded != 0) _creditPayout(claimant, refunded);
        emit ClaimResolved(claimId, claimant, outcome, approvals, revealed - approvals, refunded, forfeited);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClaimVoting
    function state(uint256 claimId) public view returns (ClaimState) {
        if (claimId == 0 || claimId > _claimCount) return ClaimState.None;
        ClaimRecord storage c = _claims[claimId];
        ClaimState status = c.status;
        if (status != ClaimState.Committing) return status;
        (uint256 commitEnd, uint256 revealEnd) = _windows(c.submittedAt);
        if (block.timestamp < commitEnd) return ClaimState.Committing;
        if (block.timestamp < revealEnd) return ClaimState.Revealing;
        return ClaimState.Resolvable;
    }

    /// @inheritdoc IClaimVoting
    function claim(uint256 claimId) external view returns (ClaimView memory) {
        ClaimRecord storage c = _claims[claimId];
        // An unknown claim reads as all zeros.
        (uint256 commitEnd, uint256 revealEnd) = c.submittedAt == 0 ? (0, 0) : _windows(c.submittedAt);
        return
            ClaimView({
                claimant: c.claimant,
                state: state(claimId),
                amount: c.amount,
                bond: c.bond,
                evidenceDigest: c.evidenceDigest,
                reviewDigest: c.reviewDigest,
                submittedAt: c.submittedAt,
                commitEndsAt: commitEnd,
                revealEndsAt: revealEnd,
                approvals: c.approvals,
                rejections: c.rejections
            });
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
        return _openClaims[account];
    }

    /// @inheritdoc IClaimVoting
    function voteCommitmentOf(uint256 claimId, address voter) external view returns (bytes32) {
        return _voteCommitments[claimId][voter];
    }

    /// @inheritdoc IClaimVoting
    function paymentQueue() external view returns (uint256 length, uint256 head) {
        length = _queueTail - _queueHead;
        head = length == 0 ? 0 : _queue[_queueHead];
    }

    /// @inheritdoc IClaimVoting
    function voteCommitment(uint256 claimId, address voter, bool support, bytes32 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(claimId, voter, support, salt));
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _expectState(uint256 claimId, ClaimState expected) private view {
        ClaimState current = state(claimId);
        if (current != expected) revert UnexpectedClaimState(claimId, current, expected);
    }

    function _windows(uint256 submittedAt) private view returns (uint256 commitEnd, uint256 revealEnd) {
        commitEnd = submittedAt + _rules.commitWindow;
        revealEnd = commitEnd + _rules.revealWindow;
    }

    /// @dev Takes up to `maxCount` approved claims from the head of the queue, only those whose
    /// vote ended by `cutoff`, and marks them paid. Their ids, claimants and amounts come back.
    function _takePayable(
        uint256 maxCount,
        uint256 cutoff
    ) internal returns (uint256[] memory ids, address[] memory claimants, uint256[] memory amounts) {
        uint256 head = _queueHead;
        uint256 available = _queueTail - head;
        uint256 count = available < maxCount ? available : maxCount;
        ids = new uint256[](count);
        claimants = new address[](count);
        amounts = new uint256[](count);
        uint256 taken;
        for (; taken < count; ++taken) {
            uint256 id = _queue[head + taken];
            ClaimRecord storage c = _claims[id];
            (, uint256 revealEnd) = _windows(c.submittedAt);
            if (revealEnd > cutoff) break;
            c.status = ClaimState.Paid;
            address claimant = c.claimant;
            delete _openClaims[claimant];
            delete _queue[head + taken];
            ids[taken] = id;
            claimants[taken] = claimant;
            amounts[taken] = c.amount;
        }
        // Trim the arrays to what was taken.
        assembly ("memory-safe") {
            mstore(ids, taken)
            mstore(claimants, taken)
            mstore(amounts, taken)
        }
        _queueHead = uint64(head + taken);
    }

    /// @inheritdoc MemberRegistry
    function _nextClaimId() internal view override returns (uint256) {
        return uint256(_claimCount) + 1;
    }

    /// @inheritdoc MemberRegistry
    function _claimsDoneBelow(uint256 bound) internal view override returns (bool) {
        if (uint256(_resolvedCount) + 1 < bound) return false;
        return _queueHead == _queueTail || _queue[_queueHead] >= bound;
    }
}
