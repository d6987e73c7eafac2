// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMemberRegistry} from "./IMemberRegistry.sol";

/// @title IClaimVoting
/// @notice Claims and the member vote that decides them. A claim carries an amount, a digest of
/// off-chain evidence (never the evidence itself) and a bond. Members seasoned before the claim
/// vote by commit-reveal, one member one vote; the claimant never votes on their own claim.
/// @dev Warning: no operator, assessor or verifier can approve or reject a claim; only the tally can.
/// @dev Warning: the assessor can attach a review digest and nothing else.
/// @dev Claims are resolved in the order they were submitted (their vote windows end in that
/// order), and approved claims are paid first in first out.
interface IClaimVoting {
    /// @notice Lifecycle of a claim. `Committing`, `Revealing` and `Resolvable` follow from the
    /// clock while the claim is pending; the others are recorded by `resolve` and settlement.
    enum ClaimState {
        None,
        Committing,
        Revealing,
        Resolvable,
        Approved,
        Rejected,
        NoQuorum,
        Paid
    }

    /// @notice What a block explorer's read tab shows of a claim.
    struct ClaimView {
        address claimant;
        ClaimState state;
        uint256 amount;
        uint256 bond;
        bytes32 evidenceDigest;
        bytes32 reviewDigest;
        uint256 submittedAt;
        uint256 commitEndsAt;
        uint256 revealEndsAt;
        uint256 approvals;
        uint256 rejections;
    }

    // ------------------------------------------------------------------ errors

    /// @notice The claim amount is zero or above the pool's maximum.
    error ClaimAmountOutOfRange(uint256 amount, uint256 maxClaimAmount);
    /// @notice The evidence digest is zero.
    error ClaimZeroEvidence();
    /// @notice The claimant is not an active member (waiting, exiting or gone).
    error ClaimantNotActive(address member, IMemberRegistry.MemberStatus status);
    /// @notice The claimant's balance is below the minimum balance.
    error ClaimantUnderfunded(address member, int256 balance, uint256 minBalance);
    /// @notice The claimant already has a claim that is neither paid nor closed.
    error ClaimAlreadyOpen(address member, uint256 openClaimId);
    /// @notice The claim is not in the state this action needs.
    error UnexpectedClaimState(uint256 claimId, ClaimState current, ClaimState expected);
    /// @notice A review was already attached to this claim.
    error ClaimAlreadyReviewed(uint256 claimId);
    /// @notice The review digest is zero.
    error ClaimZeroReview();
    /// @notice The voter was not a counted member past the waiting period when the claim was submitted,
    /// or has left the count (lapsed or exited) before revealing.
    error VoterNotEligible(uint256 claimId, address voter);
    /// @notice The claimant cannot vote on their own claim.
    error VoterIsClaimant(uint256 claimId, address voter);
    /// @notice The vote commitment is zero.
    error VoteZeroCommitment();
    /// @notice The voter has no unrevealed commitment on this claim.
    error VoteNotCommitted(uint256 claimId, address voter);
    /// @notice The revealed vote and salt do not hash to the voter's commitment.
    error VoteRevealMismatch(uint256 claimId, address voter);

    // ------------------------------------------------------------------ events

    /// @notice A claim was submitted and its bond posted. `uri` may point to encrypted evidence.
    event ClaimSubmitted(
        uint256 indexed claimId,
        address indexed claimant,
        uint256 amount,
        uint256 bond,
        bytes32 evidenceDigest,
        string uri,
        uint256 commitEndsAt,
        uint256 revealEndsAt
    );
    /// @notice The assessor attached a review digest.
    event ClaimReviewed(uint256 indexed claimId, address indexed assessor, bytes32 reviewDigest);
    /// @notice A voter committed (or replaced) a sealed vote.
    event VoteCommitted(uint256 indexed claimId, address indexed voter, bytes32 commitment);
    /// @notice A voter revealed their vote.
    event VoteRevealed(uint256 indexed claimId, address indexed voter, bool support);
    /// @notice The tally decided the claim. An approved claim joins the payment queue; a refunded
    /// bond is credited to the claimant's payout; a forfeited bond lowers the next share.
    event ClaimResolved(
        uint256 indexed claimId,
        address indexed claimant,
        ClaimState indexed outcome,
        uint256 approvals,
        uint256 rejections,
        uint256 bondRefunded,
        uint256 bondForfeited
    );

    // ------------------------------------------------------------------ functions

    /// @notice Submits a claim and posts the bond (the caller must have approved it).
    /// @param amount Requested payout; at most the pool's maximum claim.
    /// @param evidenceDigest Hash of the off-chain evidence.
    /// @param uri Optional encrypted off-chain location of the evidence.
    /// @return claimId The new claim's id (ids start at 1).
    function submitClaim(
        uint256 amount,
        bytes32 evidenceDigest,
        string calldata uri
    ) external returns (uint256 claimId);

    /// @notice Attaches the assessor's review digest during the commit window. Only the assessor.
    function attachReview(uint256 claimId, bytes32 reviewDigest) external;

    /// @notice Commits (or replaces) a sealed vote during the commit window.
    /// @param commitment `keccak256(abi.encode(claimId, voter, support, salt))`.
    function commitVote(uint256 claimId, bytes32 commitment) external;

    /// @notice Reveals a committed vote during the reveal window.
    function revealVote(uint256 claimId, bool support, bytes32 salt) external;

    /// @notice Records the outcome of every pending claim up to and including `claimId`, in order.
    /// Anyone may call once `claimId`'s reveal window has ended.
    /// @return resolved How many claims were resolved.
    function resolve(uint256 claimId) external returns (uint256 resolved);

    /// @notice The state of a claim now.
    function state(uint256 claimId) external view returns (ClaimState);

    /// @notice A claim with its tally and state.
    function claim(uint256 claimId) external view returns (ClaimView memory);

    /// @notice Number of claims ever submitted (the last id).
    function claimCount() external view returns (uint256);

    /// @notice The first claim not yet resolved.
    function nextClaimToResolve() external view returns (uint256);

    /// @notice The claim a member has open (0 if none).
    function openClaimOf(address account) external view returns (uint256);

    /// @notice The vote commitment `voter` holds on `claimId` (zero if none or revealed).
    function voteCommitmentOf(uint256 claimId, address voter) external view returns (bytes32);

    /// @notice Approved claims waiting for settlement, and the first of them (0 if none).
    function paymentQueue() external view returns (uint256 length, uint256 head);

    /// @notice The hash a voter commits: `keccak256(abi.encode(claimId, voter, support, salt))`.
    function voteCommitment(uint256 claimId, address voter, bool support, bytes32 salt) external pure returns (bytes32);
}
