import type { HuzhuClientConfig } from "../clients/client";
import type { Address, PeriodApportionment } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";

export interface GetPeriodParameters {
  period: bigint;
  pool?: Address;
}
export type GetPeriodReturnType = PeriodApportionment;
export type GetPeriodErrorType = HuzhuError;

/**
 * Reads a period's apportionment: members, claims paid, payouts, fee, share, carry in and out.
 * @example
 * const p = await getPeriod(client, { period: 3n });
 * if (p.settled) console.log(`each member paid ${formatAmount(p.share, 6)}`);
 */
export async function getPeriod(client: HuzhuClientConfig, params: GetPeriodParameters): Promise<GetPeriodReturnType> {
  const pool = poolOf(client, params.pool);
  const [s, next] = await Promise.all([
    read(client, pool, poolAbi, "settlement", [params.period]),
    read(client, pool, poolAbi, "nextPeriodToSettle", []),
  ]);
  return { period: params.period, settled: params.period < next, ...s };
}
