import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { checkAddress, checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";
import type { Attestation } from "./join";

export interface RequestRecoveryParameters {
  /** The identity commitment the member joined with (public: it is in their `MemberJoined` event). */
  commitment: Hex;
  /** The wallet the membership moves to; it must never have been a member of the pool. */
  newWallet: Address;
  /**
   * The verifier's recovery attestation (`signRecoveryAttestation`). Omit it when the caller is the
   * member's recovery address.
   */
  attestation?: Attestation;
  pool?: Address;
}
export type RequestRecoveryReturnType = TxReceipt;
/**
 * `RecoveryUnknownCommitmentError`, `RecoveryInvalidWalletError`, `RecoveryNotAuthorizedError`,
 * `RecoveryVerifierOptedOutError`, `RecoveryAttestationInvalidError`, `MemberAttestationExpiredError`,
 * `RecoveryAlreadyPendingError`.
 */
export type RequestRecoveryErrorType = HuzhuError;

/**
 * Starts moving a membership whose wallet is lost to `newWallet`: by the member's recovery address,
 * or by anyone holding the verifier's attestation. It completes 30 days later (`completeRecovery`)
 * unless the member's wallet cancels it meanwhile.
 * @example
 * const attestation = await signRecoveryAttestation(verifierClient, { member, newWallet, commitment, deadline });
 * await requestRecovery(newWalletClient, { commitment, newWallet, attestation });
 */
export async function requestRecovery(
  client: HuzhuClientConfig,
  params: RequestRecoveryParameters,
): Promise<RequestRecoveryReturnType> {
  const attestation = params.attestation ?? { deadline: 0n, signature: "0x" as Hex };
  return write(client, poolOf(client, params.pool), poolAbi, "requestRecovery", [
    checkBytes32(params.commitment, "commitment"),
    checkAddress(params.newWallet, "newWallet"),
    attestation.deadline,
    attestation.signature,
  ]);
}
