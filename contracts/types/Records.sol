// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {IClaimVoting} from "../interfaces/IClaimVoting.sol";

/// @dev One slot per member. `status` stores Waiting for every counted member not leaving (Active
/// follows from the clock). `position` is the member's place in the juror set while Waiting.
/// `chargeMark` is the charge index at join while the member is counted, and the frozen total
/// charged once they have left. `eligibleAt` fits 32 bits until 2106.
struct MemberRecord {
    IMemberRegistry.MemberStatus status;
    bool flagged;
    uint32 eligibleAt;
    uint32 position;
    uint88 credit;
    uint88 chargeMark;
}

/// @dev A claim. `status` is Drawing while the claim is pending (the rounds and the clock tell the
/// phase), then the recorded outcome. `verdict` is the last quorate round's verdict. `hasPayee`: the
/// payout goes to the payee stored apart (`Juries.Court.payees`), not to the claimant; it shares the
/// claimant's slot so that settlement reads the payee's slot only for the claims that have one.
struct ClaimRecord {
    address claimant;
    uint40 submittedAt;
    uint8 round;
    IClaimVoting.ClaimState status;
    IClaimVoting.Verdict verdict;
    uint16 feeBps;
    bool hasPayee;
    uint96 amount;
    uint96 bond;
    bytes32 evidenceDigest;
    bytes32 reviewDigest;
}

/// @dev One jury round of a claim. Seats of every round of a claim are numbered in one sequence:
/// this round's are `firstSeat .. firstSeat + seats - 1`.
struct RoundRecord {
    uint64 seedBlock; // the block whose hash seeds the draw; 0 once drawn
    uint32 setSize; // the juror set's size when the round opened: later joins are never drawn
    uint16 firstSeat;
    uint16 target; // seats to fill
    uint16 seats; // seats filled
    uint16 approvals;
    uint16 rejections;
    uint8 reanchors;
    bool drawn;
    bool tallied;
}
