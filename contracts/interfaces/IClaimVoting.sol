// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMemberRegistry} from "./IMemberRegistry.sol";

/// @title IClaimVoting
/// @notice Claims and the drawn juries that decide them. A claim carries an amount, a digest of
/// off-chain evidence (never the evidence itself, and each digest once per pool) and a bond.
///
/// Every claim follows one fixed timetable of `1 + maxAppealRounds` rounds, each `commitWindow +
/// revealWindow + appealWindow` long and starting at `submittedAt + round * roundLength`, whatever
/// happens in them. Round 0 opens at submission. A round's jury of `seats` members is drawn from
/// the juror set (counted members not leaving) with a seed fixed by a block that did not exist when
/// the round opened; only members seasoned before the claim, never the claimant and never a juror
/// of an earlier round of the claim, are seated. Seated jurors commit and reveal; one who does not
/// reveal pays `jurorPenalty` into the carried surplus. Short of quorum (a share of the seats), the
/// next round seats a fresh jury of the same size; after a verdict, the claimant (against a
/// rejection) or any member eligible for the jury (against an approval) may appeal in the appeal
/// window with `appealBond`, and the next round seats `2 * seats + 1`. At the end of the timetable
/// the last verdict is final (`NoQuorum` if no round reached quorum), and `resolve` records it in
/// submission order: the exit notice and the payment queue rely on that order.
/// @dev Warning: no operator, assessor or verifier can approve or reject a claim; only a jury can.
/// @dev Warning: the assessor can attach a review digest and nothing else.
/// @dev Warning: with the default randomness the seed is the hash of a future block. Whoever makes
/// that block (an L1 proposer, or an L2 sequencer, which makes every block) can try block contents
/// until the hash seats the jury it wants; an L1 proposer can also withhold the block and lose its
/// reward. If nobody draws within 256 blocks, the seed ages out and the next `drawJury` re-anchors
/// to a new future block: a claimant who alone watches the pool gets a fresh sample every 256
/// blocks. A keeper that draws in the first block the seed exists leaves no such choice; a pool on
/// an L2 should name a VRF adapter (`IJuryRandomness`).
interface IClaimVoting {
    /// @notice Lifecycle of a claim. Up to `Resolvable`, the state follows from the current round
    /// and the clock; `Approved` (final, waiting for payment), `Rejected`, `NoQuorum` and `Paid` are
    /// recorded by `resolve` and settlement.
    enum ClaimState {
        None,
        Drawing, // the round's jury is not drawn yet
        Committing, // jurors commit sealed votes
        Revealing, // jurors reveal
        Tallying, // the reveal window is over: `tally` closes the round
        Appealable, // a verdict stands and may be appealed
        Decided, // the verdict stands (or no round reached quorum); waiting for the timetable's end
        Resolvable, // the timetable is over: `resolve` records the outcome
        Approved,
        Rejected,
        NoQuorum,
        Paid
    }

    /// @notice A round's verdict.
    enum Verdict {
        None,
        Approve,
        Reject
    }

    /// @notice Where a member stands on a claim's jury.
    enum JurorVote {
        None,
        Seated,
        Committed,
        Approved,
        Rejected
    }

    /// @notice What a block explorer's read tab shows of a claim.
    struct ClaimView {
        address claimant;
        ClaimState state;
        uint256 amount;
        uint256 bond;
        uint256 feeBps; // the fee in force at submission: the one this claim is charged
        bytes32 evidenceDigest;
        bytes32 reviewDigest;
        uint256 submittedAt;
        uint256 round; // the current (last opened) round
        Verdict verdict; // the last quorate round's verdict
        address appellant; // a pending appeal's appellant, or zero
        uint256 resolvesAt; // the end of the timetable
    }

    /// @notice One round of a claim's jury.
    struct RoundView {
        uint256 seedBlock; // the block whose hash seeds the draw (0 before the round opens)
        uint256 setSize; // juror set positions the draw samples
        uint256 seatsTarget;
        uint256 seats; // seats filled by the draw
        uint256 quorum; // revealed votes needed
        uint256 approvals;
        uint256 rejections;
        uint256 reanchors;
        bool drawn;
        bool tallied;
        uint256 opensAt;
        uint256 commitEndsAt;
        uint256 revealEndsAt;
        uint256 appealEndsAt;
    }

    // ------------------------------------------------------------------ errors

    /// @notice The claim amount is zero or above the pool's maximum.
    error ClaimAmountOutOfRange(uint256 amount, uint256 maxClaimAmount);
    /// @notice The evidence digest is zero.
    error ClaimZeroEvidence();
    /// @notice The evidence digest was already used by a claim of this pool.
    error ClaimEvidenceUsed(bytes32 evidenceDigest);
    /// @notice The claimant is not an active member (waiting, leaving or gone).
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
    /// @notice The round's seed does not exist yet (its block is not mined, or the VRF has not answered).
    error JurySeedNotReady(uint256 claimId, uint256 round, uint256 seedBlock);
    /// @notice The caller does not sit on the claim's current jury.
    error JurorNotSeated(uint256 claimId, uint256 round, address juror);
    /// @notice The vote commitment is zero.
    error VoteZeroCommitment();
    /// @notice The juror has no unrevealed commitment on this claim.
    error VoteNotCommitted(uint256 claimId, address juror);
    /// @notice The revealed vote and salt do not hash to the juror's commitment.
    error VoteRevealMismatch(uint256 claimId, address juror);
    /// @notice A claim's payee cannot be the pool itself.
    error ClaimInvalidPayee(address payee);
    /// @notice Only the claimant appeals a rejection, and only a member eligible for the jury an approval.
    error AppealNotAllowed(uint256 claimId, address appellant);

    // ------------------------------------------------------------------ events

    /// @notice A claim was submitted and its bond posted. `uri` may point to encrypted evidence.
    event ClaimSubmitted(
        uint256 indexed claimId,
        address indexed claimant,
        uint256 amount,
        uint256 bond,
        uint256 feeBps,
        bytes32 evidenceDigest,
        string uri,
        uint256 resolvesAt
    );
    /// @notice The claim's payout goes to `payee` (named in the claim, or the member's beneficiary),
    /// not to the claimant; a refunded bond still goes to the claimant. Absent: the claimant is paid.
    event ClaimPayeeNamed(uint256 indexed claimId, address indexed payee);
    /// @notice The assessor attached a review digest.
    event ClaimReviewed(uint256 indexed claimId, address indexed assessor, bytes32 reviewDigest);
    /// @notice A jury round opened: its draw is seeded by `seedBlock` and samples `setSize` positions.
    event JuryRoundOpened(
        uint256 indexed claimId,
        uint256 round,
        uint256 seatsTarget,
        uint256 seedBlock,
        uint256 setSize
    );
    /// @notice The round's seed block aged out of the 256 readable blocks; the draw waits for a new one.
    event JuryReanchored(uint256 indexed claimId, uint256 round, uint256 seedBlock);
    /// @notice A member was seated on a claim's jury.
    event JurorSeated(uint256 indexed claimId, uint256 round, address indexed juror);
    /// @notice The round's jury was drawn.
    event JuryDrawn(uint256 indexed claimId, uint256 round, bytes32 seed, uint256 seats);
    /// @notice A juror committed (or replaced) a sealed vote.
    event VoteCommitted(uint256 indexed claimId, uint256 round, address indexed juror, bytes32 commitment);
    /// @notice A juror revealed their vote.
    event VoteRevealed(uint256 indexed claimId, uint256 round, address indexed juror, bool support);
    /// @notice A seated juror did not reveal and paid `amount` (at most the penalty, at most their balance).
    event JurorPenalized(uint256 indexed claimId, uint256 round, address indexed juror, uint256 amount);
    /// @notice A round closed. `verdict` is None when fewer than `quorum` jurors revealed.
    event RoundTallied(
        uint256 indexed claimId,
        uint256 round,
        uint256 approvals,
        uint256 rejections,
        uint256 quorum,
        Verdict verdict
    );
    /// @notice An appeal opened round `round` and posted `bond`.
    event AppealFiled(uint256 indexed claimId, uint256 round, address indexed appellant, uint256 bond);
    /// @notice An appeal was decided: an overturned verdict refunds the bond to the appellant's
    /// payout, a confirmed one (or none reached) sends it to the carried surplus.
    event AppealDecided(
        uint256 indexed claimId,
        address indexed appellant,
        bool overturned,
        uint256 refunded,
        uint256 forfeited
    );
    /// @notice The timetable ended and the outcome is final. An approved claim joins the payment
    /// queue; a refunded bond is credited to the claimant's payout; a forfeited bond lowers the next share.
    event ClaimResolved(
        uint256 indexed claimId,
        address indexed claimant,
        ClaimState indexed outcome,
        uint256 bondRefunded,
        uint256 bondForfeited
    );

    // ------------------------------------------------------------------ functions

    /// @notice Submits a claim, posts the bond (the caller must have approved it) and opens round 0.
    /// The payout goes to the member's beneficiary if they named one, else to the claimant.
    /// @param amount Requested payout; at most the pool's maximum claim.
    /// @param evidenceDigest Hash of the off-chain evidence; each digest once per pool.
    /// @param uri Optional encrypted off-chain location of the evidence.
    /// @return claimId The new claim's id (ids start at 1).
    function submitClaim(
        uint256 amount,
        bytes32 evidenceDigest,
        string calldata uri
    ) external returns (uint256 claimId);

    /// @notice Submits a claim like `submitClaim`, whose payout goes to `payee` (a hospital, a family
    /// member): only the payee can withdraw it, and it gains no other power. Zero: the member's
    /// beneficiary, else the claimant. The bond stays the claimant's.
    function submitClaimTo(
        uint256 amount,
        bytes32 evidenceDigest,
        string calldata uri,
        address payee
    ) external returns (uint256 claimId);

    /// @notice Attaches the assessor's review digest while the claim is pending. Only the assessor.
    function attachReview(uint256 claimId, bytes32 reviewDigest) external;

    /// @notice Draws the current round's jury once its seed exists, or re-anchors an aged-out seed
    /// (and returns 0). Anyone may call, until the round's commit window ends.
    /// @return seats How many seats were filled.
    function drawJury(uint256 claimId) external returns (uint256 seats);

    /// @notice Commits (or replaces) a sealed vote, for a seated juror, until the round's commit window ends.
    /// @dev Named commitDecision, not commitVote, for its selector: the IR pipeline dispatches over the
    /// pool's selectors linearly, in ascending order, at about 22 gas a comparison. commitVote(uint256,bytes32)
    /// (0x9da69180) was the 48th of 77 (about 1,030 gas to reach); commitDecision (0x2418f0c5) is among the first.
    /// @param commitment `voteCommitment(claimId, round, juror, support, salt)`.
    function commitDecision(uint256 claimId, bytes32 commitment) external;

    /// @notice Reveals a committed vote during the round's reveal window.
    /// @dev Named revealDecision, not revealVote, for its selector (see commitDecision):
    /// revealVote(uint256,bool,bytes32) (0xfacc092f) was the 77th of 77 (about 1,670 gas to reach);
    /// revealDecision (0x07918274) is among the first.
    function revealDecision(uint256 claimId, bool support, bytes32 salt) external;

    /// @notice Closes the current round once its reveal window is over: penalises the jurors who did
    /// not reveal, records the verdict, and opens a fresh jury's round when short of quorum and a
    /// round is left. Anyone may call.
    function tally(uint256 claimId) external;

    /// @notice Appeals the current verdict during the appeal window, posting `appealBond`: the next
    /// round seats `2 * seats + 1` fresh jurors.
    function appeal(uint256 claimId) external;

    /// @notice Records the final outcome of every pending claim up to and including `claimId`, in
    /// order (tallying a last round nobody closed). Anyone may call once `claimId`'s timetable is over.
    /// @return resolved How many claims were resolved.
    function resolve(uint256 claimId) external returns (uint256 resolved);

    /// @notice The state of a claim now.
    function state(uint256 claimId) external view returns (ClaimState);

    /// @notice A claim.
    function claim(uint256 claimId) external view returns (ClaimView memory);

    /// @notice One round of a claim.
    function round(uint256 claimId, uint256 roundIndex) external view returns (RoundView memory);

    /// @notice The jurors seated in one round of a claim.
    function jury(uint256 claimId, uint256 roundIndex) external view returns (address[] memory jurors);

    /// @notice Where `account` stands on a claim's jury: the round it sits in, and its vote.
    function jurorVote(uint256 claimId, address account) external view returns (uint256 roundIndex, JurorVote vote);

    /// @notice Number of claims ever submitted (the last id).
    function claimCount() external view returns (uint256);

    /// @notice The first claim not yet resolved.
    function nextClaimToResolve() external view returns (uint256);

    /// @notice The claim a member has open (0 if none).
    function openClaimOf(address account) external view returns (uint256);

    /// @notice Who is paid an approved claim's payout: its payee, else its claimant.
    function payeeOf(uint256 claimId) external view returns (address);

    /// @notice Whether an evidence digest was used by a claim of this pool.
    function evidenceUsed(bytes32 evidenceDigest) external view returns (bool);

    /// @notice Approved claims waiting for settlement, and the first of them (0 if none).
    function paymentQueue() external view returns (uint256 length, uint256 head);

    /// @notice The hash a juror commits: `keccak256(abi.encode(claimId, round, juror, support, salt))`.
    function voteCommitment(
        uint256 claimId,
        uint256 roundIndex,
        address juror,
        bool support,
        bytes32 salt
    ) external pure returns (bytes32);
}
