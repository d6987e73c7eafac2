// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IJuryRandomness} from "../interfaces/IJuryRandomness.sol";

/// @title RuleArgs
/// @notice Reads a pool's rules from its own code: the factory creates each pool as a clone with
/// immutable arguments (OpenZeppelin's `Clones.cloneWithImmutableArgs`), the arguments being
/// `abi.encode(rules)`, so every rule is one word at `0x2d + 32 * index` of the clone's code.
/// @dev Reads `address()`'s code with EXTCODECOPY: in a clone, and in a linked library the clone
/// calls by DELEGATECALL, `address()` is the clone (CODECOPY would read the implementation). The
/// running account is always warm, so one rule costs about 120 gas instead of a cold SLOAD's 2,100.
/// Nothing can write code: the rules cannot change after creation. The fee is the one rule a
/// timelock may change; the pool keeps it in storage and ignores its word here.
library RuleArgs {
    /// @dev Where the arguments begin in a clone's code (after ERC-1167's 45 bytes).
    uint256 internal constant OFFSET = 0x2d;
    /// @dev The length of the arguments: `IPoolConfig.Rules` has 23 static fields.
    uint256 internal constant LENGTH = 23 * 32;

    // Word indexes, in the order of `IPoolConfig.Rules`.
    uint256 internal constant ASSET = 0;
    uint256 internal constant RANDOMNESS = 1;
    uint256 internal constant WAITING_PERIOD = 2;
    uint256 internal constant PERIOD_LENGTH = 3;
    uint256 internal constant COMMIT_WINDOW = 4;
    uint256 internal constant REVEAL_WINDOW = 5;
    uint256 internal constant APPEAL_WINDOW = 6;
    uint256 internal constant LAPSE_GRACE = 7;
    uint256 internal constant MIN_DEPOSIT = 8;
    uint256 internal constant MIN_BALANCE = 9;
    uint256 internal constant MAX_CLAIMS_PER_PERIOD = 10;
    uint256 internal constant FEE_BPS = 11;
    uint256 internal constant JURY_SIZE = 12;
    uint256 internal constant MAX_APPEAL_ROUNDS = 13;
    uint256 internal constant QUORUM_BPS = 14;
    uint256 internal constant APPROVAL_THRESHOLD_BPS = 15;
    uint256 internal constant MAX_CLAIM_AMOUNT = 16;
    uint256 internal constant CAP_PER_MEMBER = 17;
    uint256 internal constant CLAIM_BOND = 18;
    uint256 internal constant APPEAL_BOND = 19;
    uint256 internal constant JUROR_PENALTY = 20;
    uint256 internal constant ANNUAL_CHARGE_CAP = 21;
    uint256 internal constant MAX_PAYOUT_PER_MEMBER = 22;

    /// @notice Word `index` of the running clone's arguments.
    function word(uint256 index) internal view returns (uint256 value) {
        assembly ("memory-safe") {
            extcodecopy(address(), 0x00, add(OFFSET, shl(5, index)), 0x20)
            value := mload(0x00)
        }
    }

    /// @notice Every word of the running clone's arguments, in one copy (cheaper than single
    /// words from about three reads on).
    function all() internal view returns (uint256[23] memory words) {
        assembly ("memory-safe") {
            extcodecopy(address(), words, OFFSET, LENGTH)
        }
    }

    /// @notice The asset.
    function asset() internal view returns (IERC20) {
        return IERC20(address(uint160(word(ASSET))));
    }

    /// @notice The randomness source (zero: blockhash).
    function randomness() internal view returns (IJuryRandomness) {
        return IJuryRandomness(address(uint160(word(RANDOMNESS))));
    }

    /// @notice The whole claim timetable: `(1 + maxAppealRounds) * (commit + reveal + appeal window)`.
    function timetable() internal view returns (uint256) {
        return (1 + word(MAX_APPEAL_ROUNDS)) * roundLength();
    }

    /// @notice One jury round: `commit + reveal + appeal window`.
    function roundLength() internal view returns (uint256) {
        return word(COMMIT_WINDOW) + word(REVEAL_WINDOW) + word(APPEAL_WINDOW);
    }

    /// @notice Returns (ends the call with) the rules as `abi.encode(rules)`, with `feeBps` in
    /// place of the creation-time fee.
    function returnRules(uint256 feeBps) internal view {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            extcodecopy(address(), ptr, OFFSET, LENGTH)
            mstore(add(ptr, shl(5, FEE_BPS)), feeBps)
            return(ptr, LENGTH)
        }
    }
}
