import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

const ZERO = "0x0000000000000000000000000000000000000000";

export interface SetRecoveryOptionsParameters {
  /**
   * An address of the member's own (a second device, a relative) that may name a new wallet for
   * the membership if the member's wallet is lost; the change still waits 30 days, during which
   * the member's wallet can cancel it. Omitted or zero: none.
   */
  recoveryAddress?: Address;
  /** Refuse recovery by the pool's identity verifier (default false: the verifier may recover). */
  verifierRecoveryOff?: boolean;
  pool?: Address;
}
export type SetRecoveryOptionsReturnType = TxReceipt;
/** `UnexpectedMemberStatusError` for a non-member. */
export type SetRecoveryOptionsErrorType = HuzhuError;

/**
 * Sets the caller's recovery address and whether the identity verifier may recover the membership.
 * Both settings are replaced by each call.
 * @example
 * await setRecoveryOptions(client, { recoveryAddress: "0x...", verifierRecoveryOff: true });
 */
export async function setRecoveryOptions(
  client: HuzhuClientConfig,
  params: SetRecoveryOptionsParameters,
): Promise<SetRecoveryOptionsReturnType> {
  const recoveryAddress = checkAddress(params.recoveryAddress ?? ZERO, "recoveryAddress");
  return write(client, poolOf(client, params.pool), poolAbi, "setRecoveryOptions", [
    recoveryAddress,
    params.verifierRecoveryOff ?? false,
  ]);
}
