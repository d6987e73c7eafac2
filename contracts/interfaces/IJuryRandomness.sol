// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IJuryRandomness
/// @notice A source of jury seeds a pool may name instead of the default (the hash of a block that
/// does not exist yet when a round opens). A VRF adapter implements it: `requestSeed` when a round
/// opens, `seedOf` once the randomness has been delivered.
/// @dev Warning: a pool trusts its randomness source to be unpredictable and not chosen by anyone
/// with a stake in a claim; the source is fixed at creation and can never be changed.
interface IJuryRandomness {
    /// @notice Asks for the seed of the jury round `key` (claim id << 8 | round). Called by the pool
    /// when the round opens.
    function requestSeed(uint256 key) external;

    /// @notice The seed of round `key`, or zero while it has not been delivered.
    function seedOf(uint256 key) external view returns (bytes32);
}
