// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IPoolConfig} from "./interfaces/IPoolConfig.sol";
import {Apportionment} from "./libraries/Apportionment.sol";

/// @title PoolConfig
/// @notice Rules, roles, the timelock for the few changes allowed after creation, the guardian's
/// pause, and the pool-wide state every component shares (kept here so that it packs into few slots).
abstract contract PoolConfig is IPoolConfig, Initializable, Pausable {
    /// @inheritdoc IPoolConfig
    uint16 public constant MAX_FEE_BPS = 1_000;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    Rules internal _rules;
    Roles internal _roles;
    PendingChange private _pending;

    // Pool-wide state, packed: a join reads the index and writes the count in one slot.
    // 104 bits of charge index hold 2e31 base units per member over the pool's life: 2e13 whole
    // tokens of an 18-decimal asset, or 2e25 of a 6-decimal one.
    uint104 internal _chargeIndex;
    uint32 internal _memberCount;
    uint40 internal _startedAt;
    uint32 internal _nextPeriod;

    // Carried between settlements; at most one of them is non-zero after any call.
    uint128 internal _surplus;
    uint128 internal _deficit;

    /*//////////////////////////////////////////////////////////////
                               MODIFIERS
    //////////////////////////////////////////////////////////////*/

    modifier onlyRole(address holder) {
        if (msg.sender != holder) revert ConfigUnauthorized(msg.sender);
        _;
    }

    /*//////////////////////////////////////////////////////////////
                              INITIALIZER
    //////////////////////////////////////////////////////////////*/

    function _initConfig(Rules calldata rules_, Roles calldata roles_) internal onlyInitializing {
        _validate(rules_, roles_);
        _rules = rules_;
        _roles = roles_;
        _startedAt = uint40(block.timestamp);
    }

    /// @dev Every rule a pool depends on for solvency and for a decidable vote.
    function _validate(Rules calldata r, Roles calldata roles_) private view {
        if (address(r.asset) == address(0) || address(r.asset).code.length == 0) {
            revert ConfigInvalidAsset(address(r.asset));
        }
        if (roles_.operator == address(0)) revert ConfigZeroOperator();
        if (r.feeBps > MAX_FEE_BPS) revert ConfigFeeAboveMaximum(r.feeBps, MAX_FEE_BPS);
        if (r.periodLength == 0 || r.commitWindow == 0 || r.revealWindow == 0) revert ConfigZeroDuration();
        if (r.approvalThresholdBps == 0 || r.approvalThresholdBps > Apportionment.BPS) {
            revert ConfigInvalidThreshold(r.approvalThresholdBps);
        }
        if (r.quorum == 0) revert ConfigZeroQuorum();
        if (r.maxClaimAmount == 0 || r.capPerMember == 0 || r.maxClaimsPerPeriod == 0) revert ConfigZeroClaimLimit();
        // Solvency by construction: a member holding minBalance can always pay the next share,
        // whose largest value is every claim at its cap, plus the largest fee the code allows
        // (so that a later fee change cannot break it), plus one unit of rounding.
        uint256 largestShare = _largestShare(r.maxClaimsPerPeriod, r.capPerMember);
        if (r.minBalance < largestShare) revert ConfigMinBalanceTooLow(r.minBalance, largestShare);
        if (r.minDeposit < r.minBalance) revert ConfigMinDepositTooLow(r.minDeposit, r.minBalance);
        if (r.annualChargeCap != 0 && r.annualChargeCap < largestShare) {
            revert ConfigAnnualCapTooLow(r.annualChargeCap, largestShare);
        }
    }

    /// @dev The largest share one period can charge when nothing is carried.
    function _largestShare(uint256 maxClaims, uint256 capPerMember) internal pure returns (uint256) {
        uint256 perPeriod = maxClaims * capPerMember;
        return perPeriod + Apportionment.feeOn(perPeriod, MAX_FEE_BPS) + 1;
    }

    /// @dev Adds a loss (a member's shortfall) to the carry: it eats the surplus first.
    function _carryLoss(uint256 amount) internal {
        uint256 surplus = _surplus;
        if (surplus >= amount) {
            // Cannot underflow: checked just above.
            unchecked {
                _surplus = uint128(surplus - amount);
            }
        } else {
            _surplus = 0;
            _deficit += uint128(amount - surplus);
        }
    }

    /// @dev Adds a gain (a forfeited bond) to the carry: it pays the deficit first.
    function _carryGain(uint256 amount) internal {
        uint256 deficit = _deficit;
        if (deficit >= amount) {
            // Cannot underflow: checked just above.
            unchecked {
                _deficit = uint128(deficit - amount);
            }
        } else {
            _deficit = 0;
            _surplus += uint128(amount - deficit);
        }
    }

    /*//////////////////////////////////////////////////////////////
                         TIMELOCKED RULE CHANGES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPoolConfig
    function proposeRuleChange(Roles calldata roles_, uint16 feeBps) external onlyRole(_roles.operator) {
        if (_pending.eta != 0) revert ConfigChangeAlreadyPending(_pending.eta);
        if (roles_.operator == address(0)) revert ConfigZeroOperator();
        if (feeBps > MAX_FEE_BPS) revert ConfigFeeAboveMaximum(feeBps, MAX_FEE_BPS);
        if (feeBps == _rules.feeBps && keccak256(abi.encode(roles_)) == keccak256(abi.encode(_roles)))
            revert ConfigNoOpChange();
        uint40 eta = uint40(block.timestamp + changeDelay());
        _pending = PendingChange({roles: roles_, feeBps: feeBps, eta: eta});
        emit RuleChangeProposed(roles_, feeBps, eta);
    }

    /// @inheritdoc IPoolConfig
    function executeRuleChange() external onlyRole(_roles.operator) {
        PendingChange memory p = _pending;
        if (p.eta == 0) revert ConfigNoPendingChange();
        if (block.timestamp < p.eta) revert ConfigChangeNotReady(p.eta, block.timestamp);
        delete _pending;
        if (p.roles.operator != _roles.operator) _settleOperatorFees(_roles.operator);
        _roles = p.roles;
        _rules.feeBps = p.feeBps;
        emit RuleChangeExecuted(p.roles, p.feeBps);
    }

    /// @inheritdoc IPoolConfig
    function cancelRuleChange() external onlyRole(_roles.operator) {
        if (_pending.eta == 0) revert ConfigNoPendingChange();
        delete _pending;
        emit RuleChangeCancelled();
    }

    /// @dev Hands the fees an outgoing operator earned to that operator, before the role moves.
    function _settleOperatorFees(address outgoing) internal virtual;

    /*//////////////////////////////////////////////////////////////
                                 PAUSE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPoolConfig
    function pause() external onlyRole(_roles.guardian) {
        _pause();
    }

    /// @inheritdoc IPoolConfig
    function unpause() external onlyRole(_roles.guardian) {
        _unpause();
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPoolConfig
    function rules() external view returns (Rules memory) {
        return _rules;
    }

    /// @inheritdoc IPoolConfig
    function roles() external view returns (Roles memory) {
        return _roles;
    }

    /// @inheritdoc IPoolConfig
    function startedAt() external view returns (uint256) {
        return _startedAt;
    }

    /// @inheritdoc IPoolConfig
    function changeDelay() public view returns (uint256) {
        return uint256(_rules.periodLength) + _rules.commitWindow + _rules.revealWindow;
    }

    /// @inheritdoc IPoolConfig
    function pendingChange() external view returns (PendingChange memory) {
        return _pending;
    }
}
