// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoolConfig} from "./IPoolConfig.sol";
import {ICustodialEscrow} from "./ICustodialEscrow.sol";
import {IMemberRegistry} from "./IMemberRegistry.sol";
import {IClaimVoting} from "./IClaimVoting.sol";
import {ICostSharingPool} from "./ICostSharingPool.sol";
import {IMemberRecovery} from "./IMemberRecovery.sol";

/// @title IHuzhuPool
/// @notice One mutual-aid pool: the four components (escrow, member registry, claim voting,
/// cost sharing) compiled into one contract, so that joins and top-ups make no cross-contract calls
/// (the jury mechanics and the apportionment run in linked libraries, in the pool's own storage).
interface IHuzhuPool is
    IPoolConfig,
    ICustodialEscrow,
    IMemberRegistry,
    IClaimVoting,
    ICostSharingPool,
    IMemberRecovery
{
    /// @notice Sets the rules and roles of a new pool (called once, by the factory, on a fresh clone,
    /// after it checked the rules).
    function initialize(Rules calldata rules, Roles calldata roles) external;
}
