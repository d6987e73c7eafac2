// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HuzhuPool} from "../HuzhuPool.sol";
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
    function lensMembers(address[] calldata accounts) external view returns (uint256[] memory words) {
        (mapping(address => MemberRecord) storage members, ) = _memberStore();
        (, mapping(address => uint256) storage exitBounds, mapping(address => uint256) storage lapsableAt) = (
            _recoveryStore()
        );
        uint256 n = accounts.length;
        words = new uint256[](n * 3);
        for (uint256 i; i < n; ++i) {
            address account = accounts[i];
            MemberRecord memory m = members[account];
            uint256 w = uint256(uint8(_statusOf(m)));
            w |= uint256(m.eligibleAt) << 8;
            w |= uint256(m.position) << 40;
            w |= uint256(m.credit) << 72;
            w |= _chargedOf(m) << 160;
            words[i * 3] = w;
            words[i * 3 + 1] = exitBounds[account];
            words[i * 3 + 2] = lapsableAt[account];
        }
    }

    /// @notice The juror set from `position`, `count` positions (as `jurorAt`, holes as zero).
    function lensJurors(uint256 position, uint256 count) external view returns (address[] memory jurors) {
        (, mapping(uint256 => address) storage jurorSet) = _memberStore();
        jurors = new address[](count);
        for (uint256 i; i < count; ++i) jurors[i] = jurorSet[position + i];
    }
}
