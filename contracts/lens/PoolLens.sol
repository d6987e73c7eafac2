// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HuzhuPool} from "../HuzhuPool.sol";
import {MemberRecord} from "../types/Records.sol";

/// @title PoolLens
/// @notice Where an auditor finds a pool's member records and juror set in storage. NEVER DEPLOYED:
/// an auditor runs it once with `eth_call` and a state override that puts this runtime code at a
/// pool's address. It inherits the pool, so the slots it gives are the ones the compiler laid out for
/// the pool; the bulk reads then go through contracts/lens/MappingReader.sol, and the SDK decodes
/// each record as `member()` does (test/audit/lens.test.ts holds them equal at every block of a
/// pool's life). It reads no rule (rules live in a clone's code, which the override replaces) and
/// calls no library.
contract PoolLens is HuzhuPool {
    /// @notice The base slots of the member records, the juror set, the exit claim bounds and the
    /// lapse times, and the charge index and block time the records are judged by at this block.
    function lensLayout()
        external
        view
        returns (
            uint256 membersSlot,
            uint256 jurorSetSlot,
            uint256 exitBoundsSlot,
            uint256 lapsableAtSlot,
            uint256 chargeIndex,
            uint256 timestamp
        )
    {
        (mapping(address => MemberRecord) storage members, mapping(uint256 => address) storage jurorSet) = (
            _memberStore()
        );
        (, mapping(address => uint256) storage exitBounds, mapping(address => uint256) storage lapsableAt) = (
            _recoveryStore()
        );
        assembly ("memory-safe") {
            membersSlot := members.slot
            jurorSetSlot := jurorSet.slot
            exitBoundsSlot := exitBounds.slot
            lapsableAtSlot := lapsableAt.slot
        }
        chargeIndex = _chargeIndex;
        timestamp = block.timestamp;
    }
}
