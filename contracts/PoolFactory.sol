// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IPoolFactory} from "./interfaces/IPoolFactory.sol";
import {IPoolConfig} from "./interfaces/IPoolConfig.sol";
import {IHuzhuPool} from "./interfaces/IHuzhuPool.sol";
import {HuzhuPool} from "./HuzhuPool.sol";
import {PoolRules} from "./libraries/PoolRules.sol";

/// @title PoolFactory
/// @notice Creates pools as minimal clones of one implementation, each isolated from the others. A
/// pool's rules are its clone's immutable arguments (`abi.encode(rules)`, read by RuleArgs).
contract PoolFactory is IPoolFactory {
    /// @inheritdoc IPoolFactory
    address public immutable implementation;

    /// @inheritdoc IPoolFactory
    bool public immutable refusesOpenPools;

    address[] private _pools;
    mapping(address pool => bool) private _isPool;

    /// @param refusesOpenPools_ Whether to refuse pools without an identity verifier.
    constructor(bool refusesOpenPools_) {
        implementation = address(new HuzhuPool());
        refusesOpenPools = refusesOpenPools_;
    }

    /// @inheritdoc IPoolFactory
    function createPool(
        IPoolConfig.Rules calldata rules,
        IPoolConfig.Roles calldata roles
    ) external returns (address pool) {
        if (refusesOpenPools && roles.verifier == address(0)) revert FactoryOpenPoolRefused();
        PoolRules.validate(rules, roles);
        pool = Clones.cloneWithImmutableArgs(implementation, abi.encode(rules));
        IHuzhuPool(pool).initialize(rules, roles);
        _pools.push(pool);
        _isPool[pool] = true;
        emit PoolCreated(pool, address(rules.asset), roles.operator, rules, roles);
    }

    /// @inheritdoc IPoolFactory
    function isPool(address pool) external view returns (bool) {
        return _isPool[pool];
    }

    /// @inheritdoc IPoolFactory
    function poolCount() external view returns (uint256) {
        return _pools.length;
    }

    /// @inheritdoc IPoolFactory
    function poolAt(uint256 index) external view returns (address) {
        return _pools[index];
    }
}
