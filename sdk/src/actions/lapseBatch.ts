import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";
import { findEvents } from "../internal/events";

export interface LapseBatchParameters {
  /** Members to flag or lapse; funded ones, flagged ones in their grace and non-members are skipped. */
  members: Address[];
  pool?: Address;
}
export interface LapseBatchReturnType {
  receipt: TxReceipt;
  /** Members flagged by this call (below the minimum, not flagged before). */
  flagged: Address[];
  /** Members lapsed by this call (flagged, grace over, still below the minimum). */
  lapsed: Address[];
}
export type LapseBatchErrorType = HuzhuError;

/**
 * The keeper's duty in one transaction: flags every listed member below the minimum balance that is
 * not flagged yet, and lapses every flagged one whose grace is over. Its gas grows with the list only.
 * @example
 * const underfunded = await getUnderfundedMembers(client);
 * const { flagged, lapsed } = await lapseBatch(client, { members: underfunded.map((m) => m.member) });
 */
export async function lapseBatch(
  client: HuzhuClientConfig,
  params: LapseBatchParameters,
): Promise<LapseBatchReturnType> {
  const members = params.members.map((m, i) => checkAddress(m, `members[${i}]`));
  const receipt = await write(client, poolOf(client, params.pool), poolAbi, "lapseBatch", [members]);
  return {
    receipt,
    flagged: findEvents(receipt, poolAbi, "MemberFlagged").map((e) => e.args.member as Address),
    lapsed: findEvents(receipt, poolAbi, "MemberLapsing").map((e) => e.args.member as Address),
  };
}
