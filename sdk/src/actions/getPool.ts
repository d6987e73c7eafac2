import type { HuzhuClientConfig } from "../clients/client";
import type { Address, PoolInfo } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { erc20PermitAbi, poolAbi, poolOf, read } from "../internal/contract";

export interface GetPoolParameters {
  pool?: Address;
}
export type GetPoolReturnType = PoolInfo;
export type GetPoolErrorType = HuzhuError;

/**
 * Reads a pool's rules, roles, token and live figures (member count, charge index, periods, carry,
 * fees), whether it is open (no identity verifier) and a claim's timetable.
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
  ] = await Promise.all([
    read(client, pool, poolAbi, "rules", []),
    read(client, pool, poolAbi, "roles", []),
    read(client, pool, poolAbi, "startedAt", []),
    read(client, pool, poolAbi, "memberCount", []),
    read(client, pool, poolAbi, "chargeIndex", []),
    read(client, pool, poolAbi, "currentPeriod", []),
    read(client, pool, poolAbi, "nextPeriodToSettle", []),
    read(client, pool, poolAbi, "claimCount", []),
    read(client, pool, poolAbi, "carry", []),
    read(client, pool, poolAbi, "feesAccrued", []),
    read(client, pool, poolAbi, "paused", []),
    read(client, pool, poolAbi, "isOpenPool", []),
    read(client, pool, poolAbi, "claimTimetable", []),
    read(client, pool, poolAbi, "nextPart", []),
  ]);
  const [symbol, decimals] = await Promise.all([
    read(client, rules.asset, erc20PermitAbi, "symbol", []),
    read(client, rules.asset, erc20PermitAbi, "decimals", []),
  ]);
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
