// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IJuryRandomness} from "../interfaces/IJuryRandomness.sol";
import {IClaimVoting} from "../interfaces/IClaimVoting.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {ClaimRecord, MemberRecord, RoundRecord} from "../types/Records.sol";
import {RecoveryTrail} from "./RecoveryTrail.sol";
import {RuleArgs} from "./RuleArgs.sol";

/// @title Juries
/// @notice Drawing and closing the jury rounds of a pool's claims. Its external functions run in the
/// pool's storage (a linked library, called by DELEGATECALL), which keeps the pool under EIP-170's
/// size limit without a second contract to trust: the pool passes its own records in.
/// @dev A juror's vote on a claim is one word: bits 0-7 the round they sit in plus one, bits 8-15
/// their `JurorVote`, bits 16-255 the top 240 bits of their commitment. A juror sits in at most one
/// round of a claim, so the word also excludes earlier jurors from later draws.
library Juries {
    /// @dev The seed block of a round is this many blocks after the one that opens it.
    uint256 internal constant SEED_DELAY = 1;
    uint256 private constant _BPS = 10_000;
    uint256 private constant _ROUND_MASK = 0xff;
    uint256 private constant _COMMITMENT_MASK = ~uint256(0xffff);

    /// @dev Every claim's jury state, one storage struct so that the library reaches it through one pointer.
    struct Court {
        mapping(uint256 claimId => ClaimRecord) claims;
        mapping(uint256 claimId => mapping(uint256 round => RoundRecord)) rounds;
        mapping(uint256 claimId => mapping(address juror => uint256 word)) votes;
        mapping(uint256 claimId => mapping(uint256 seat => address juror)) seats;
        mapping(uint256 claimId => address appellant) appellants;
        mapping(address account => uint256 claimId) openClaims;
        mapping(bytes32 evidenceDigest => bool) evidenceUsed;
        mapping(uint256 position => uint256 claimId) queue; // approved claims, in the order they became final
        mapping(uint256 claimId => address payee) payees; // set only when the payout goes to someone else
    }

    /// @dev The rules the library needs, read once per call from the clone's code.
    struct Params {
        IJuryRandomness randomness;
        uint256 commitWindow;
        uint256 revealWindow;
        uint256 roundLength; // commit + reveal + appeal window
        uint256 rounds; // 1 + maxAppealRounds
        uint256 quorumBps;
        uint256 thresholdBps;
        uint256 penalty;
        uint256 appealBond;
        uint256 claimBond;
        uint256 jurySize;
        uint256 maxClaimAmount;
        uint256 minBalance;
    }

    /// @dev What closing a round moved: gains for the carried surplus, and an appeal bond to refund.
    struct Outcome {
        uint256 gain;
        address refundTo;
        uint256 refund;
    }

    /*//////////////////////////////////////////////////////////////
                                 SUBMIT
    //////////////////////////////////////////////////////////////*/

    /// @notice Records claim `claimId` of the caller, paying `payee` (zero or the caller: the
    /// claimant), and opens its round 0. Who may claim: an active member holding the minimum
    /// balance, with no open claim, with evidence no claim of this pool used before. The pool
    /// collects the bond.
    function submit(
        Court storage court,
        mapping(address => MemberRecord) storage members,
        uint256 feeBps,
        uint256 chargeIndex,
        uint256 jurorCount,
        uint256 claimId,
        uint256 amount,
        bytes32 evidenceDigest,
        string calldata uri,
        address payee
    ) external {
        Params memory p = _params();
        _checkClaim(court, members[msg.sender], p, chargeIndex, amount, evidenceDigest);
        if (payee == address(this)) revert IClaimVoting.ClaimInvalidPayee(payee);
        bool hasPayee = payee != address(0) && payee != msg.sender;

        // Fits: validated by the factory.
        uint96 bond = uint96(p.claimBond);
        court.claims[claimId] = ClaimRecord({
            claimant: msg.sender,
            submittedAt: uint40(block.timestamp),
            round: 0,
            status: IClaimVoting.ClaimState.Drawing,
            verdict: IClaimVoting.Verdict.None,
            feeBps: uint16(feeBps), // Fits: at most MAX_FEE_BPS.
            hasPayee: hasPayee,
            // Fits: bounded by maxClaimAmount, a uint96.
            amount: uint96(amount),
            bond: bond,
            evidenceDigest: evidenceDigest,
            reviewDigest: bytes32(0)
        });
        court.openClaims[msg.sender] = claimId;
        court.evidenceUsed[evidenceDigest] = true;
        emit IClaimVoting.ClaimSubmitted(
            claimId,
            msg.sender,
            amount,
            bond,
            feeBps,
            evidenceDigest,
            uri,
            block.timestamp + p.rounds * p.roundLength
        );
        if (hasPayee) {
            court.payees[claimId] = payee;
            emit IClaimVoting.ClaimPayeeNamed(claimId, payee);
        }
        openRound(court, claimId, 0, p.jurySize, jurorCount, p.randomness);
    }

    /// @dev Who may claim: an active member holding the minimum balance, with no open claim, with
    /// evidence no claim of this pool used before.
    function _checkClaim(
        Court storage court,
        MemberRecord storage m,
        Params memory p,
        uint256 chargeIndex,
        uint256 amount,
        bytes32 evidenceDigest
    ) private view {
        uint256 maxAmount = p.maxClaimAmount;
        if (amount == 0 || amount > maxAmount) revert IClaimVoting.ClaimAmountOutOfRange(amount, maxAmount);
        if (evidenceDigest == bytes32(0)) revert IClaimVoting.ClaimZeroEvidence();
        if (court.evidenceUsed[evidenceDigest]) revert IClaimVoting.ClaimEvidenceUsed(evidenceDigest);
        IMemberRegistry.MemberStatus status = m.status;
        if (status == IMemberRegistry.MemberStatus.Waiting && block.timestamp >= m.eligibleAt) {
            status = IMemberRegistry.MemberStatus.Active;
        }
        if (status != IMemberRegistry.MemberStatus.Active) revert IClaimVoting.ClaimantNotActive(msg.sender, status);
        // An active member is counted: charged since the mark. Both fit in int256 (88 bits).
        int256 balance = int256(uint256(m.credit)) - int256(chargeIndex - m.chargeMark);
        uint256 minBalance = p.minBalance;
        if (balance < int256(minBalance)) revert IClaimVoting.ClaimantUnderfunded(msg.sender, balance, minBalance);
        uint256 open = court.openClaims[msg.sender];
        if (open != 0) revert IClaimVoting.ClaimAlreadyOpen(msg.sender, open);
    }

    /*//////////////////////////////////////////////////////////////
                                 DRAW
    //////////////////////////////////////////////////////////////*/

    /// @notice Draws the current round's jury from the juror set, or re-anchors an aged-out seed.
    /// Positions are `hash(seed, claim, round, nonce) mod setSize`; a position past the set's
    /// current end, a hole, the claimant, a member not seasoned before the claim, or one who already
    /// sat on it is skipped, for at most `4 * seats + 16` tries, so the gas never depends on the pool's size.
    function draw(
        Court storage court,
        mapping(address => MemberRecord) storage members,
        mapping(uint256 => address) storage jurorSet,
        uint256 jurorCount,
        uint256 claimId
    ) external returns (uint256 filled) {
        Params memory p = _params();
        ClaimRecord storage c = court.claims[claimId];
        uint256 r = c.round;
        RoundRecord storage round = court.rounds[claimId][r];
        IClaimVoting.ClaimState current = stateOf(court, claimId, p);
        if (current != IClaimVoting.ClaimState.Drawing) {
            revert IClaimVoting.UnexpectedClaimState(claimId, current, IClaimVoting.ClaimState.Drawing);
        }
        bytes32 seed = _seed(round, claimId, r, p.randomness);
        if (seed == bytes32(0)) return 0;

        uint256 setSize = round.setSize;
        uint256 target = round.target;
        uint256 first = round.firstSeat;
        address claimant = c.claimant;
        uint256 submittedAt = c.submittedAt;
        bytes32 base = keccak256(abi.encode(seed, address(this), claimId, r));
        uint256 tries = setSize == 0 ? 0 : 4 * target + 16;
        for (uint256 nonce; nonce < tries && filled < target; ++nonce) {
            uint256 position = uint256(keccak256(abi.encode(base, nonce))) % setSize;
            if (position >= jurorCount) continue;
            address juror = jurorSet[position];
            MemberRecord storage m = members[juror];
            uint256 at = m.position;
            // A hole (its leaver is no longer Waiting, or holds another position since returning), a recovered
            // membership whose earlier wallet sits on the claim, the claimant, or a member not seasoned before it.
            if (
                m.status != IMemberRegistry.MemberStatus.Waiting ||
                (at != position &&
                    (at != position | RecoveryTrail.MOVED || RecoveryTrail.satBefore(court.votes[claimId], juror))) ||
                juror == claimant ||
                m.eligibleAt >= submittedAt
            ) continue;
            if (court.votes[claimId][juror] != 0) continue;
            court.votes[claimId][juror] = (uint256(IClaimVoting.JurorVote.Seated) << 8) | (r + 1);
            court.seats[claimId][first + filled] = juror;
            emit IClaimVoting.JurorSeated(claimId, r, juror);
            ++filled;
        }
        // Fits: at most `target`, a uint16.
        round.seats = uint16(filled);
        round.drawn = true;
        emit IClaimVoting.JuryDrawn(claimId, r, seed, filled);
    }

    /// @dev The round's seed, or zero after re-anchoring a seed block that aged out.
    function _seed(
        RoundRecord storage round,
        uint256 claimId,
        uint256 r,
        IJuryRandomness randomness
    ) private returns (bytes32 seed) {
        uint256 seedBlock = round.seedBlock;
        if (address(randomness) != address(0)) {
            seed = randomness.seedOf(_key(claimId, r));
            if (seed == bytes32(0)) revert IClaimVoting.JurySeedNotReady(claimId, r, seedBlock);
            return seed;
        }
        if (block.number <= seedBlock) revert IClaimVoting.JurySeedNotReady(claimId, r, seedBlock);
        seed = blockhash(seedBlock);
        if (seed == bytes32(0)) {
            seedBlock = block.number + SEED_DELAY;
            // Fits: a block number.
            round.seedBlock = uint64(seedBlock);
            ++round.reanchors;
            emit IClaimVoting.JuryReanchored(claimId, r, seedBlock);
        }
    }

    /// @notice Opens round `r` of a claim: a draw of `target` seats, seeded by a block after this one.
    function openRound(
        Court storage court,
        uint256 claimId,
        uint256 r,
        uint256 target,
        uint256 jurorCount,
        IJuryRandomness randomness
    ) internal {
        uint256 firstSeat;
        if (r != 0) {
            RoundRecord storage last = court.rounds[claimId][r - 1];
            firstSeat = uint256(last.firstSeat) + last.target;
        }
        uint256 seedBlock = block.number + SEED_DELAY;
        // Fits: seats are bounded by the pool's largest jury, set sizes by the member count.
        // The whole record in one SSTORE, its other fields zero (seats, approvals, rejections,
        // reanchors, drawn, tallied): a struct literal is written field by field, a warm read and
        // write per field (about 1,700 gas more). The offsets are RoundRecord's packing, in order.
        uint256 packed =
            uint256(uint64(seedBlock)) |
                (uint256(uint32(jurorCount)) << 64) |
                (uint256(uint16(firstSeat)) << 96) |
                (uint256(uint16(target)) << 112);
        RoundRecord storage opened = court.rounds[claimId][r];
        assembly ("memory-safe") {
            sstore(opened.slot, packed)
        }
        // Fits: at most 1 + maxAppealRounds.
        court.claims[claimId].round = uint8(r);
        emit IClaimVoting.JuryRoundOpened(claimId, r, target, seedBlock, jurorCount);
        if (address(randomness) != address(0)) randomness.requestSeed(_key(claimId, r));
    }

    function _key(uint256 claimId, uint256 r) private pure returns (uint256) {
        return (claimId << 8) | r;
    }

    /*//////////////////////////////////////////////////////////////
                                 TALLY
    //////////////////////////////////////////////////////////////*/

    /// @notice Closes the current round once its reveal window is over (see `_close`); returns the
    /// gains for the carried surplus.
    function tally(
        Court storage court,
        mapping(address => MemberRecord) storage members,
        mapping(address => uint256) storage payouts,
        uint256 chargeIndex,
        uint256 jurorCount,
        uint256 claimId
    ) external returns (uint256 gain) {
        Params memory p = _params();
        IClaimVoting.ClaimState current = stateOf(court, claimId, p);
        if (current != IClaimVoting.ClaimState.Tallying) {
            revert IClaimVoting.UnexpectedClaimState(claimId, current, IClaimVoting.ClaimState.Tallying);
        }
        return _close(court, members, payouts, chargeIndex, jurorCount, claimId, p, false);
    }

    /// @dev Closes the current round: every seated juror who did not reveal pays the penalty (at
    /// most their balance), the verdict is recorded (none short of quorum), a pending appeal is
    /// decided against it (an overturning refund goes to the appellant's payout), and short of
    /// quorum a fresh jury's round opens if one is left and `last` is false.
    function _close(
        Court storage court,
        mapping(address => MemberRecord) storage members,
        mapping(address => uint256) storage payouts,
        uint256 chargeIndex,
        uint256 jurorCount,
        uint256 claimId,
        Params memory p,
        bool last
    ) private returns (uint256 gain) {
        ClaimRecord storage c = court.claims[claimId];
        uint256 r = c.round;
        RoundRecord storage round = court.rounds[claimId][r];
        round.tallied = true;
        gain = _penalize(court, members, chargeIndex, claimId, r, round, p.penalty);

        uint256 approvals = round.approvals;
        uint256 revealed = approvals + round.rejections;
        uint256 quorum = quorumOf(round.target, p.quorumBps);
        IClaimVoting.Verdict verdict;
        if (revealed >= quorum) {
            verdict =
                approvals * _BPS >= revealed * p.thresholdBps
                    ? IClaimVoting.Verdict.Approve
                    : IClaimVoting.Verdict.Reject;
        }
        emit IClaimVoting.RoundTallied(claimId, r, approvals, revealed - approvals, quorum, verdict);

        if (verdict != IClaimVoting.Verdict.None) {
            address appellant = court.appellants[claimId];
            if (appellant != address(0)) {
                delete court.appellants[claimId];
                bool overturned = verdict != c.verdict;
                if (overturned) payouts[appellant] += p.appealBond;
                else gain += p.appealBond;
                emit IClaimVoting.AppealDecided(
                    claimId,
                    appellant,
                    overturned,
                    overturned ? p.appealBond : 0,
                    overturned ? 0 : p.appealBond
                );
            }
            c.verdict = verdict;
        } else if (!last && r + 1 < p.rounds) {
            openRound(court, claimId, r + 1, round.target, jurorCount, p.randomness);
        }
    }

    /*//////////////////////////////////////////////////////////////
                               RESOLUTION
    //////////////////////////////////////////////////////////////*/

    /// @notice Records the final outcome of claims `first..last`, whose timetables are over, in
    /// order: closes a last round nobody tallied, refunds an undecided appeal's bond, queues an
    /// approved claim (refunding its bond), forfeits a rejected claim's bond, and refunds the bond
    /// of a claim no jury decided (whose evidence may then be used again).
    /// @return gain Forfeited bonds and penalties, for the carried surplus.
    /// @return queueTail The payment queue's new end.
    function resolve(
        Court storage court,
        mapping(address => MemberRecord) storage members,
        mapping(address => uint256) storage payouts,
        uint256 chargeIndex,
        uint256 first,
        uint256 last,
        uint256 queueTail
    ) external returns (uint256 gain, uint256) {
        Params memory p = _params();
        for (uint256 id = first; id <= last; ++id) {
            ClaimRecord storage c = court.claims[id];
            if (!court.rounds[id][c.round].tallied)
                gain += _close(court, members, payouts, chargeIndex, 0, id, p, true);
            address appellant = court.appellants[id];
            if (appellant != address(0)) {
                // The appeal round never reached a verdict: nobody decided against the appellant.
                delete court.appellants[id];
                payouts[appellant] += p.appealBond;
                emit IClaimVoting.AppealDecided(id, appellant, false, p.appealBond, 0);
            }
            address claimant = c.claimant;
            uint256 bond = c.bond;
            IClaimVoting.Verdict verdict = c.verdict;
            IClaimVoting.ClaimState outcome;
            uint256 forfeited;
            if (verdict == IClaimVoting.Verdict.Approve) {
                outcome = IClaimVoting.ClaimState.Approved;
                court.queue[queueTail++] = id;
            } else {
                delete court.openClaims[claimant];
                if (verdict == IClaimVoting.Verdict.Reject) {
                    outcome = IClaimVoting.ClaimState.Rejected;
                    forfeited = bond;
                    gain += bond;
                } else {
                    // No jury reached quorum: the claimant may try again with the same evidence.
                    outcome = IClaimVoting.ClaimState.NoQuorum;
                    delete court.evidenceUsed[c.evidenceDigest];
                }
            }
            c.status = outcome;
            if (forfeited == 0) payouts[claimant] += bond;
            emit IClaimVoting.ClaimResolved(id, claimant, outcome, bond - forfeited, forfeited);
        }
        return (gain, queueTail);
    }

    function _penalize(
        Court storage court,
        mapping(address => MemberRecord) storage members,
        uint256 chargeIndex,
        uint256 claimId,
        uint256 r,
        RoundRecord storage round,
        uint256 penalty
    ) private returns (uint256 gain) {
        uint256 first = round.firstSeat;
        uint256 end = first + round.seats;
        for (uint256 seat = first; seat < end; ++seat) {
            address juror = court.seats[claimId][seat];
            uint256 vote = (court.votes[claimId][juror] >> 8) & _ROUND_MASK;
            if (vote == uint256(IClaimVoting.JurorVote.Approved) || vote == uint256(IClaimVoting.JurorVote.Rejected)) {
                continue;
            }
            MemberRecord storage m = members[juror];
            // A seat drawn before its member's recovery: the penalty follows the membership.
            if (m.status == IMemberRegistry.MemberStatus.None) m = members[RecoveryTrail.holder(members, juror)];
            uint256 taken = _takePenalty(m, chargeIndex, penalty);
            gain += taken;
            emit IClaimVoting.JurorPenalized(claimId, r, juror, taken);
        }
    }

    /// @dev Takes up to `penalty` from a juror's balance, never below zero.
    function _takePenalty(
        MemberRecord storage m,
        uint256 chargeIndex,
        uint256 penalty
    ) private returns (uint256 taken) {
        IMemberRegistry.MemberStatus status = m.status;
        bool counted =
            status == IMemberRegistry.MemberStatus.Waiting ||
                status == IMemberRegistry.MemberStatus.Exiting ||
                status == IMemberRegistry.MemberStatus.Lapsing;
        uint256 charged = counted ? chargeIndex - m.chargeMark : m.chargeMark;
        uint256 credit = m.credit;
        if (credit <= charged) return 0;
        // Cannot underflow: checked just above.
        unchecked {
            uint256 balance = credit - charged;
            taken = balance < penalty ? balance : penalty;
            // Fits: taken <= credit, a uint88.
            m.credit = uint88(credit - taken);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VOTES
    //////////////////////////////////////////////////////////////*/

    /// @notice Commits (or replaces) the caller's sealed vote in the current round.
    function commit(Court storage court, uint256 claimId, bytes32 commitment) external {
        Params memory p = _params();
        IClaimVoting.ClaimState current = stateOf(court, claimId, p);
        if (current != IClaimVoting.ClaimState.Committing) {
            revert IClaimVoting.UnexpectedClaimState(claimId, current, IClaimVoting.ClaimState.Committing);
        }
        if (commitment == bytes32(0)) revert IClaimVoting.VoteZeroCommitment();
        uint256 r = court.claims[claimId].round;
        uint256 word = court.votes[claimId][msg.sender];
        if (!_seated(word, r)) revert IClaimVoting.JurorNotSeated(claimId, r, msg.sender);
        _commit(court, claimId, r, commitment);
    }

    /// @notice `commit`'s common case, compiled into the pool (no library call): a seated juror
    /// inside the commit window with a non-zero commitment, recognized from the claim and the
    /// juror's vote word alone (a seat in round r means r was drawn, and a round cannot be tallied
    /// before its commit window ends), so the round's record is not read. Returns false, having
    /// changed nothing, in any other case: the caller then calls `commit`, which checks the state.
    function tryCommit(Court storage court, uint256 claimId, bytes32 commitment) internal returns (bool) {
        ClaimRecord storage c = court.claims[claimId];
        uint256 r = c.round;
        if (commitment == bytes32(0) || !_seated(court.votes[claimId][msg.sender], r) || !_inWindow(c, r, true))
            return false;
        _commit(court, claimId, r, commitment);
        return true;
    }

    function _seated(uint256 word, uint256 r) private pure returns (bool) {
        uint256 vote = (word >> 8) & _ROUND_MASK;
        return
            (word & _ROUND_MASK) == r + 1 &&
            (vote == uint256(IClaimVoting.JurorVote.Seated) || vote == uint256(IClaimVoting.JurorVote.Committed));
    }

    function _commit(Court storage court, uint256 claimId, uint256 r, bytes32 commitment) private {
        court.votes[claimId][msg.sender] =
            (uint256(commitment) & _COMMITMENT_MASK) |
            (uint256(IClaimVoting.JurorVote.Committed) << 8) |
            (r + 1);
        emit IClaimVoting.VoteCommitted(claimId, r, msg.sender, commitment);
    }

    /// @notice Reveals the caller's vote in the current round.
    function reveal(Court storage court, uint256 claimId, bool support, bytes32 salt) external {
        Params memory p = _params();
        IClaimVoting.ClaimState current = stateOf(court, claimId, p);
        if (current != IClaimVoting.ClaimState.Revealing) {
            revert IClaimVoting.UnexpectedClaimState(claimId, current, IClaimVoting.ClaimState.Revealing);
        }
        uint256 r = court.claims[claimId].round;
        uint256 word = court.votes[claimId][msg.sender];
        if ((word & _ROUND_MASK) != r + 1) revert IClaimVoting.JurorNotSeated(claimId, r, msg.sender);
        if ((word >> 8) & _ROUND_MASK != uint256(IClaimVoting.JurorVote.Committed)) {
            revert IClaimVoting.VoteNotCommitted(claimId, msg.sender);
        }
        if (!_matches(word, claimId, r, support, salt)) revert IClaimVoting.VoteRevealMismatch(claimId, msg.sender);
        _reveal(court, claimId, r, word, support);
    }

    /// @notice `reveal`'s common case, compiled into the pool (no library call): a committed juror
    /// inside the reveal window whose vote matches the commitment (see `tryCommit`). Returns false,
    /// having changed nothing, in any other case: the caller then calls `reveal`.
    function tryReveal(Court storage court, uint256 claimId, bool support, bytes32 salt) internal returns (bool) {
        ClaimRecord storage c = court.claims[claimId];
        uint256 r = c.round;
        uint256 word = court.votes[claimId][msg.sender];
        if (
            (word & _ROUND_MASK) != r + 1 ||
            (word >> 8) & _ROUND_MASK != uint256(IClaimVoting.JurorVote.Committed) ||
            !_matches(word, claimId, r, support, salt) ||
            !_inWindow(c, r, false)
        ) return false;
        _reveal(court, claimId, r, word, support);
        return true;
    }

    function _matches(
        uint256 word,
        uint256 claimId,
        uint256 r,
        bool support,
        bytes32 salt
    ) private view returns (bool) {
        bytes32 expected = voteCommitment(claimId, r, msg.sender, support, salt);
        return (uint256(expected) ^ word) & _COMMITMENT_MASK == 0;
    }

    function _reveal(Court storage court, uint256 claimId, uint256 r, uint256 word, bool support) private {
        IClaimVoting.JurorVote vote = support ? IClaimVoting.JurorVote.Approved : IClaimVoting.JurorVote.Rejected;
        court.votes[claimId][msg.sender] = (word & _COMMITMENT_MASK) | (uint256(vote) << 8) | (r + 1);
        RoundRecord storage round = court.rounds[claimId][r];
        if (support) ++round.approvals;
        else ++round.rejections;
        emit IClaimVoting.VoteRevealed(claimId, r, msg.sender, support);
    }

    /// @dev Whether a pending claim's current round `r` is in its commit window (`commitWindow`) or
    /// in its reveal window, from the claim's record and the rules alone.
    function _inWindow(ClaimRecord storage c, uint256 r, bool commitWindow) private view returns (bool) {
        if (c.status != IClaimVoting.ClaimState.Drawing) return false;
        uint256 commitEnd = uint256(c.submittedAt) + RuleArgs.word(RuleArgs.COMMIT_WINDOW);
        if (r != 0) commitEnd += r * RuleArgs.roundLength();
        if (commitWindow) return block.timestamp < commitEnd;
        return block.timestamp >= commitEnd && block.timestamp < commitEnd + RuleArgs.word(RuleArgs.REVEAL_WINDOW);
    }

    /*//////////////////////////////////////////////////////////////
                                REVIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Attaches the assessor's review digest to a pending claim (the pool checks the caller).
    function review(Court storage court, uint256 claimId, bytes32 reviewDigest) external {
        IClaimVoting.ClaimState current = stateOf(court, claimId, _params());
        if (current == IClaimVoting.ClaimState.None || current >= IClaimVoting.ClaimState.Resolvable) {
            revert IClaimVoting.UnexpectedClaimState(claimId, current, IClaimVoting.ClaimState.Committing);
        }
        if (reviewDigest == bytes32(0)) revert IClaimVoting.ClaimZeroReview();
        ClaimRecord storage c = court.claims[claimId];
        if (c.reviewDigest != bytes32(0)) revert IClaimVoting.ClaimAlreadyReviewed(claimId);
        c.reviewDigest = reviewDigest;
        emit IClaimVoting.ClaimReviewed(claimId, msg.sender, reviewDigest);
    }

    /*//////////////////////////////////////////////////////////////
                                APPEALS
    //////////////////////////////////////////////////////////////*/

    /// @notice Files the caller's appeal against the current verdict and opens the next round with
    /// `2 * seats + 1` seats; the pool collects the bond. Compiled into the pool (no library call:
    /// about 3,900 gas less than an external library function). The claim is appealable (`stateOf`'s
    /// Appealable) when its round is tallied with a verdict, a round is left, and the round's length
    /// has not run out (it ends before the claim's timetable does). Returns false, having changed
    /// nothing, when it is not: the caller then reverts with the claim's state.
    function tryAppeal(
        Court storage court,
        mapping(address => MemberRecord) storage members,
        uint256 jurorCount,
        uint256 claimId
    ) internal returns (bool) {
        ClaimRecord storage c = court.claims[claimId];
        if (c.status != IClaimVoting.ClaimState.Drawing || c.verdict == IClaimVoting.Verdict.None) return false;
        uint256 r = c.round;
        if (r + 1 > RuleArgs.word(RuleArgs.MAX_APPEAL_ROUNDS)) return false;
        if (block.timestamp >= uint256(c.submittedAt) + (r + 1) * RuleArgs.roundLength()) return false;
        RoundRecord storage round = court.rounds[claimId][r];
        if (!round.tallied) return false;
        _checkAppellant(c, members, claimId);
        court.appellants[claimId] = msg.sender;
        emit IClaimVoting.AppealFiled(claimId, r + 1, msg.sender, RuleArgs.word(RuleArgs.APPEAL_BOND));
        openRound(court, claimId, r + 1, 2 * uint256(round.target) + 1, jurorCount, RuleArgs.randomness());
        return true;
    }

    /// @dev Against a rejection only the claimant may appeal; against an approval, any member who
    /// could sit on this claim's jury.
    function _checkAppellant(
        ClaimRecord storage c,
        mapping(address => MemberRecord) storage members,
        uint256 claimId
    ) private view {
        address claimant = c.claimant;
        if (c.verdict == IClaimVoting.Verdict.Reject) {
            if (msg.sender != claimant) revert IClaimVoting.AppealNotAllowed(claimId, msg.sender);
        } else {
            MemberRecord storage m = members[msg.sender];
            if (
                m.status != IMemberRegistry.MemberStatus.Waiting ||
                m.eligibleAt >= c.submittedAt ||
                msg.sender == claimant
            ) revert IClaimVoting.AppealNotAllowed(claimId, msg.sender);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The state of a claim now, for the pool's views.
    function state(Court storage court, uint256 claimId) external view returns (IClaimVoting.ClaimState) {
        Params memory p = _params();
        return stateOf(court, claimId, p);
    }

    /// @notice A claim, as `IClaimVoting.claim` shows it.
    function claimView(Court storage court, uint256 claimId) external view returns (IClaimVoting.ClaimView memory v) {
        Params memory p = _params();
        ClaimRecord storage c = court.claims[claimId];
        uint256 submittedAt = c.submittedAt;
        // An unknown claim reads as all zeros.
        if (submittedAt == 0) return v;
        v.claimant = c.claimant;
        v.state = stateOf(court, claimId, p);
        v.amount = c.amount;
        v.bond = c.bond;
        v.feeBps = c.feeBps;
        v.evidenceDigest = c.evidenceDigest;
        v.reviewDigest = c.reviewDigest;
        v.submittedAt = submittedAt;
        v.round = c.round;
        v.verdict = c.verdict;
        v.appellant = court.appellants[claimId];
        v.resolvesAt = submittedAt + p.rounds * p.roundLength;
    }

    /// @notice One round of a claim, as `IClaimVoting.round` shows it.
    function roundView(
        Court storage court,
        uint256 claimId,
        uint256 r
    ) external view returns (IClaimVoting.RoundView memory v) {
        Params memory p = _params();
        RoundRecord storage round = court.rounds[claimId][r];
        uint256 target = round.target;
        if (target == 0) return v;
        v.seedBlock = round.seedBlock;
        v.setSize = round.setSize;
        v.seatsTarget = target;
        v.seats = round.seats;
        v.quorum = quorumOf(target, p.quorumBps);
        v.approvals = round.approvals;
        v.rejections = round.rejections;
        v.reanchors = round.reanchors;
        v.drawn = round.drawn;
        v.tallied = round.tallied;
        v.opensAt = uint256(court.claims[claimId].submittedAt) + r * p.roundLength;
        v.commitEndsAt = v.opensAt + p.commitWindow;
        v.revealEndsAt = v.commitEndsAt + p.revealWindow;
        v.appealEndsAt = v.opensAt + p.roundLength;
    }

    /// @notice The jurors seated in one round of a claim.
    function jury(Court storage court, uint256 claimId, uint256 r) external view returns (address[] memory jurors) {
        RoundRecord storage round = court.rounds[claimId][r];
        uint256 first = round.firstSeat;
        jurors = new address[](round.seats);
        for (uint256 i; i < jurors.length; ++i) jurors[i] = court.seats[claimId][first + i];
    }

    /// @dev The rules a call needs, copied at once from the clone's code (RuleArgs).
    function _params() private view returns (Params memory) {
        uint256[23] memory w = RuleArgs.all();
        return
            Params({
                randomness: IJuryRandomness(address(uint160(w[RuleArgs.RANDOMNESS]))),
                commitWindow: w[RuleArgs.COMMIT_WINDOW],
                revealWindow: w[RuleArgs.REVEAL_WINDOW],
                roundLength: w[RuleArgs.COMMIT_WINDOW] + w[RuleArgs.REVEAL_WINDOW] + w[RuleArgs.APPEAL_WINDOW],
                rounds: 1 + w[RuleArgs.MAX_APPEAL_ROUNDS],
                quorumBps: w[RuleArgs.QUORUM_BPS],
                thresholdBps: w[RuleArgs.APPROVAL_THRESHOLD_BPS],
                penalty: w[RuleArgs.JUROR_PENALTY],
                appealBond: w[RuleArgs.APPEAL_BOND],
                claimBond: w[RuleArgs.CLAIM_BOND],
                jurySize: w[RuleArgs.JURY_SIZE],
                maxClaimAmount: w[RuleArgs.MAX_CLAIM_AMOUNT],
                minBalance: w[RuleArgs.MIN_BALANCE]
            });
    }

    /// @notice The state of a claim now (see `IClaimVoting.ClaimState`).
    function stateOf(
        Court storage court,
        uint256 claimId,
        Params memory p
    ) internal view returns (IClaimVoting.ClaimState) {
        ClaimRecord storage c = court.claims[claimId];
        IClaimVoting.ClaimState status = c.status;
        if (status != IClaimVoting.ClaimState.Drawing) return status;
        uint256 submittedAt = c.submittedAt;
        if (block.timestamp >= submittedAt + p.rounds * p.roundLength) return IClaimVoting.ClaimState.Resolvable;
        uint256 r = c.round;
        RoundRecord storage round = court.rounds[claimId][r];
        uint256 opensAt = submittedAt + r * p.roundLength;
        if (!round.tallied) {
            uint256 commitEnd = opensAt + p.commitWindow;
            if (block.timestamp < commitEnd) {
                return round.drawn ? IClaimVoting.ClaimState.Committing : IClaimVoting.ClaimState.Drawing;
            }
            if (block.timestamp < commitEnd + p.revealWindow) return IClaimVoting.ClaimState.Revealing;
            return IClaimVoting.ClaimState.Tallying;
        }
        if (c.verdict != IClaimVoting.Verdict.None && r + 1 < p.rounds && block.timestamp < opensAt + p.roundLength) {
            return IClaimVoting.ClaimState.Appealable;
        }
        return IClaimVoting.ClaimState.Decided;
    }

    /// @notice Revealed votes a round of `seats` needs: the quorum share of its seats, rounded up.
    function quorumOf(uint256 seats, uint256 quorumBps) internal pure returns (uint256) {
        return (seats * quorumBps + _BPS - 1) / _BPS;
    }

    /// @notice `keccak256(abi.encode(claimId, round, juror, support, salt))`.
    function voteCommitment(
        uint256 claimId,
        uint256 r,
        address juror,
        bool support,
        bytes32 salt
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(claimId, r, juror, support, salt));
    }

    /// @notice The round a juror sits in on a claim, and their vote.
    function jurorVoteOf(
        Court storage court,
        uint256 claimId,
        address account
    ) external view returns (uint256 r, IClaimVoting.JurorVote vote) {
        uint256 word = court.votes[claimId][account];
        if (word == 0) return (0, IClaimVoting.JurorVote.None);
        return ((word & _ROUND_MASK) - 1, IClaimVoting.JurorVote((word >> 8) & _ROUND_MASK));
    }
}
