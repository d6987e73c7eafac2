// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoolConfig} from "./IPoolConfig.sol";

/// @title IPoolFactory
/// @notice Creates isolated pools (minimal clones of one audited implementation) and registers them.
/// @dev Warning: the factory has no owner and no function that touches a pool after creating it.
/// @dev A factory deployed with `refusesOpenPools` creates only pools with an identity verifier: in an
/// open pool one person can join with many wallets and hold that share of the jury seats.
interface IPoolFactory {
    /// @notice This factory refuses pools without an identity verifier.
    error FactoryOpenPoolRefused();

    /// @notice A pool was created with these rules and roles.
    event PoolCreated(
        address indexed pool,
        address indexed asset,
        address indexed operator,
        IPoolConfig.Rules rules,
        IPoolConfig.Roles roles
    );

    /// @notice Creates a pool, after checking its rules (a bad rule reverts with a `Config*` error of `IPoolConfig`).
    /// @return pool The new pool's address.
    function createPool(
        IPoolConfig.Rules calldata rules,
        IPoolConfig.Roles calldata roles
    ) external returns (address pool);

    /// @notice Whether this factory refuses pools without an identity verifier.
    function refusesOpenPools() external view returns (bool);

    /// @notice The pool implementation every clone runs.
    function implementation() external view returns (address);

    /// @notice Whether `pool` was created by this factory.
    function isPool(address pool) external view returns (bool);

    /// @notice Number of pools created.
    function poolCount() external view returns (uint256);

    /// @notice The pool created `index`-th (from 0).
    function poolAt(uint256 index) external view returns (address);
}
