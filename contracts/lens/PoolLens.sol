// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HuzhuPool} from "../HuzhuPool.sol";
import {RecoveryTrail} from "../libraries/RecoveryTrail.sol";
import {MemberRecord} from "../types/Records.sol";

/// @title PoolLens
/// @notice Bulk views of a pool's member records and juror set, for auditors. NEVER DEPLOYED: an
/// auditor runs it with `eth_call` and a state override that puts this runtime code at a pool's
/// address, so the views read that pool's storage at the audited block. It inherits the pool, so
/// its storage layout is the pool's by construction; it reads no rule (rules may live in a clone's
/// code, which the override replaces) and calls no library.
contract PoolLens is HuzhuPool {
    /// @notice Three words per account, in order: (1) status (as `member().status`, bits 0-7),
    /// eligibleAt (8-39), position (40-71), credit (72-159), charged (160-247); (2) the exit claim
    /// bound; (3) lapsableAt. The balance is credit minus charged, as `member().balance`.
    /// @dev A node may take far longer per opcode than per call (a tracing node): the loop computes
    /// the mapping slots in assembly and reads each field of the record from one storage pointer.
    /// Status, position (without the recovery trail's mark) and charged as `member()` gives them (the
    /// lens test holds them equal).
    function lensMembers(address[] calldata accounts) external view returns (uint256[] memory words) {
        (mapping(address => MemberRecord) storage members, ) = _memberStore();
        (, mapping(address => uint256) storage exitBounds, mapping(address => uint256) storage lapsableAt) = (
            _recoveryStore()
        );
        uint256 index = _chargeIndex;
        uint256 n = accounts.length;
        words = new uint256[](n * 3);
        uint256 membersSlot;
        uint256 boundsSlot;
        uint256 lapsesSlot;
        assembly ("memory-safe") {
            membersSlot := members.slot
            boundsSlot := exitBounds.slot
            lapsesSlot := lapsableAt.slot
        }
        for (uint256 i; i < n;) {
            uint256 out;
            uint256 recordSlot;
            address account;
            assembly ("memory-safe") {
                account := calldataload(add(accounts.offset, shl(5, i)))
                out := add(add(words, 32), mul(i, 96))
                mstore(0, account)
                mstore(32, membersSlot)
                recordSlot := keccak256(0, 64)
                mstore(32, boundsSlot)
                mstore(add(out, 32), sload(keccak256(0, 64)))
                mstore(32, lapsesSlot)
                mstore(add(out, 64), sload(keccak256(0, 64)))
            }
            MemberRecord storage m;
            assembly ("memory-safe") {
                m.slot := recordSlot
            }
            MemberStatus status = m.status;
            uint256 mark = m.chargeMark;
            uint256 eligibleAt = m.eligibleAt;
            bool counted = _isCounted(status);
            if (status == MemberStatus.Waiting && block.timestamp >= eligibleAt) status = MemberStatus.Active;
            uint256 w =
                uint256(uint8(status)) |
                    (eligibleAt << 8) |
                    (uint256(m.position & ~RecoveryTrail.MOVED) << 40) |
                    (uint256(m.credit) << 72) |
                    ((counted ? index - mark : mark) << 160);
            assembly ("memory-safe") {
                mstore(out, w)
                i := add(i, 1)
            }
        }
    }

    /// @notice The juror set from `position`, `count` positions (as `jurorAt`, holes as zero).
    function lensJurors(uint256 position, uint256 count) external view returns (address[] memory jurors) {
        (, mapping(uint256 => address) storage jurorSet) = _memberStore();
        jurors = new address[](count);
        assembly ("memory-safe") {
            mstore(32, jurorSet.slot)
            let out := add(jurors, 32)
            for {
                let i := 0
            } lt(i, count) {
                i := add(i, 1)
            } {
                mstore(0, add(position, i))
                mstore(add(out, shl(5, i)), sload(keccak256(0, 64)))
            }
        }
    }
}
