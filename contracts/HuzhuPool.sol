// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IHuzhuPool} from "./interfaces/IHuzhuPool.sol";
import {MemberRecovery} from "./MemberRecovery.sol";

/// @title HuzhuPool
/// @notice One mutual-aid pool. The factory deploys it once and creates every pool as a minimal
/// clone of it; each clone holds its own members, claims and tokens.
contract HuzhuPool is MemberRecovery, IHuzhuPool {
    /// @dev The implementation stays inert: it can never be initialized, and it is paused for good
    /// (no guardian), so nobody joins it or claims in it. It has no rules of its own: a pool reads
    /// them from its clone's code.
    constructor() {
        _disableInitializers();
        _pause();
    }

    /// @inheritdoc IHuzhuPool
    /// @dev The rules are the clone's immutable arguments (RuleArgs); the factory passes the same
    /// rules here, of which only the fee is stored.
    function initialize(Rules calldata, Roles calldata roles_) external initializer {
        _initConfig(roles_);
    }
}
