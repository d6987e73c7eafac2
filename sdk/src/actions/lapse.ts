import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface LapseParameters {
  /** A counted member below the minimum balance. */
  member: Address;
  pool?: Address;
}
export type LapseReturnType = TxReceipt;
/** `MemberFundedError` for a member in good standing; `UnexpectedMemberStatusError` if not counted. */
export type LapseErrorType = HuzhuError;

/**
 * Takes an underfunded member out of the count (a keeper duty; anyone may call).
 * @example
 * for (const m of await getUnderfundedMembers(client)) await lapse(client, { member: m.member });
 */
export async function lapse(client: HuzhuClientConfig, params: LapseParameters): Promise<LapseReturnType> {
  return write(client, poolOf(client, params.pool), poolAbi, "lapse", [checkAddress(params.member, "member")]);
}
