import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex } from "../core/types";
import { checkAddress, checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolOf } from "../internal/contract";
import { signPoolAttestation } from "../internal/poolSignature";
import type { Attestation } from "./join";

/** The EIP-712 type a verifier signs for a join. */
export const attestationTypes = {
  Attestation: [
    { name: "member", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export interface SignAttestationParameters {
  /** The wallet that will join. */
  member: Address;
  commitment: Hex;
  /** Last second the attestation is valid. */
  deadline: bigint;
  pool?: Address;
}
export type SignAttestationReturnType = Attestation;
export type SignAttestationErrorType = HuzhuError;

/**
 * For an identity verifier: signs the EIP-712 attestation that `commitment` is a real, unique person
 * joining from `member`. The signature binds the pool and chain; it cannot join anyone by itself.
 * @example
 * const attestation = await signAttestation(verifierClient, { member, commitment, deadline: now + 86_400n });
 * await join(memberClient, { amount, commitment, attestation });
 */
export async function signAttestation(
  client: HuzhuClientConfig,
  params: SignAttestationParameters,
): Promise<SignAttestationReturnType> {
  return signPoolAttestation(client, poolOf(client, params.pool), "Attestation", attestationTypes.Attestation, {
    member: checkAddress(params.member, "member"),
    commitment: checkBytes32(params.commitment, "commitment"),
    deadline: params.deadline,
  });
}
