// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MemberRecord} from "../types/Records.sol";

/// @title RecoveryTrail
/// @notice Where a recovered membership came from and went: jury seats are drawn for a wallet, and a
/// recovery moves the membership to another. The trail lets a seat left behind on the old wallet
/// follow the membership: its penalty is taken from the wallet that holds the membership now, and the
/// new wallet is not drawn again on a claim where an earlier wallet of the same membership sits.
/// @dev Internal (inlined into the linked `Recovery` and `Juries` libraries, never the pool), in an
/// ERC-7201 namespace of the pool's storage, so that both reach it without the pool passing it.
/// Written once per completed recovery; read only on rare paths: the penalty of a seat whose member
/// record is empty, and the draw of a member whose record carries `MOVED`.
library RecoveryTrail {
    /// @custom:storage-location erc7201:huzhu.recovery.trail
    struct Trail {
        mapping(address wallet => address) movedTo;
        mapping(address wallet => address) movedFrom;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("huzhu.recovery.trail")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _SLOT = 0x397af148aa76269641c8fb24dea88bbbe8e988c5aaeac12d666112a2eb2cf600;

    /// @notice The mark in `MemberRecord.position` of a membership that came through a recovery: the
    /// juror-set position is the rest (positions stay below 2^31 while the juror set holds fewer than
    /// 2^31 members). A join writes a fresh position, without it.
    uint32 internal constant MOVED = 1 << 31;
    /// @notice The juror-set position in a member record's `position`, without the `MOVED` mark.
    function positionOf(uint32 position) internal pure returns (uint32) {
        return position & ~MOVED;
    }

    /// @dev The longest trail followed (each step took a 30-day recovery).
    uint256 private constant _MAX_STEPS = 16;

    function _trail() private pure returns (Trail storage t) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            t.slot := _SLOT
        }
    }

    /// @notice Records that the membership of `from` moved to `to`.
    function record(address from, address to) internal {
        Trail storage t = _trail();
        t.movedTo[from] = to;
        t.movedFrom[to] = from;
    }

    /// @notice The wallet that holds now the membership `wallet` held, whose record is empty: the
    /// trail is followed while the records are empty (`wallet` itself when it has no trail).
    function holder(mapping(address => MemberRecord) storage members, address wallet) internal view returns (address) {
        Trail storage t = _trail();
        for (uint256 i; i < _MAX_STEPS && members[wallet].status == IMemberRegistry.MemberStatus.None; ++i) {
            address next = t.movedTo[wallet];
            if (next == address(0)) break;
            wallet = next;
        }
        return wallet;
    }

    /// @notice Whether an earlier wallet of the membership `wallet` holds has a seat on the claim
    /// whose votes are `claimVotes`.
    function satBefore(mapping(address => uint256) storage claimVotes, address wallet) internal view returns (bool) {
        Trail storage t = _trail();
        address earlier = wallet;
        for (uint256 i; i < _MAX_STEPS; ++i) {
            earlier = t.movedFrom[earlier];
            if (earlier == address(0) || earlier == wallet) return false;
            if (claimVotes[earlier] != 0) return true;
        }
        return false;
    }
}
