// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What users would otherwise pick: a pool that charges each member in a loop at
/// settlement. Kept for the benchmark only, never in contracts/: its settlement grows with the
/// member count and stops fitting in a block.
contract NaivePool {
    address[] public members;
    mapping(address member => uint256) public balanceOf;

    function join(uint256 deposit) external {
        members.push(msg.sender);
        balanceOf[msg.sender] = deposit;
    }

    /// @notice Charges every member `share` in one loop.
    function settle(uint256 share) external {
        uint256 n = members.length;
        for (uint256 i; i < n; ++i) balanceOf[members[i]] -= share;
    }

    function memberCount() external view returns (uint256) {
        return members.length;
    }
}
