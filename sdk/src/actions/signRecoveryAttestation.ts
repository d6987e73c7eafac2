import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex } from "../core/types";
import { checkAddress, checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolOf } from "../internal/contract";
import type { Attestation } from "./join";

/** The EIP-712 type a verifier signs for a recovery. */
export const recoveryTypes = {
  Recovery: [
    { name: "member", type: "address" },
    { name: "newWallet", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export interface SignRecoveryAttestationParameters {
  /** The member's current (lost) wallet. */
  member: Address;
  /** The wallet the verifier has checked belongs to the same person. */
  newWallet: Address;
  commitment: Hex;
  /** Last second the attestation may start a recovery. */
  deadline: bigint;
  pool?: Address;
}
export type SignRecoveryAttestationReturnType = Attestation;
export type SignRecoveryAttestationErrorType = HuzhuError;

/**
 * For an identity verifier: signs the EIP-712 attestation
 * `Recovery(address member,address newWallet,bytes32 commitment,uint256 deadline)` that the person
 * behind `commitment` now holds `newWallet`. It only starts a 30-day recovery that the member's
 * wallet can cancel; a member who opted out cannot be recovered by it.
 * @example
 * const attestation = await signRecoveryAttestation(verifierClient, { member, newWallet, commitment, deadline });
 */
export async function signRecoveryAttestation(
  client: HuzhuClientConfig,
  params: SignRecoveryAttestationParameters,
): Promise<SignRecoveryAttestationReturnType> {
  const pool = poolOf(client, params.pool);
  const signature = await client.connector.signTypedData({
    domain: { name: "Huzhu Pool", version: "1", chainId: await client.connector.getChainId(), verifyingContract: pool },
    types: { Recovery: [...recoveryTypes.Recovery] },
    primaryType: "Recovery",
    message: {
      member: checkAddress(params.member, "member"),
      newWallet: checkAddress(params.newWallet, "newWallet"),
      commitment: checkBytes32(params.commitment, "commitment"),
      deadline: params.deadline,
    },
  });
  return { deadline: params.deadline, signature };
}
