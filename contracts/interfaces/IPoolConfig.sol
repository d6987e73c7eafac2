// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IJuryRandomness} from "./IJuryRandomness.sol";

/// @title IPoolConfig
/// @notice The rules and roles of one Huzhu pool: fixed at creation, with a few role and fee
/// changes allowed only through a timelock longer than one period, so that members can exit first.
/// @dev Warning: the operator can never raise the fee above `MAX_FEE_BPS` (10%), a constant of the code.
/// @dev Warning: the guardian can pause joins and new claims only; exits, withdrawals, votes and
/// settlement never stop.
interface IPoolConfig {
    /// @notice The rules of a pool. All amounts are in the asset's base units, all durations in seconds.
    /// A claim follows a fixed timetable of `1 + maxAppealRounds` rounds, each `commitWindow +
    /// revealWindow + appealWindow` long, whatever happens in them (see IClaimVoting).
    struct Rules {
        IERC20 asset; // the ERC-20 stablecoin the pool holds
        IJuryRandomness randomness; // jury seeds; zero = the hash of a block after the round opens
        uint32 waitingPeriod; // from join until the member may claim and sit on juries
        uint32 periodLength; // apportionment period
        uint32 commitWindow; // a jury round's commit window
        uint32 revealWindow; // a jury round's reveal window, right after its commit window
        uint32 appealWindow; // after a round's verdict, before the next round may open
        uint32 lapseGrace; // from a flag for an unfunded balance until the member may be lapsed
        uint96 minDeposit; // least first deposit
        uint96 minBalance; // least balance to stay funded; a member below it can be flagged
        uint16 maxClaimsPerPeriod; // claims paid for one period (over several settle calls), first in first out
        // operator fee on payouts, in basis points (<= MAX_FEE_BPS); a claim keeps the fee of its submission
        uint16 feeBps;
        uint8 jurySize; // seats of a first jury: odd, at least 3
        uint8 maxAppealRounds; // rounds after the first: a fresh jury after no quorum, or an appeal
        uint16 quorumBps; // revealed votes needed, in basis points of the round's seats (> 50%)
        uint16 approvalThresholdBps; // approvals needed, in basis points of revealed votes (> 50%)
        uint96 maxClaimAmount; // largest claim a member may submit
        uint96 capPerMember; // what one claim may cost one member: a claim pays at most capPerMember x N
        uint96 claimBond; // posted with a claim: refunded unless the claim is rejected
        uint96 appealBond; // posted with an appeal: refunded if the appeal overturns the verdict
        uint96 jurorPenalty; // taken from a seated juror who does not reveal, into the carried surplus
        uint96 annualChargeCap; // most one member can be charged in a pool year; 0 = no cap
        uint96 maxPayoutPerMember; // most one member can be paid in a pool year; 0 = no limit
    }

    /// @notice The accounts with a role in a pool.
    struct Roles {
        address operator; // receives the fee, proposes timelocked changes
        address verifier; // optional: signs EIP-712 attestations that a commitment is a unique person
        address assessor; // optional: attaches a review digest to claims
        address guardian; // optional: pauses joins and new claims
    }

    /// @notice A change waiting in the timelock.
    struct PendingChange {
        Roles roles;
        uint16 feeBps;
        uint40 eta; // earliest execution time; 0 = nothing pending
    }

    // ------------------------------------------------------------------ errors

    /// @notice The rules name no asset, or the asset has no code.
    error ConfigInvalidAsset(address asset);
    /// @notice The operator is the zero address.
    error ConfigZeroOperator();
    /// @notice The fee is above the hard maximum of the code.
    error ConfigFeeAboveMaximum(uint256 feeBps, uint256 maxFeeBps);
    /// @notice The period length, or a vote or appeal window, is zero.
    error ConfigZeroDuration();
    /// @notice The approval threshold is not above half of the revealed votes, or is above 100%.
    error ConfigInvalidThreshold(uint256 approvalThresholdBps);
    /// @notice The quorum is not above half of the seats, or is above 100%.
    error ConfigInvalidQuorum(uint256 quorumBps);
    /// @notice The jury size is even, below 3, or lets the last appeal jury pass `MAX_SEATS`.
    error ConfigInvalidJury(uint256 jurySize, uint256 maxAppealRounds);
    /// @notice The claim bond, the appeal bond or the juror penalty is zero.
    error ConfigZeroBond();
    /// @notice The waiting period is shorter than one period plus the claim timetable: a member
    /// could join after a claim and still be counted seasoned for it, or claim before paying a share.
    error ConfigWaitingPeriodTooShort(uint256 waitingPeriod, uint256 required);
    /// @notice The lapse grace is shorter than one period: a member must see a share and have time to top up.
    error ConfigLapseGraceTooShort(uint256 lapseGrace, uint256 required);
    /// @notice The randomness source has no code.
    error ConfigInvalidRandomness(address randomness);
    /// @notice The amounts are so large that the charge index could pass its 88 bits within a century.
    error ConfigAmountsTooLarge(uint256 largestShare);
    /// @notice The maximum claim, the cap per member or the claims per period is zero.
    error ConfigZeroClaimLimit();
    /// @notice The minimum balance does not cover the largest share a period can produce.
    error ConfigMinBalanceTooLow(uint256 minBalance, uint256 required);
    /// @notice The minimum deposit is below the minimum balance: a new member would be lapsable at once.
    error ConfigMinDepositTooLow(uint256 minDeposit, uint256 minBalance);
    /// @notice The annual cap is below the largest share of one period.
    error ConfigAnnualCapTooLow(uint256 annualChargeCap, uint256 required);
    /// @notice The caller does not hold the role the function needs.
    error ConfigUnauthorized(address caller);
    /// @notice No change is waiting in the timelock.
    error ConfigNoPendingChange();
    /// @notice A change is already waiting; cancel it first.
    error ConfigChangeAlreadyPending(uint256 eta);
    /// @notice The timelock has not run out.
    error ConfigChangeNotReady(uint256 eta, uint256 nowTime);
    /// @notice The proposed change changes nothing.
    error ConfigNoOpChange();

    // ------------------------------------------------------------------ events

    /// @notice A change of roles or fee entered the timelock.
    event RuleChangeProposed(Roles roles, uint16 feeBps, uint40 eta);
    /// @notice A timelocked change took effect.
    event RuleChangeExecuted(Roles roles, uint16 feeBps);
    /// @notice A pending change was withdrawn.
    event RuleChangeCancelled();

    // ------------------------------------------------------------------ functions

    /// @notice Proposes new roles and fee; they can be executed after `changeDelay()`.
    /// @dev Only the operator. The fee stays at or below `MAX_FEE_BPS`.
    function proposeRuleChange(Roles calldata roles, uint16 feeBps) external;

    /// @notice Applies the pending change once its timelock has run out. Only the operator.
    function executeRuleChange() external;

    /// @notice Withdraws the pending change. Only the operator.
    function cancelRuleChange() external;

    /// @notice Pauses joins and new claims. Only the guardian.
    function pause() external;

    /// @notice Lifts a pause. Only the guardian.
    function unpause() external;

    /// @notice The hard maximum fee, in basis points (10%).
    function MAX_FEE_BPS() external view returns (uint16);

    /// @notice Whether the pool has no identity verifier: anyone may join with any number of wallets,
    /// so a ring of wallets of one person can hold a share of the jury seats.
    function isOpenPool() external view returns (bool);

    /// @notice A claim's whole timetable: `(1 + maxAppealRounds) * (commit + reveal + appeal window)`.
    function claimTimetable() external view returns (uint256);

    /// @notice The rules of this pool.
    function rules() external view returns (Rules memory);

    /// @notice The role holders of this pool.
    function roles() external view returns (Roles memory);

    /// @notice When the pool began. Period `p` covers
    /// `[startedAt + p * periodLength, startedAt + (p + 1) * periodLength)`.
    function startedAt() external view returns (uint256);

    /// @notice The timelock's delay: one period plus a claim's whole timetable, so that a member who
    /// asks to exit when a change is proposed is out before it applies.
    function changeDelay() external view returns (uint256);

    /// @notice The change waiting in the timelock, if any (`eta == 0` when none).
    function pendingChange() external view returns (PendingChange memory);
}
