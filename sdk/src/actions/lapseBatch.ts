import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";
import { findEvent } from "../internal/events";

export interface LapseBatchParameters {
  /** Members to lapse; funded ones and non-members are skipped. */
  members: Address[];
  pool?: Address;
}
export interface LapseBatchReturnType {
  receipt: TxReceipt;
  /** How many were lapsed. */
  lapsed: number;
}
export type LapseBatchErrorType = HuzhuError;

/**
 * Lapses every listed member below the minimum balance in one transaction; its gas grows with the list only.
 * @example
 * const underfunded = await getUnderfundedMembers(client);
 * await lapseBatch(client, { members: underfunded.map((m) => m.member) });
 */
export async function lapseBatch(
  client: HuzhuClientConfig,
  params: LapseBatchParameters,
): Promise<LapseBatchReturnType> {
  const members = params.members.map((m, i) => checkAddress(m, `members[${i}]`));
  const receipt = await write(client, poolOf(client, params.pool), poolAbi, "lapseBatch", [members]);
  let lapsed = 0;
  for (const log of receipt.logs) {
    if (findEvent({ ...receipt, logs: [log] }, poolAbi, "MemberLeft")) lapsed++;
  }
  return { receipt, lapsed };
}
