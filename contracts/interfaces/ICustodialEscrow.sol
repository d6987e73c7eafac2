// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICustodialEscrow
/// @notice Custody of a pool's tokens. Tokens leave only to: a member's own withdrawal of their
/// balance (to their wallet, or to an address the member names in the call), a pulled payout (an
/// approved claim's payout to its payee, refunded bonds to their owners), and the operator's
/// accrued fee, which the code caps. There is no sweep, rescue or owner withdrawal.
/// @dev Warning: a payout credited to an account is that account's alone: no role and no recovery
/// of a lost wallet moves it.
/// @dev Warning: no role, the operator included, can move member funds anywhere else.
/// @dev Warning: the token's issuer can freeze the escrow (blacklist the pool's address, pause the
/// token): payouts, fees and balances then cannot be withdrawn, but stay owed in full; Huzhu
/// cannot prevent it.
/// @dev Payouts are pulled, never pushed: a claimant whom the token refuses cannot block anyone.
interface ICustodialEscrow {
    /// @notice The token moved in is not the amount asked for (fee-on-transfer or rebasing token).
    error EscrowTransferMismatch(uint256 expected, uint256 received);
    /// @notice The account has nothing to withdraw.
    error EscrowNothingToWithdraw(address account);

    /// @notice A claimant (or a refunded bond's owner) took their payout.
    event PayoutWithdrawn(address indexed account, uint256 amount);
    /// @notice The operator took the accrued fee.
    event FeesWithdrawn(address indexed operator, uint256 amount);
    /// @notice An outgoing operator's accrued fee became its payout, as the role moved to another account.
    event FeesCredited(address indexed operator, uint256 amount);

    /// @notice Sends the caller every payout credited to them (approved claims naming them as payee,
    /// or their own without a payee, and refunded bonds).
    function withdrawPayout() external;

    /// @notice Sends the accrued fee to the operator. Only the operator. When the operator role
    /// moves, fees earned until then are credited to the outgoing operator's payout.
    function withdrawFees() external;

    /// @notice Payouts credited to `account` and not yet withdrawn.
    function payoutOf(address account) external view returns (uint256);

    /// @notice Fees accrued and not yet withdrawn.
    function feesAccrued() external view returns (uint256);
}
