// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IPoolConfig
/// @notice The rules and roles of one Huzhu pool: fixed at creation, with a few role and fee
/// changes allowed only through a timelock longer than one period, so that members can exit first.
/// @dev Warning: the operator can never raise the fee above `MAX_FEE_BPS` (10%), a constant of the code.
/// @dev Warning: the guardian can pause joins and new claims only; exits, withdrawals, votes and
/// settlement never stop.
interface IPoolConfig {
    /// @notice The rules of a pool. All amounts are in the asset's base units, all durations in seconds.
    struct Rules {
        IERC20 asset; // the ERC-20 stablecoin the pool holds
        uint32 waitingPeriod; // from join until the member may claim and vote
        uint32 periodLength; // apportionment period
        uint32 commitWindow; // vote commit window, starting when a claim is submitted
        uint96 minDeposit; // least first deposit
        uint96 minBalance; // least balance to stay funded; a member below it can be lapsed
        uint16 maxClaimsPerPeriod; // claims paid per settlement, first in first out
        uint16 feeBps; // operator fee on payouts, in basis points (<= MAX_FEE_BPS)
        uint96 maxClaimAmount; // largest claim a member may submit
        uint96 capPerMember; // what one claim may cost one member: a claim pays at most capPerMember x N
        uint32 revealWindow; // vote reveal window, right after the commit window
        uint32 quorum; // least revealed votes for a decision
        uint16 approvalThresholdBps; // approvals needed, in basis points of revealed votes
        uint96 claimBond; // posted with a claim: refunded unless the claim is rejected
        uint96 annualChargeCap; // most one member can be charged in a pool year; 0 = no cap
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
    /// @notice The period length, or a vote window, is zero.
    error ConfigZeroDuration();
    /// @notice The approval threshold is zero or above 100%.
    error ConfigInvalidThreshold(uint256 approvalThresholdBps);
    /// @notice The quorum is zero.
    error ConfigZeroQuorum();
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

    /// @notice The rules of this pool.
    function rules() external view returns (Rules memory);

    /// @notice The role holders of this pool.
    function roles() external view returns (Roles memory);

    /// @notice When the pool began. Period `p` covers
    /// `[startedAt + p * periodLength, startedAt + (p + 1) * periodLength)`.
    function startedAt() external view returns (uint256);

    /// @notice The timelock's delay: one period plus both vote windows.
    function changeDelay() external view returns (uint256);

    /// @notice The change waiting in the timelock, if any (`eta == 0` when none).
    function pendingChange() external view returns (PendingChange memory);
}
