/**
 * The TypeChain (ethers v6) bindings of the Huzhu contracts, generated from the compiled artifacts
 * (`npx hardhat compile` writes them to `typechain-types/`; never edit them). Only what an
 * integrator needs: the pool and the factory, their interfaces, their contract factories (a typed
 * `connect`, and `deploy` for the factory) and the structs; test tokens and libraries are left out.
 * This entry needs `ethers`, an optional peer dependency of the SDK.
 *
 * @example
 * import { HuzhuPool__factory } from "@huzhu/sdk/typechain";
 * const pool = HuzhuPool__factory.connect(poolAddress, signer);
 * const statement = await pool.member(await signer.getAddress());
 */
export type { HuzhuPool } from "../../typechain-types/contracts/HuzhuPool";
export { HuzhuPool__factory } from "../../typechain-types/factories/contracts/HuzhuPool__factory";
export type { PoolFactory } from "../../typechain-types/contracts/PoolFactory";
export { PoolFactory__factory } from "../../typechain-types/factories/contracts/PoolFactory__factory";
export type { IHuzhuPool } from "../../typechain-types/contracts/interfaces/IHuzhuPool";
export { IHuzhuPool__factory } from "../../typechain-types/factories/contracts/interfaces/IHuzhuPool__factory";
export type { IPoolFactory } from "../../typechain-types/contracts/interfaces/IPoolFactory";
export { IPoolFactory__factory } from "../../typechain-types/factories/contracts/interfaces/IPoolFactory__factory";
/** The structs of the pool's parameters and results, e.g. `IPoolConfig.RulesStruct`, `IMemberRegistry.MemberStructOutput`. */
export type {
  IClaimVoting,
  ICostSharingPool,
  IMemberRegistry,
  IPoolConfig,
} from "../../typechain-types/contracts/HuzhuPool";
export type {
  TypedContractEvent,
  TypedDeferredTopicFilter,
  TypedEventLog,
  TypedLogDescription,
  TypedListener,
  TypedContractMethod,
} from "../../typechain-types/common";
