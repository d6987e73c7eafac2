// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IPoolConfig} from "./interfaces/IPoolConfig.sol";
import {PoolRules} from "./libraries/PoolRules.sol";
import {RuleArgs} from "./libraries/RuleArgs.sol";

/// @title PoolConfig
/// @notice Rules, roles, the timelock for the few changes allowed after creation, the guardian's
/// pause, and the pool-wide state every component shares (kept here so that it packs into few slots).
/// @dev The rules live in the clone's code (RuleArgs), not in storage: only the fee, which the
/// timelock may change, is stored.
abstract contract PoolConfig is IPoolConfig, Initializable, Pausable {
    /// @inheritdoc IPoolConfig
    uint16 public constant MAX_FEE_BPS = PoolRules.MAX_FEE_BPS;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    // Packs with Pausable's flag, which joins and new claims read anyway.
    uint16 internal _feeBps;
    Roles internal _roles;
    PendingChange private _pending;

    // Pool-wide state, packed: a join reads the index and writes both counts in one slot.
    // 88 bits of charge index hold 3e26 base units per member over the pool's life (3e8 whole
    // tokens of an 18-decimal asset, 3e20 of a 6-decimal one); the rules are refused when the
    // largest share a period can charge could fill it within a century.
    uint88 internal _chargeIndex;
    uint32 internal _memberCount; // counted members: Waiting, Active, Exiting, Lapsing
    uint32 internal _jurorCount; // positions of the juror set, holes included
    uint40 internal _startedAt;
    uint32 internal _nextPeriod;
    uint32 internal _jurorHoles; // positions left by members who gave notice, to be filled by joins

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

    function _initConfig(Roles calldata roles_) internal onlyInitializing {
        _feeBps = uint16(RuleArgs.word(RuleArgs.FEE_BPS));
        _roles = roles_;
        _startedAt = uint40(block.timestamp);
    }

    /// @dev This pool's claim timetable.
    function _claimTimetable() internal view returns (uint256) {
        return RuleArgs.timetable();
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
        if (feeBps == _feeBps && keccak256(abi.encode(roles_)) == keccak256(abi.encode(_roles)))
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
        _feeBps = p.feeBps;
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
        RuleArgs.returnRules(_feeBps);
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
        return RuleArgs.word(RuleArgs.PERIOD_LENGTH) + _claimTimetable();
    }

    /// @inheritdoc IPoolConfig
    function claimTimetable() external view returns (uint256) {
        return _claimTimetable();
    }

    /// @inheritdoc IPoolConfig
    function isOpenPool() external view returns (bool) {
        return _roles.verifier == address(0);
    }

    /// @inheritdoc IPoolConfig
    function pendingChange() external view returns (PendingChange memory) {
        return _pending;
    }
}
