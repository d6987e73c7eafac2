// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICostSharingPool} from "./interfaces/ICostSharingPool.sol";
import {Apportionment} from "./libraries/Apportionment.sol";
import {ClaimVoting} from "./ClaimVoting.sol";
import {PoolRules} from "./libraries/PoolRules.sol";
import {RuleArgs} from "./libraries/RuleArgs.sol";

/// @title CostSharingPool
/// @notice Settlement: pays the queued final claims, charges every counted member the same share by
/// raising one global index, and carries the rounding surplus (or a deficit) on. A period's claims
/// are paid over as many calls as they need, each paying at most `MAX_CLAIMS_PER_SETTLE` and each
/// its own apportionment record, so that no call can outgrow a block.
abstract contract CostSharingPool is ClaimVoting, ICostSharingPool {
    using SafeCast for uint256;

    /// @inheritdoc ICostSharingPool
    uint256 public constant MAX_CLAIMS_PER_SETTLE = PoolRules.MAX_CLAIMS_PER_SETTLE;
    /// @dev Ended periods with nothing to pay that one call settles at most.
    uint256 private constant _MAX_PERIODS_PER_SETTLE = 32;
    uint256 private constant _YEAR = 365 days;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One slot per settle call: the rest of its figures are in its `PeriodSettled` event.
    struct SettlementRecord {
        uint88 share;
        uint88 chargeIndex;
        uint32 members;
        uint32 claimsPaid;
        bool closed;
    }

    mapping(uint256 period => mapping(uint256 part => SettlementRecord)) private _settlements;
    mapping(address account => uint256 yearAndPaid) private _yearPayouts;
    // The open period's progress, and the pool year the annual cap counts from.
    uint32 private _part;
    uint32 private _paidInPeriod;
    uint88 private _yearStartIndex;
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
        for (uint256 settled = 1; _settlePart(period, end); ++settled) {
            // The period is closed: go on with the next ones while they have ended and pay nothing.
            ++period;
            end = periodEnd(period);
            if (settled == _MAX_PERIODS_PER_SETTLE || block.timestamp < end || _hasPayable(end)) return;
        }
    }

    /// @dev Pays one call's worth of the period's payable claims; returns whether the period is closed.
    function _settlePart(uint256 period, uint256 end) private returns (bool closed) {
        uint256 members = _memberCount;
        uint256 paidBefore = _paidInPeriod;
        uint256 room = uint256(RuleArgs.word(RuleArgs.MAX_CLAIMS_PER_PERIOD)) - paidBefore;
        if (room > MAX_CLAIMS_PER_SETTLE) room = MAX_CLAIMS_PER_SETTLE;
        // With nobody counted nothing can be paid: approved claims keep their place in the queue.
        Payable[] memory claims = _takePayable(members == 0 ? 0 : room, end);
        uint256 n = claims.length;
        uint256[] memory paid = new uint256[](n);
        uint256[] memory feesBps = new uint256[](n);
        uint256 year = _yearOf(period);
        uint256 capPerMember = RuleArgs.word(RuleArgs.CAP_PER_MEMBER); // rules read once per call, not per claim
        uint256 maxPayout = RuleArgs.word(RuleArgs.MAX_PAYOUT_PER_MEMBER);
        for (uint256 i; i < n; ++i) {
            uint256 capped = Apportionment.cappedPayout(claims[i].amount, capPerMember, members);
            paid[i] = _payoutLimit(claims[i].claimant, year, capped, maxPayout);
            feesBps[i] = claims[i].feeBps;
        }
        Apportionment.Input memory input = Apportionment.Input({
            members: members,
            surplusIn: _surplus,
            deficitIn: _deficit,
            maxShare: _annualAllowance(year)
        });
        // The library is linked: the cut payouts come back as a new array, not in `paid`.
        Apportionment.Result memory r;
        (r, paid) = Apportionment.apportion(paid, feesBps, input);
        uint256 index = _chargeIndex + r.share;
        _chargeIndex = index.toUint88();
        _surplus = r.surplusOut.toUint128();
        _deficit = r.deficitOut.toUint128();
        closed = members == 0 || paidBefore + n == RuleArgs.word(RuleArgs.MAX_CLAIMS_PER_PERIOD) || !_hasPayable(end);
        uint256 part = _part;
        if (closed) {
            _nextPeriod = uint32(period + 1);
            (_part, _paidInPeriod) = (0, 0);
        } else {
            // Fits: parts and claims of one period are bounded by maxClaimsPerPeriod, a uint16.
            (_part, _paidInPeriod) = (uint32(part + 1), uint32(paidBefore + n));
        }
        if (r.fee != 0) _accrueFee(r.fee);
        for (uint256 i; i < n; ++i) {
            Payable memory c = claims[i];
            if (paid[i] != 0) {
                _creditPayout(c.payee, paid[i]);
                if (maxPayout != 0) _recordYearPayout(c.claimant, year, paid[i]);
            }
            emit ClaimPaid(c.id, period, c.claimant, c.amount, paid[i]);
        }
        _record(period, part, n, input, r, index, closed);
    }

    /// @dev Stores the call's figures for the read tab and emits them all for the audit trail.
    function _record(
        uint256 period,
        uint256 part,
        uint256 claimsPaid,
        Apportionment.Input memory input,
        Apportionment.Result memory r,
        uint256 index,
        bool closed
    ) private {
        _settlements[period][part] = SettlementRecord({
            share: uint88(r.share), // Fits: the index, a uint88, grew by it.
            chargeIndex: uint88(index),
            members: uint32(input.members),
            claimsPaid: uint32(claimsPaid), // Fits: at most MAX_CLAIMS_PER_SETTLE.
            closed: closed
        });
        emit PeriodSettled(
            period,
            part,
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
            index,
            closed
        );
    }

    function _yearOf(uint256 period) private view returns (uint256) {
        return (period * RuleArgs.word(RuleArgs.PERIOD_LENGTH)) / _YEAR;
    }

    /// @dev What one member may still be charged in pool year `year`.
    function _annualAllowance(uint256 year) private returns (uint256) {
        uint256 cap = RuleArgs.word(RuleArgs.ANNUAL_CHARGE_CAP);
        if (cap == 0) return type(uint256).max;
        if (year != _year) {
            _year = year.toUint32();
            _yearStartIndex = _chargeIndex;
        }
        // Each settlement keeps the year's charges within the cap, so `used <= cap`.
        return cap - (_chargeIndex - _yearStartIndex);
    }

    /// @dev `payout`, cut to what the claimant may still be paid in pool year `year` under `limit`
    /// (the rules' maxPayoutPerMember; zero: no limit).
    function _payoutLimit(
        address claimant,
        uint256 year,
        uint256 payout,
        uint256 limit
    ) private view returns (uint256) {
        if (limit == 0) return payout;
        uint256 word = _yearPayouts[claimant];
        uint256 used = word >> 128 == year ? uint128(word) : 0;
        uint256 left = limit - used;
        return payout < left ? payout : left;
    }

    function _recordYearPayout(address claimant, uint256 year, uint256 amount) private {
        uint256 word = _yearPayouts[claimant];
        uint256 used = word >> 128 == year ? uint128(word) : 0;
        // Fits: used + amount <= maxPayoutPerMember, a uint96.
        _yearPayouts[claimant] = (year << 128) | (used + amount);
    }

    /// @dev Each member's payouts this pool year, for the recovery library.
    function _yearPayoutStore() internal view returns (mapping(address => uint256) storage) {
        return _yearPayouts;
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
    function nextPart() external view returns (uint256) {
        return _part;
    }

    /// @inheritdoc ICostSharingPool
    function currentPeriod() external view returns (uint256) {
        return (block.timestamp - _startedAt) / RuleArgs.word(RuleArgs.PERIOD_LENGTH);
    }

    /// @inheritdoc ICostSharingPool
    function periodEnd(uint256 period) public view returns (uint256) {
        return _startedAt + (period + 1) * RuleArgs.word(RuleArgs.PERIOD_LENGTH);
    }

    /// @inheritdoc ICostSharingPool
    function settlement(uint256 period, uint256 part) external view returns (Settlement memory) {
        SettlementRecord storage s = _settlements[period][part];
        return
            Settlement({
                members: s.members,
                claimsPaid: s.claimsPaid,
                share: s.share,
                chargeIndex: s.chargeIndex,
                closed: s.closed
            });
    }

    /// @inheritdoc ICostSharingPool
    function paidThisYear(address account) external view returns (uint256) {
        uint256 word = _yearPayouts[account];
        return word >> 128 == (block.timestamp - _startedAt) / _YEAR ? uint128(word) : 0;
    }

    /// @inheritdoc ICostSharingPool
    function carry() external view returns (uint256 surplus, uint256 deficit) {
        return (_surplus, _deficit);
    }
}
