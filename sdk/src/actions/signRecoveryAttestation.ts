import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex } from "../core/types";
import { checkAddress, checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";
import { signPoolAttestation } from "../internal/poolSignature";
import type { Attestation } from "./join";

/** The EIP-712 type a verifier signs for a recovery. */
export const recoveryTypes = {
  Recovery: [
    { name: "member", type: "address" },
    { name: "newWallet", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "nonce", type: "uint256" },
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
  /**
   * The member's recovery nonce (`getRecovery(...).nonce`); read from the pool when omitted. The
   * attestation is void once the nonce moves on: the request it starts uses it up, and so does a
   * change of the member's recovery settings.
   */
  nonce?: bigint;
  pool?: Address;
}
export type SignRecoveryAttestationReturnType = Attestation;
export type SignRecoveryAttestationErrorType = HuzhuError;

/**
 * For an identity verifier: signs the EIP-712 attestation
 * `Recovery(address member,address newWallet,bytes32 commitment,uint256 nonce,uint256 deadline)` that
 * the person behind `commitment` now holds `newWallet`. It only starts a 30-day recovery that the
 * member's wallet can cancel, and only once: a cancel voids it; a member who opted out cannot be
 * recovered by it.
 * @example
 * const attestation = await signRecoveryAttestation(verifierClient, { member, newWallet, commitment, deadline });
 */
export async function signRecoveryAttestation(
  client: HuzhuClientConfig,
  params: SignRecoveryAttestationParameters,
): Promise<SignRecoveryAttestationReturnType> {
  const pool = poolOf(client, params.pool);
  const member = checkAddress(params.member, "member");
  const nonce = params.nonce ?? (await read(client, pool, poolAbi, "recoveryOf", [member])).nonce;
  return signPoolAttestation(client, pool, "Recovery", recoveryTypes.Recovery, {
    member,
    newWallet: checkAddress(params.newWallet, "newWallet"),
    commitment: checkBytes32(params.commitment, "commitment"),
    nonce,
    deadline: params.deadline,
  });
}
