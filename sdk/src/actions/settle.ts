import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read, write } from "../internal/contract";

export interface SettleParameters {
  /** The period to settle; defaults to the next one (`nextPeriodToSettle`). */
  period?: bigint;
  pool?: Address;
}
export type SettleReturnType = TxReceipt;
/** `PeriodNotEndedError`, `PeriodNotNextError`. */
export type SettleErrorType = HuzhuError;

/**
 * Settles an ended period: pays queued approved claims and charges every counted member the share. Anyone may call.
 * @example
 * await settle(client); // the next period, once it has ended
 */
export async function settle(client: HuzhuClientConfig, params: SettleParameters = {}): Promise<SettleReturnType> {
  const pool = poolOf(client, params.pool);
  const period = params.period ?? (await read(client, pool, poolAbi, "nextPeriodToSettle", []));
  return write(client, pool, poolAbi, "settle", [period]);
}
