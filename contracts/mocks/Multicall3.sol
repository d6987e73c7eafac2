// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The read side of the Multicall3 interface (deployed at
/// 0xcA11bde05977b3631167028862bE2a173976CA11 on nearly every chain), for local chains that lack it:
/// the SDK's `installMulticall3` puts this contract's runtime code at that address with
/// `hardhat_setCode`, so that tests and benchmarks batch their reads as they would on a real chain.
/// Same selectors and encodings as the deployed contract for the functions it has; a call that may
/// not fail and fails reverts with `CallFailed(index)` (the deployed one reverts with a string).
contract Multicall3 {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice Call `index` of an `aggregate3` failed and did not allow failure.
    error CallFailed(uint256 index);

    /// @notice Makes each call in order; a failed call is reported in its result when it allows
    /// failure, and reverts the whole batch otherwise.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        uint256 length = calls.length;
        returnData = new Result[](length);
        for (uint256 i = 0; i < length; ++i) {
            Call3 calldata call = calls[i];
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory data) = call.target.call(call.callData);
            if (!success && !call.allowFailure) revert CallFailed(i);
            returnData[i] = Result(success, data);
        }
    }

    /// @notice The current block's number.
    function getBlockNumber() external view returns (uint256 blockNumber) {
        blockNumber = block.number;
    }

    /// @notice The current block's timestamp.
    function getCurrentBlockTimestamp() external view returns (uint256 timestamp) {
        timestamp = block.timestamp;
    }

    /// @notice The ether balance of `addr`.
    function getEthBalance(address addr) external view returns (uint256 balance) {
        balance = addr.balance;
    }

    /// @notice The chain's id.
    function getChainId() external view returns (uint256 chainid) {
        chainid = block.chainid;
    }
}
