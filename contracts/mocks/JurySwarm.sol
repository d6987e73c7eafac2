// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HuzhuPool} from "../HuzhuPool.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MockERC20} from "./MockERC20.sol";
import {JurySwarmMember} from "./JurySwarmMember.sol";

/// @notice Test only: many members, claims, draws and votes in few transactions, to build a long
/// queue of approved claims (the settlement gas regression). Every juror votes yes with salt = claim id.
contract JurySwarm {
    HuzhuPool public immutable pool;
    MockERC20 public immutable token;
    JurySwarmMember[] public members;
    mapping(address account => bool) public isMember;

    constructor(HuzhuPool pool_, MockERC20 token_) {
        pool = pool_;
        token = token_;
    }

    function spawn(uint256 n) external {
        for (uint256 i; i < n; ++i) {
            JurySwarmMember m = new JurySwarmMember(pool, token);
            members.push(m);
            isMember[address(m)] = true;
        }
    }

    function joinRange(uint256 from, uint256 to, uint256 amount) external {
        IMemberRegistry.Attestation memory none;
        for (uint256 i = from; i < to; ++i) {
            JurySwarmMember m = members[i];
            token.mint(address(m), amount);
            m.exec(abi.encodeCall(pool.join, (amount, keccak256(abi.encode("swarm", address(m))), none)));
        }
    }

    function claimRange(uint256 from, uint256 to, uint256 amount, uint256 bond) external {
        for (uint256 i = from; i < to; ++i) {
            token.mint(address(members[i]), bond);
            members[i].exec(abi.encodeCall(pool.submitClaim, (amount, keccak256(abi.encode("swarm-claim", i)), "")));
        }
    }

    /// Draws round 0 of claims [fromId, toId] and has every seated juror commit yes.
    function drawAndCommit(uint256 fromId, uint256 toId) external {
        for (uint256 id = fromId; id <= toId; ++id) {
            pool.drawJury(id);
            address[] memory jury = pool.jury(id, 0);
            for (uint256 j; j < jury.length; ++j) {
                bytes32 c = pool.voteCommitment(id, 0, jury[j], true, bytes32(id));
                JurySwarmMember(jury[j]).exec(abi.encodeCall(pool.commitDecision, (id, c)));
            }
        }
    }

    function revealRange(uint256 fromId, uint256 toId) external {
        for (uint256 id = fromId; id <= toId; ++id) {
            address[] memory jury = pool.jury(id, 0);
            for (uint256 j; j < jury.length; ++j) {
                JurySwarmMember(jury[j]).exec(abi.encodeCall(pool.revealDecision, (id, true, bytes32(id))));
            }
        }
    }
}
