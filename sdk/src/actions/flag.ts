import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";
import { findEvents } from "../internal/events";

export interface FlagParameters {
  /** A Waiting or Active member below the minimum balance. */
  member: Address;
  pool?: Address;
}
export interface FlagReturnType {
  receipt: TxReceipt;
  balance: bigint;
  /** From this time (seconds) the member may be lapsed, unless they top up to the minimum first. */
  lapsableAt: bigint;
}
/**
 * `MemberFundedError` (at or above the minimum), `MemberAlreadyFlaggedError`,
 * `UnexpectedMemberStatusError` (not Waiting or Active).
 */
export type FlagErrorType = HuzhuError;

/**
 * Flags a member below the minimum balance: the grace (`lapseGrace`) starts, after which anyone may
 * lapse them if they are still below it. Anyone may call.
 * @example
 * const { lapsableAt } = await flag(client, { member: "0x..." });
 */
export async function flag(client: HuzhuClientConfig, params: FlagParameters): Promise<FlagReturnType> {
  const member = checkAddress(params.member, "member");
  const receipt = await write(client, poolOf(client, params.pool), poolAbi, "flag", [member]);
  const [flagged] = findEvents(receipt, poolAbi, "MemberFlagged");
  return { receipt, balance: flagged.args.balance, lapsableAt: flagged.args.lapsableAt };
}
