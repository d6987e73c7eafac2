// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICostSharingPool} from "./interfaces/ICostSharingPool.sol";
import {Apportionment} from "./libraries/Apportionment.sol";
import {ClaimVoting} from "./ClaimVoting.sol";

/// @title CostSharingPool
/// @notice Period settlement: pays the queued approved claims, charges every counted member the
/// same share by raising one global index, and carries the rounding surplus (or a deficit) on.
abstract contract CostSharingPool is ClaimVoting, ICostSharingPool {
    using SafeCast for uint256;

    uint256 private constant _YEAR = 365 days;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    struct SettlementRecord {
        uint104 share;
        uint104 chargeIndex;
        uint32 members;
        uint16 claimsPaid;
        uint128 payouts;
        uint128 fee;
        uint128 cut;
        uint40 settledAt;
        uint128 surplusIn;
        uint128 deficitIn;
        uint128 surplusOut;
        uint128 deficitOut;
    }

    mapping(uint256 period => SettlementRecord) private _settlements;

    // The annual cap counts charges from the index at the start of the pool year.
    uint104 private _yearStartIndex;
    uint32 private _year;

    /*//////////////////////////////////////////////////////////////
                               SETTLEMENT
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICostSharingPool
    function settle(uint256 period) external {
        uint256 next = _nextPeriod;
        if (period != next) revert PeriodNotNext(period, next);
        uint256 end = periodEnd(period);
        if (block.timestamp < end) revert PeriodNotEnded(period, end);

        uint256 members = _memberCount;
        // With nobody counted nothing can be paid: approved claims keep their place in the queue.
        (uint256[] memory ids, address[] memory claimants, uint256[] memory amounts) = _takePayable(
            members == 0 ? 0 : _rules.maxClaimsPerPeriod,
            end
        );
        uint256[] memory paid = new uint256[](ids.length);
        uint256 capPerMember = _rules.capPerMember;
        for (uint256 i; i < ids.length; ++i) paid[i] = Apportionment.cappedPayout(amounts[i], capPerMember, members);

        Apportionment.Input memory input = Apportionment.Input({
            members: members,
            feeBps: _rules.feeBps,
            surplusIn: _surplus,
            deficitIn: _deficit,
            maxShare: _annualAllowance(period)
        });
        Apportionment.Result memory r = Apportionment.apportion(paid, input);

        uint256 index = _chargeIndex + r.share;
        _chargeIndex = index.toUint104();
        _surplus = r.surplusOut.toUint128();
        _deficit = r.deficitOut.toUint128();
        _nextPeriod = uint32(period + 1);
        if (r.fee != 0) _accrueFee(r.fee);
        for (uint256 i; i < ids.length; ++i) {
            if (paid[i] != 0) _creditPayout(claimants[i], paid[i]);
            emit ClaimPaid(ids[i], period, claimants[i], amounts[i], paid[i]);
        }
        _record(period, ids.length, input, r, index);
    }

    /// @dev Stores the period's figures for the read tab and emits them for the audit trail.
    function _record(
        uint256 period,
        uint256 claimsPaid,
        Apportionment.Input memory input,
        Apportionment.Result memory r,
        uint256 index
    ) private {
        _settlements[period] = SettlementRecord({
            share: uint104(r.share), // Fits: the index, a uint104, grew by it.
            chargeIndex: uint104(index),
            members: uint32(input.members),
            claimsPaid: uint16(claimsPaid), // Fits: at most maxClaimsPerPeriod, a uint16.
            payouts: r.payouts.toUint128(),
            fee: r.fee.toUint128(),
            cut: r.cut.toUint128(),
            settledAt: uint40(block.timestamp),
            surplusIn: uint128(input.surplusIn),
            deficitIn: uint128(input.deficitIn),
            surplusOut: uint128(r.surplusOut),
            deficitOut: uint128(r.deficitOut)
        });
        emit PeriodSettled(
            period,
            input.members,
            claimsPaid,
            r.payouts,
            r.fee,
            r.cut,
            input.surplusIn,
            input.deficitIn,
            r.share,
            r.surplusOut,
            r.deficitOut,
            index
        );
    }

    /// @dev What one member may still be charged in the pool year `period` starts in.
    function _annualAllowance(uint256 period) private returns (uint256) {
        uint256 cap = _rules.annualChargeCap;
        if (cap == 0) return type(uint256).max;
        uint256 year = (period * _rules.periodLength) / _YEAR;
        if (year != _year) {
            _year = year.toUint32();
            _yearStartIndex = _chargeIndex;
        }
        uint256 used = _chargeIndex - _yearStartIndex;
        // Each settlement keeps the year's charges within the cap, so `used <= cap`.
        return cap - used;
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICostSharingPool
    function chargeIndex() external view returns (uint256) {
        return _chargeIndex;
    }

    /// @inheritdoc ICostSharingPool
    function nextPeriodToSettle() external view returns (uint256) {
        return _nextPeriod;
    }

    /// @inheritdoc ICostSharingPool
    function currentPeriod() external view returns (uint256) {
        return (block.timestamp - _startedAt) / _rules.periodLength;
    }

    /// @inheritdoc ICostSharingPool
    function periodEnd(uint256 period) public view returns (uint256) {
        return _startedAt + (period + 1) * _rules.periodLength;
    }

    /// @inheritdoc ICostSharingPool
    function settlement(uint256 period) external view returns (Settlement memory) {
        SettlementRecord storage s = _settlements[period];
        return
            Settlement({
                members: s.members,
                claimsPaid: s.claimsPaid,
                payouts: s.payouts,
                fee: s.fee,
                cut: s.cut,
                surplusIn: s.surplusIn,
                deficitIn: s.deficitIn,
                share: s.share,
                surplusOut: s.surplusOut,
                deficitOut: s.deficitOut,
                chargeIndex: s.chargeIndex,
                settledAt: s.settledAt
            });
    }

    /// @inheritdoc ICostSharingPool
    function carry() external view returns (uint256 surplus, uint256 deficit) {
        return (_surplus, _deficit);
    }
}
