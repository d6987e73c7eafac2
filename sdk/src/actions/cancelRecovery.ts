import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { MissingAccountError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface CancelRecoveryParameters {
  /** The member whose pending recovery to cancel (default: the caller, who is that member). */
  member?: Address;
  pool?: Address;
}
export type CancelRecoveryReturnType = TxReceipt;
/** `RecoveryNotPendingError`, `RecoveryNotAuthorizedError` (only the member's wallet or its recovery address). */
export type CancelRecoveryErrorType = HuzhuError;

/**
 * Cancels a pending recovery of the member's membership: one call by the member's wallet (or its
 * recovery address) stops any recovery, the verifier's included.
 * @example
 * await cancelRecovery(client); // the caller's own membership
 */
export async function cancelRecovery(
  client: HuzhuClientConfig,
  params: CancelRecoveryParameters = {},
): Promise<CancelRecoveryReturnType> {
  let member = params.member;
  if (member === undefined) {
    member = await client.connector.getAddress();
    if (!member) throw new MissingAccountError();
  }
  return write(client, poolOf(client, params.pool), poolAbi, "cancelRecovery", [checkAddress(member, "member")]);
}
