import { InvalidParameterError } from "../errors/base";
import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read, write } from "../internal/contract";
import { settledParts, type SettledPart } from "./settle";

export interface SettleDueParameters {
  pool?: Address;
  /** Stop after this many transactions (default 1,000), e.g. to spread a long backlog over blocks. */
  maxCalls?: number;
  /** Called after each transaction. */
  onPart?: (parts: SettledPart[], receipt: TxReceipt) => void;
}
export interface SettleDueReturnType {
  receipts: TxReceipt[];
  /** Every part settled, in order. */
  parts: SettledPart[];
  /** The first period not settled yet (it has not ended, unless `maxCalls` stopped the loop). */
  nextPeriodToSettle: bigint;
}
export type SettleDueErrorType = HuzhuError;

/**
 * Settles every ended period, part after part, until `nextPeriodToSettle` is a period that has not
 * ended. Anyone may call (a keeper duty).
 * @example
 * const { parts, nextPeriodToSettle } = await settleDue(client);
 * console.log(`${parts.length} parts settled; period ${nextPeriodToSettle} is open`);
 */
export async function settleDue(
  client: HuzhuClientConfig,
  params: SettleDueParameters = {},
): Promise<SettleDueReturnType> {
  const pool = poolOf(client, params.pool);
  const maxCalls = params.maxCalls ?? 1_000;
  if (!Number.isInteger(maxCalls) || maxCalls < 1)
    throw new InvalidParameterError("maxCalls", "must be a positive integer");
  const receipts: TxReceipt[] = [];
  const parts: SettledPart[] = [];
  for (;;) {
    const next = await read(client, pool, poolAbi, "nextPeriodToSettle", []);
    const [end, now] = await Promise.all([
      read(client, pool, poolAbi, "periodEnd", [next]),
      client.connector.getTimestamp(),
    ]);
    if (end > now || receipts.length >= maxCalls) return { receipts, parts, nextPeriodToSettle: next };
    const receipt = await write(client, pool, poolAbi, "settle", [next]);
    const settled = settledParts(receipt);
    receipts.push(receipt);
    parts.push(...settled);
    params.onPart?.(settled, receipt);
  }
}
