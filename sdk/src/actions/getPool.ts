import type { HuzhuClientConfig } from "../clients/client";
import type { Address, PoolInfo } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { erc20PermitAbi, poolAbi, poolOf } from "../internal/contract";
import { multicallViews, readCall } from "../internal/multicall";

export interface GetPoolParameters {
  pool?: Address;
  /** Read the pool as it was at this block (default: the latest block). */
  blockNumber?: bigint;
}
export type GetPoolReturnType = PoolInfo;
export type GetPoolErrorType = HuzhuError;

/**
 * Reads a pool's rules, roles, token and live figures (member count, charge index, periods, carry,
 * fees), whether it is open (no identity verifier) and a claim's timetable: the pool's views in one
 * Multicall3 request and the token's in another (single calls where Multicall3 is absent).
 * @example
 * const info = await getPool(client);
 * console.log(`${info.memberCount} members, fee ${info.rules.feeBps / 100}%${info.isOpenPool ? ", open pool" : ""}`);
 */
export async function getPool(client: HuzhuClientConfig, params: GetPoolParameters = {}): Promise<GetPoolReturnType> {
  const pool = poolOf(client, params.pool);
  const [
    rules,
    roles,
    startedAt,
    memberCount,
    chargeIndex,
    currentPeriod,
    nextPeriodToSettle,
    claimCount,
    carry,
    feesAccrued,
    paused,
    isOpenPool,
    claimTimetable,
    nextPart,
  ] = await multicallViews(
    client,
    [
      readCall(pool, poolAbi, "rules", []),
      readCall(pool, poolAbi, "roles", []),
      readCall(pool, poolAbi, "startedAt", []),
      readCall(pool, poolAbi, "memberCount", []),
      readCall(pool, poolAbi, "chargeIndex", []),
      readCall(pool, poolAbi, "currentPeriod", []),
      readCall(pool, poolAbi, "nextPeriodToSettle", []),
      readCall(pool, poolAbi, "claimCount", []),
      readCall(pool, poolAbi, "carry", []),
      readCall(pool, poolAbi, "feesAccrued", []),
      readCall(pool, poolAbi, "paused", []),
      readCall(pool, poolAbi, "isOpenPool", []),
      readCall(pool, poolAbi, "claimTimetable", []),
      readCall(pool, poolAbi, "nextPart", []),
    ],
    { blockNumber: params.blockNumber },
  );
  const [symbol, decimals] = await multicallViews(
    client,
    [readCall(rules.asset, erc20PermitAbi, "symbol", []), readCall(rules.asset, erc20PermitAbi, "decimals", [])],
    { blockNumber: params.blockNumber },
  );
  return {
    address: pool,
    rules: { ...rules },
    roles: { ...roles },
    token: { address: rules.asset, symbol, decimals },
    startedAt,
    memberCount,
    chargeIndex,
    currentPeriod,
    nextPeriodToSettle,
    claimCount,
    surplus: carry[0],
    deficit: carry[1],
    feesAccrued,
    paused,
    isOpenPool,
    claimTimetable,
    nextPart,
  };
}
