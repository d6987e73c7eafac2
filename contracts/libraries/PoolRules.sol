// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoolConfig} from "../interfaces/IPoolConfig.sol";
import {Apportionment} from "./Apportionment.sol";

/// @title PoolRules
/// @notice The checks every pool's rules pass at creation, and the bounds they rest on. The factory
/// runs them before it initializes a pool, which keeps them out of the pool's code.
library PoolRules {
    /// @notice The hard maximum fee, in basis points (10%).
    uint16 internal constant MAX_FEE_BPS = 1_000;
    /// @notice The largest jury a round can seat (the last appeal's): bounds `drawJury`'s gas.
    uint256 internal constant MAX_SEATS = 127;
    /// @notice The most claims one settle call pays. Measured (bench/gas.ts, `settlement`): a call
    /// paying n claims to first-time payees, with the yearly payout limit on, costs about
    /// 120,000 + 63,000 n gas; 180 claims fit 2^24 (EIP-7825) with a 25% margin.
    uint256 internal constant MAX_CLAIMS_PER_SETTLE = 180;
    /// @dev A century: the charge index must not pass its width within it.
    uint256 private constant _CENTURY = 100 * 365 days;

    /// @dev Every rule a pool depends on for solvency, for a decidable claim and for a jury that a
    /// ring of wallets cannot buy cheaply (DESIGN.md "Rules with minimums").
    function validate(IPoolConfig.Rules calldata r, IPoolConfig.Roles calldata roles_) internal view {
        if (address(r.asset) == address(0) || address(r.asset).code.length == 0) {
            revert IPoolConfig.ConfigInvalidAsset(address(r.asset));
        }
        if (address(r.randomness) != address(0) && address(r.randomness).code.length == 0) {
            revert IPoolConfig.ConfigInvalidRandomness(address(r.randomness));
        }
        if (roles_.operator == address(0)) revert IPoolConfig.ConfigZeroOperator();
        if (r.feeBps > MAX_FEE_BPS) revert IPoolConfig.ConfigFeeAboveMaximum(r.feeBps, MAX_FEE_BPS);
        if (r.periodLength == 0 || r.commitWindow == 0 || r.revealWindow == 0 || r.appealWindow == 0) {
            revert IPoolConfig.ConfigZeroDuration();
        }
        uint256 half = Apportionment.BPS / 2;
        if (r.approvalThresholdBps <= half || r.approvalThresholdBps > Apportionment.BPS) {
            revert IPoolConfig.ConfigInvalidThreshold(r.approvalThresholdBps);
        }
        if (r.quorumBps <= half || r.quorumBps > Apportionment.BPS) revert IPoolConfig.ConfigInvalidQuorum(r.quorumBps);
        if (r.jurySize < 3 || r.jurySize % 2 == 0 || r.maxAppealRounds == 0 || _largestJury(r) > MAX_SEATS) {
            revert IPoolConfig.ConfigInvalidJury(r.jurySize, r.maxAppealRounds);
        }
        if (r.claimBond == 0 || r.appealBond == 0 || r.jurorPenalty == 0) revert IPoolConfig.ConfigZeroBond();
        uint256 seasoning =
            uint256(r.periodLength) + timetable(r.maxAppealRounds, r.commitWindow, r.revealWindow, r.appealWindow);
        if (r.waitingPeriod < seasoning) revert IPoolConfig.ConfigWaitingPeriodTooShort(r.waitingPeriod, seasoning);
        if (r.lapseGrace < r.periodLength) revert IPoolConfig.ConfigLapseGraceTooShort(r.lapseGrace, r.periodLength);
        if (r.maxClaimAmount == 0 || r.capPerMember == 0 || r.maxClaimsPerPeriod == 0)
            revert IPoolConfig.ConfigZeroClaimLimit();
        // Solvency by construction: a member holding minBalance can always pay the next period,
        // whose largest charge is every claim at its cap, plus the largest fee the code allows
        // (so that a later fee change cannot break it), plus one unit of rounding per settle call.
        uint256 largest = largestShare(r.maxClaimsPerPeriod, r.capPerMember);
        if (r.minBalance < largest) revert IPoolConfig.ConfigMinBalanceTooLow(r.minBalance, largest);
        if (r.minDeposit < r.minBalance) revert IPoolConfig.ConfigMinDepositTooLow(r.minDeposit, r.minBalance);
        if (r.annualChargeCap != 0 && r.annualChargeCap < largest) {
            revert IPoolConfig.ConfigAnnualCapTooLow(r.annualChargeCap, largest);
        }
        if (largest * (_CENTURY / r.periodLength + 1) >= type(uint88).max)
            revert IPoolConfig.ConfigAmountsTooLarge(largest);
    }

    /// @dev The seats of the last appeal's jury: each appeal seats twice the last jury plus one.
    function _largestJury(IPoolConfig.Rules calldata r) private pure returns (uint256 seats) {
        seats = r.jurySize;
        for (uint256 i; i < r.maxAppealRounds && seats <= MAX_SEATS; ++i) seats = 2 * seats + 1;
    }

    /// @notice A claim's fixed timetable: every round, used or not.
    function timetable(
        uint256 maxAppealRounds,
        uint256 commitWindow,
        uint256 revealWindow,
        uint256 appealWindow
    ) internal pure returns (uint256) {
        return (1 + maxAppealRounds) * (commitWindow + revealWindow + appealWindow);
    }

    /// @notice The largest charge one period can make when nothing is carried: every claim at its cap,
    /// the largest fee, and a unit of rounding for each settle call the period can take.
    function largestShare(uint256 maxClaims, uint256 capPerMember) internal pure returns (uint256) {
        uint256 perPeriod = maxClaims * capPerMember;
        return
            perPeriod +
            Apportionment.feeOn(perPeriod, MAX_FEE_BPS) +
            (maxClaims + MAX_CLAIMS_PER_SETTLE - 1) / MAX_CLAIMS_PER_SETTLE;
    }
}
