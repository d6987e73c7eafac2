import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface CompleteExitParameters {
  /** The exiting member; anyone may complete a served exit. */
  member: Address;
  pool?: Address;
}
export type CompleteExitReturnType = TxReceipt;
/** `MemberExitNotReadyError` while earlier claims are open; `UnexpectedMemberStatusError` if not exiting. */
export type CompleteExitErrorType = HuzhuError;

/**
 * Takes an exiting member out of the count once every claim submitted before their request is done.
 * @example
 * await completeExit(client, { member: "0x..." });
 */
export async function completeExit(
  client: HuzhuClientConfig,
  params: CompleteExitParameters,
): Promise<CompleteExitReturnType> {
  return write(client, poolOf(client, params.pool), poolAbi, "completeExit", [checkAddress(params.member, "member")]);
}
