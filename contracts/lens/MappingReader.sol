// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title MappingReader
/// @notice Reads one storage mapping of whatever contract's address it is run at, thousands of
/// entries per call. NEVER DEPLOYED: an auditor runs it with `eth_call` and a state override that
/// puts this runtime code at a pool's address (contracts/lens/PoolLens.sol says where the pool's
/// mappings are). Each entry costs the node a cold storage read and a dozen opcodes, no call frame.
/// @dev Written for the fewest opcodes per entry: development nodes trace every opcode (about a
/// microsecond each), and an audit reads every member. Memory holds the keys, each replaced by its
/// value in place; the two words after them are the hashing scratch space.
contract MappingReader {
    /// @notice The values of the mapping at base slot `base`, at `keys` (a `mapping(bytes32 => ...)`
    /// or `mapping(address => ...)` entry: keccak256(key . base)).
    function atKeys(uint256 base, bytes32[] calldata keys) external view returns (uint256[] memory values) {
        assembly ("memory-safe") {
            values := mload(0x40)
            let n := shl(5, keys.length)
            let start := add(values, 32)
            let end := add(start, n)
            mstore(values, keys.length)
            calldatacopy(start, keys.offset, n)
            mstore(add(end, 32), base)
            for {
                let q := start
            } lt(q, end) {
                q := add(q, 32)
            } {
                mstore(end, mload(q))
                mstore(q, sload(keccak256(end, 64)))
            }
            mstore(0x40, add(end, 64))
        }
    }

    /// @notice The values of the mapping at base slot `base` at the integer keys `start` to
    /// `start + count - 1`.
    function atRange(uint256 base, uint256 start, uint256 count) external view returns (uint256[] memory values) {
        assembly ("memory-safe") {
            values := mload(0x40)
            let out := add(values, 32)
            let end := add(out, shl(5, count))
            mstore(values, count)
            mstore(add(end, 32), base)
            for {
                let q := out
                let key := start
            } lt(q, end) {
                q := add(q, 32)
                key := add(key, 1)
            } {
                mstore(end, key)
                mstore(q, sload(keccak256(end, 64)))
            }
            mstore(0x40, add(end, 64))
        }
    }
}
