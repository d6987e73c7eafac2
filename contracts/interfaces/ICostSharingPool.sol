// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICostSharingPool
/// @notice Apportionment: once a period has ended, anyone settles it. Up to the per-period maximum
/// of approved claims are paid, first in first out; each pays min(amount, capPerMember x N); the
/// fee is added; the total is divided by the member count N, rounded up, and the remainder is
/// carried to the next period as a surplus. Charges accrue through one global index: no function
/// loops over members.
/// @dev Warning: nobody supplies N or the share; the contract computes both. Settlement cannot be paused.
/// @dev Warning: settlement moves no tokens, so it goes on (and charges) even while the token's issuer
/// has frozen the pool or paused the token; what it pays is owed until the freeze is lifted.
interface ICostSharingPool {
    /// @notice The figures of one settled period, exact to the base unit:
    /// `share x members == payouts + fee + deficitIn - surplusIn + surplusOut - deficitOut`.
    struct Settlement {
        uint256 members;
        uint256 claimsPaid;
        uint256 payouts;
        uint256 fee;
        uint256 cut; // payouts cut by the annual cap
        uint256 surplusIn;
        uint256 deficitIn;
        uint256 share;
        uint256 surplusOut;
        uint256 deficitOut;
        uint256 chargeIndex; // the index after this period
        uint256 settledAt;
    }

    /// @notice The period is not the next one to settle (settled already, or an earlier one is not).
    error PeriodNotNext(uint256 period, uint256 nextPeriod);
    /// @notice The period has not ended yet.
    error PeriodNotEnded(uint256 period, uint256 endsAt);

    /// @notice An approved claim was paid in `period`; the payout is credited to the claimant to withdraw.
    event ClaimPaid(
        uint256 indexed claimId,
        uint256 indexed period,
        address indexed claimant,
        uint256 requested,
        uint256 paid
    );
    /// @notice A period was settled: every figure of the apportionment.
    event PeriodSettled(
        uint256 indexed period,
        uint256 members,
        uint256 claimsPaid,
        uint256 payouts,
        uint256 fee,
        uint256 cut,
        uint256 surplusIn,
        uint256 deficitIn,
        uint256 share,
        uint256 surplusOut,
        uint256 deficitOut,
        uint256 chargeIndex
    );

    /// @notice Settles `period` (it must have ended and be the next one). Anyone may call.
    function settle(uint256 period) external;

    /// @notice The cumulative share charged to a member counted since the pool began.
    function chargeIndex() external view returns (uint256);

    /// @notice The next period to settle.
    function nextPeriodToSettle() external view returns (uint256);

    /// @notice The period the clock is in.
    function currentPeriod() external view returns (uint256);

    /// @notice When `period` ends (it may be settled from then).
    function periodEnd(uint256 period) external view returns (uint256);

    /// @notice The figures of a settled period.
    function settlement(uint256 period) external view returns (Settlement memory);

    /// @notice The surplus and deficit carried to the next settlement.
    function carry() external view returns (uint256 surplus, uint256 deficit);
}
