import type { HuzhuClientConfig } from "../clients/client";
import type { Address, PeriodApportionment, SettlementPart } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";

export interface GetPeriodParameters {
  period: bigint;
  pool?: Address;
}
export type GetPeriodReturnType = PeriodApportionment;
export type GetPeriodErrorType = HuzhuError;

/**
 * Reads a period's settlement: its parts (members, claims paid, share, charge index) and their
 * totals. Payouts, fee and carry are only in the `PeriodSettled` events (see `settle` and the auditor).
 * @example
 * const p = await getPeriod(client, { period: 3n });
 * if (p.settled) console.log(`each member paid ${formatAmount(p.share, 6)} in ${p.parts.length} part(s)`);
 */
export async function getPeriod(client: HuzhuClientConfig, params: GetPeriodParameters): Promise<GetPeriodReturnType> {
  const pool = poolOf(client, params.pool);
  const [next, nextPart] = await Promise.all([
    read(client, pool, poolAbi, "nextPeriodToSettle", []),
    read(client, pool, poolAbi, "nextPart", []),
  ]);
  // Parts stored so far: all of them for a settled period, `nextPart` of the period being settled.
  const count = params.period < next ? undefined : params.period === next ? nextPart : 0n;
  const parts: SettlementPart[] = [];
  for (let part = 0n; count === undefined || part < count; part++) {
    const s = await read(client, pool, poolAbi, "settlement", [params.period, part]);
    parts.push({ part, ...s });
    if (s.closed || (count === undefined && part > 10_000n)) break;
  }
  const last = parts[parts.length - 1];
  return {
    period: params.period,
    settled: params.period < next,
    parts,
    members: last?.members ?? 0n,
    claimsPaid: parts.reduce((sum, p) => sum + p.claimsPaid, 0n),
    share: parts.reduce((sum, p) => sum + p.share, 0n),
    chargeIndex: last?.chargeIndex ?? 0n,
  };
}
