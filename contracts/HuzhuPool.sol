// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IHuzhuPool} from "./interfaces/IHuzhuPool.sol";
import {MemberRecovery} from "./MemberRecovery.sol";

/// @title HuzhuPool
/// @notice One mutual-aid pool. The factory deploys it once and creates every pool as a minimal
/// clone of it; each clone holds its own members, claims and tokens.
contract HuzhuPool is MemberRecovery, IHuzhuPool {
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc IHuzhuPool
    function initialize(Rules calldata rules_, Roles calldata roles_) external initializer {
        _initConfig(rules_, roles_);
    }
}
