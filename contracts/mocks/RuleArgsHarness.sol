// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IPoolConfig} from "../interfaces/IPoolConfig.sol";
import {RuleArgs} from "../libraries/RuleArgs.sol";

/// @dev Exposes RuleArgs for tests: `cloneWith` creates a clone of this harness carrying `args`,
/// whose views then read them from its own code.
contract RuleArgsHarness {
    event Cloned(address clone);

    function cloneWith(bytes calldata args) external returns (address clone) {
        clone = Clones.cloneWithImmutableArgs(address(this), args);
        emit Cloned(clone);
    }

    function word(uint256 index) external view returns (uint256) {
        return RuleArgs.word(index);
    }

    function all() external view returns (uint256[23] memory) {
        return RuleArgs.all();
    }

    function asset() external view returns (address) {
        return address(RuleArgs.asset());
    }

    function randomness() external view returns (address) {
        return address(RuleArgs.randomness());
    }

    function timetable() external view returns (uint256) {
        return RuleArgs.timetable();
    }

    function rulesWithFee(uint256 feeBps) external view returns (IPoolConfig.Rules memory) {
        RuleArgs.returnRules(feeBps);
    }
}
