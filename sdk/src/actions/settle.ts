import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read, write } from "../internal/contract";
import { findEvents } from "../internal/events";

/** One settled part of a period, as its `PeriodSettled` event records it (exact to the base unit). */
export interface SettledPart {
  period: bigint;
  part: bigint;
  members: bigint;
  claimsPaid: bigint;
  payouts: bigint;
  fee: bigint;
  cut: bigint;
  surplusIn: bigint;
  deficitIn: bigint;
  share: bigint;
  surplusOut: bigint;
  deficitOut: bigint;
  chargeIndex: bigint;
  /** The period's last part: the period is closed. */
  closed: boolean;
}

export interface SettleParameters {
  /** The period to settle; defaults to the next one (`nextPeriodToSettle`). */
  period?: bigint;
  pool?: Address;
}
export interface SettleReturnType {
  receipt: TxReceipt;
  /**
   * The parts this call settled: one part of `period` (at most `MAX_CLAIMS_PER_SETTLE` claims), then,
   * once it closed the period, the following ended periods with nothing to pay.
   */
  parts: SettledPart[];
}
/** `PeriodNotEndedError`, `PeriodNotNextError`. */
export type SettleErrorType = HuzhuError;

/** The `PeriodSettled` events of a receipt. */
export function settledParts(receipt: TxReceipt): SettledPart[] {
  return findEvents(receipt, poolAbi, "PeriodSettled").map((e) => ({ ...e.args }));
}

/**
 * Settles the next part of an ended period: pays queued claims (at most `MAX_CLAIMS_PER_SETTLE` a
 * call) and charges every counted member the share. A period with more claims takes several calls;
 * `settleDue` makes them all. Anyone may call.
 * @example
 * const { parts } = await settle(client); // the next period, once it has ended
 * console.log(parts.map((p) => `period ${p.period} part ${p.part}${p.closed ? " (closed)" : ""}`));
 */
export async function settle(client: HuzhuClientConfig, params: SettleParameters = {}): Promise<SettleReturnType> {
  const pool = poolOf(client, params.pool);
  const period = params.period ?? (await read(client, pool, poolAbi, "nextPeriodToSettle", []));
  const receipt = await write(client, pool, poolAbi, "settle", [period]);
  return { receipt, parts: settledParts(receipt) };
}
