// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IJuryRandomness} from "../interfaces/IJuryRandomness.sol";

/// @notice A VRF stand-in for tests: records requests, and delivers the seed a test sets.
contract MockJuryRandomness is IJuryRandomness {
    mapping(uint256 key => bytes32) private _seeds;
    mapping(uint256 key => bool) public requested;

    function requestSeed(uint256 key) external {
        requested[key] = true;
    }

    function seedOf(uint256 key) external view returns (bytes32) {
        return _seeds[key];
    }

    function deliver(uint256 key, bytes32 seed) external {
        _seeds[key] = seed;
    }
}
