// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HuzhuPool} from "../HuzhuPool.sol";
import {MockERC20} from "./MockERC20.sol";

/// @notice Test only: one contract wallet of a `JurySwarm`, which alone may drive it.
contract JurySwarmMember {
    error JurySwarmMemberNotOwner(address caller);

    address private immutable _owner;
    HuzhuPool private immutable _pool;

    constructor(HuzhuPool pool, MockERC20 token) {
        _owner = msg.sender;
        _pool = pool;
        token.approve(address(pool), type(uint256).max);
    }

    function exec(bytes calldata data) external {
        if (msg.sender != _owner) revert JurySwarmMemberNotOwner(msg.sender);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(_pool).call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
