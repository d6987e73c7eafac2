import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { InvalidParameterError } from "../errors/base";
import { PeriodNotNextError } from "../errors/generated";
import { poolAbi, poolOf, read, write } from "../internal/contract";

export interface SettleDueParameters {
  /** Settle at most this many periods (all that have ended by default). */
  maxPeriods?: number;
  pool?: Address;
  /** Called (and awaited) after each period is settled, e.g. to log progress. */
  onSettled?: (settled: SettledPeriod) => unknown;
}
export interface SettledPeriod {
  period: bigint;
  receipt: TxReceipt;
}
/** The periods settled, in order (empty when none had ended). */
export type SettleDueReturnType = SettledPeriod[];
/** As `settle`; `InvalidParameterError` for a `maxPeriods` that is not a positive integer. */
export type SettleDueErrorType = HuzhuError;

/**
 * Settles every ended period, oldest first, one `settle` transaction each, until the next period to
 * settle has not ended yet (by the latest block's time). A period another keeper settles meanwhile is
 * skipped, not an error. Anyone may call.
 * @example
 * const settled = await settleDue(client); // [{ period: 3n, receipt }, { period: 4n, receipt }]
 */
export async function settleDue(
  client: HuzhuClientConfig,
  params: SettleDueParameters = {},
): Promise<SettleDueReturnType> {
  const pool = poolOf(client, params.pool);
  const max = params.maxPeriods ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(max) || max < 1)
    throw new InvalidParameterError("maxPeriods", "must be a positive integer");
  const settled: SettledPeriod[] = [];
  while (settled.length < max) {
    const period = await read(client, pool, poolAbi, "nextPeriodToSettle", []);
    const [end, now] = await Promise.all([
      read(client, pool, poolAbi, "periodEnd", [period]),
      client.connector.getTimestamp(),
    ]);
    if (now < end) break;
    try {
      const receipt = await write(client, pool, poolAbi, "settle", [period]);
      settled.push({ period, receipt });
      await params.onSettled?.({ period, receipt });
    } catch (error) {
      // Another keeper settled it first: go on with the next one.
      if (!(error instanceof PeriodNotNextError)) throw error;
    }
  }
  return settled;
}
