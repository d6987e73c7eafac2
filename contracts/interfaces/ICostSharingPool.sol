// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICostSharingPool
/// @notice Apportionment: once a period has ended, anyone settles it. Up to the per-period maximum
/// of final approved claims are paid, first in first out, over as many calls as they need (each at
/// most `MAX_CLAIMS_PER_SETTLE` claims, each its own record with its own N, share, fee and carry);
/// each claim pays min(amount, capPerMember x N, what the claimant may still be paid this pool year);
/// each claim's fee (at the rate in force at its submission) is added; the total is divided by the
/// member count N, rounded up, and the remainder is carried on as a surplus. One call also settles
/// the ended periods after it that have nothing to pay. Charges accrue through one global index:
/// no function loops over members.
/// @dev Warning: nobody supplies N or the share; the contract computes both. Settlement cannot be paused.
/// @dev Warning: the token issuer can freeze the pool (blacklist its address) or pause the token:
/// joins, claims and every withdrawal then fail while settlement goes on charging; payouts stay owed
/// and are withdrawable once the token moves again.
interface ICostSharingPool {
    /// @notice The stored figures of one settle call; the rest (payouts, fee, cut, carry) is in its
    /// `PeriodSettled` event.
    struct Settlement {
        uint256 members;
        uint256 claimsPaid;
        uint256 share;
        uint256 chargeIndex; // the index after this call
        bool closed; // the period's last part
    }

    /// @notice The period is not the next one to settle (settled already, or an earlier one is not).
    error PeriodNotNext(uint256 period, uint256 nextPeriod);
    /// @notice The period has not ended yet.
    error PeriodNotEnded(uint256 period, uint256 endsAt);

    /// @notice An approved claim was paid in `period`; the payout is credited to the claim's payee
    /// (`ClaimPayeeNamed`), else to the claimant, to withdraw.
    event ClaimPaid(
        uint256 indexed claimId,
        uint256 indexed period,
        address indexed claimant,
        uint256 requested,
        uint256 paid
    );

    /// @notice Part `part` of period `period` was settled, exact to the base unit:
    /// `share x members == payouts + fee + deficitIn - surplusIn + surplusOut - deficitOut`.
    /// `closed` marks the period's last part.
    event PeriodSettled(
        uint256 indexed period,
        uint256 part,
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
        uint256 chargeIndex,
        bool closed
    );

    /// @notice Settles the next part of `period` (which must be `nextPeriodToSettle()` and ended),
    /// then every following ended period with nothing to pay (at most 32 in all). Anyone may call;
    /// call again while `nextPeriodToSettle()` is an ended period.
    function settle(uint256 period) external;

    /// @notice The most claims one settle call pays: it keeps every call within 2^24 gas (EIP-7825).
    function MAX_CLAIMS_PER_SETTLE() external view returns (uint256);

    /// @notice The charge index: what one member counted since the pool began has been charged.
    function chargeIndex() external view returns (uint256);

    /// @notice The next period to settle.
    function nextPeriodToSettle() external view returns (uint256);

    /// @notice The next part of `nextPeriodToSettle()` (0 unless the period is half paid).
    function nextPart() external view returns (uint256);

    /// @notice The period now (the one not ended yet).
    function currentPeriod() external view returns (uint256);

    /// @notice When `period` ends.
    function periodEnd(uint256 period) external view returns (uint256);

    /// @notice The stored figures of part `part` of a settled period.
    function settlement(uint256 period, uint256 part) external view returns (Settlement memory);

    /// @notice What `account` has been paid in the current pool year (counted when `maxPayoutPerMember` is set).
    function paidThisYear(address account) external view returns (uint256);

    /// @notice The surplus and deficit carried to the next settlement (at most one is non-zero).
    function carry() external view returns (uint256 surplus, uint256 deficit);
}
