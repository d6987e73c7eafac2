// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Apportionment
/// @notice The cost-sharing arithmetic of one settlement, exact to the base unit. Pure: no storage,
/// no loop over members (the only loop is over the settlement's claims, at most one call's worth).
/// @dev `apportion` is public: the pool calls it in the linked library (settlement is a keeper's
/// call, where a DELEGATECALL's cost is small), which keeps the pool under EIP-170's limit.
/// @dev For every result: `share * members == payouts + fee + deficitIn - surplusIn + surplusOut - deficitOut`,
/// and at most one of `surplusOut`, `deficitOut` is non-zero.
library Apportionment {
    uint256 internal constant BPS = 10_000;

    struct Input {
        uint256 members; // N, the counted members
        uint256 surplusIn; // carried from the last period
        uint256 deficitIn; // carried from the last period
        uint256 maxShare; // the most one member may be charged this period (annual cap); max uint for none
    }

    struct Result {
        uint256 payouts;
        uint256 fee;
        uint256 cut; // payouts removed by the annual cap
        uint256 share;
        uint256 surplusOut;
        uint256 deficitOut;
    }

    /// @notice What one claim pays before any annual cut: `min(amount, capPerMember * members)`.
    function cappedPayout(uint256 amount, uint256 capPerMember, uint256 members) internal pure returns (uint256) {
        uint256 cap = capPerMember * members;
        return amount < cap ? amount : cap;
    }

    /// @notice The operator's fee on `payouts`, rounded down (the members never pay for rounding).
    function feeOn(uint256 payouts, uint256 feeBps) internal pure returns (uint256) {
        return (payouts * feeBps) / BPS;
    }

    /// @notice The fee on every claim, each at its own rate, rounded down claim by claim.
    function feesOn(uint256[] memory payouts, uint256[] memory feesBps) internal pure returns (uint256 fee) {
        for (uint256 i; i < payouts.length; ++i) fee += feeOn(payouts[i], feesBps[i]);
    }

    /// @notice Apportions one settlement. `payouts` holds each claim's capped payout and is cut,
    /// pro rata and rounded down, when the share would pass `maxShare`; `feesBps` holds the fee rate
    /// each claim is charged (the one in force at its submission).
    /// @dev A public library function runs by DELEGATECALL with its arguments copied: the caller
    /// never sees the cut in place, so the cut payouts are returned as `paid`.
    /// @return r The settlement's figures.
    /// @return paid Each claim's payout after the cut (what the claimant is credited).
    function apportion(
        uint256[] memory payouts,
        uint256[] memory feesBps,
        Input memory input
    ) public pure returns (Result memory r, uint256[] memory paid) {
        paid = payouts;
        uint256 total;
        uint256 maxFeeBps;
        for (uint256 i; i < payouts.length; ++i) {
            total += payouts[i];
            if (feesBps[i] > maxFeeBps) maxFeeBps = feesBps[i];
        }
        if (input.members == 0) {
            // Nobody to charge: claims cannot have been capped above zero, and the carry stays as it is.
            r.surplusOut = input.surplusIn;
            r.deficitOut = input.deficitIn;
            r.cut = total;
            for (uint256 i; i < payouts.length; ++i) payouts[i] = 0;
            return (r, paid);
        }
        r.payouts = total;
        r.fee = feesOn(payouts, feesBps);
        _divide(r, input);
        if (r.share <= input.maxShare) return (r, paid);

        // The annual cap binds: payouts plus fee may use at most what N members paying maxShare,
        // plus the surplus, leave after the deficit.
        uint256 capacity = input.maxShare * input.members + input.surplusIn;
        uint256 budget = capacity > input.deficitIn ? capacity - input.deficitIn : 0;
        // The largest P with P + floor(P * maxFeeBps / BPS) <= budget, up to rounding down: no
        // claim's fee rate is above maxFeeBps, so the fees of the cut payouts fit too.
        uint256 allowed = (budget * BPS) / (BPS + maxFeeBps);
        if (allowed < total) {
            uint256 kept;
            for (uint256 i; i < payouts.length; ++i) {
                payouts[i] = (payouts[i] * allowed) / total;
                kept += payouts[i];
            }
            r.cut = total - kept;
            r.payouts = kept;
            r.fee = feesOn(payouts, feesBps);
            _divide(r, input);
        }
        if (r.share > input.maxShare) {
            // Only when the carried deficit alone passes the cap: charge the cap, carry the rest.
            uint256 need = r.payouts + r.fee + input.deficitIn - input.surplusIn;
            r.share = input.maxShare;
            r.surplusOut = 0;
            r.deficitOut = need - input.maxShare * input.members;
        }
    }

    /// @dev share = ceil(need / N), where need = payouts + fee + deficitIn - surplusIn; a surplus
    /// larger than the need is carried on whole.
    function _divide(Result memory r, Input memory input) private pure {
        uint256 gross = r.payouts + r.fee + input.deficitIn;
        r.deficitOut = 0;
        if (gross <= input.surplusIn) {
            r.share = 0;
            r.surplusOut = input.surplusIn - gross;
            return;
        }
        uint256 need = gross - input.surplusIn;
        r.share = (need + input.members - 1) / input.members;
        // share * N >= need by the ceiling, and the difference is below N.
        r.surplusOut = r.share * input.members - need;
    }
}
