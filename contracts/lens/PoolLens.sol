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
    /// @notice A call with empty calldata (or any that matches none of the pool's functions) answers
    /// six words: the base slots of the member records, the juror set, the exit claim bounds and the
    /// lapse times, then the charge index and the block time the records are judged by at this block.
    /// A fallback, not a function: the pool leaves the lens 64 of the 24,576 bytes a contract may
    /// have, and a dispatched function takes more.
    // solhint-disable-next-line no-complex-fallback
    fallback() external {
        (mapping(address => MemberRecord) storage members, mapping(uint256 => address) storage jurorSet) = (
            _memberStore()
        );
        (, mapping(address => uint256) storage exitBounds, mapping(address => uint256) storage lapsableAt) = (
            _recoveryStore()
        );
        uint256 chargeIndex = _chargeIndex;
        assembly ("memory-safe") {
            let out := mload(0x40)
            mstore(out, members.slot)
            mstore(add(out, 32), jurorSet.slot)
            mstore(add(out, 64), exitBounds.slot)
            mstore(add(out, 96), lapsableAt.slot)
            mstore(add(out, 128), chargeIndex)
            mstore(add(out, 160), timestamp())
            return(out, 192)
        }
    }
}
