import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface CompleteRecoveryParameters {
  /** The identity commitment of the member being recovered. */
  commitment: Hex;
  pool?: Address;
}
export type CompleteRecoveryReturnType = TxReceipt;
/**
 * `RecoveryNotPendingError`, `RecoveryNotReadyError` (before `readyAt`), `RecoveryClaimOpenError`
 * (the member's claim is not paid or closed yet), `RecoveryVerifierOptedOutError`, `RecoveryInvalidWalletError`.
 */
export type CompleteRecoveryErrorType = HuzhuError;

/**
 * Completes a pending recovery once its 30 days are over: the membership (status, seasoning,
 * balance, exit notice, place in the juror set, settings) moves to the new wallet. Anyone may call.
 * Payouts already credited stay with the account they were credited to.
 * @example
 * await completeRecovery(client, { commitment });
 */
export async function completeRecovery(
  client: HuzhuClientConfig,
  params: CompleteRecoveryParameters,
): Promise<CompleteRecoveryReturnType> {
  return write(client, poolOf(client, params.pool), poolAbi, "completeRecovery", [
    checkBytes32(params.commitment, "commitment"),
  ]);
}
