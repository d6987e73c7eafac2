import type { HuzhuClientConfig } from "../clients/client";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";

const ZERO = "0x0000000000000000000000000000000000000000";

export interface GetRecoveryParameters {
  member: Address;
  pool?: Address;
}
export interface GetRecoveryReturnType {
  member: Address;
  /** Paid the member's claims unless a claim names another payee; null when none is named. */
  beneficiary: Address | null;
  /** May name a new wallet for the member without the verifier; null when none. */
  recoveryAddress: Address | null;
  verifierRecoveryOff: boolean;
  /** Signed in the verifier's next recovery attestation; used up by each request it starts and each settings change. */
  nonce: bigint;
  /** A pending recovery, or null. */
  pending: { newWallet: Address; readyAt: bigint; byVerifier: boolean } | null;
}
export type GetRecoveryErrorType = HuzhuError;

/**
 * Reads a member's beneficiary, recovery settings and pending recovery (what an app shows as
 * "recovery pending: cancel it if it is not you").
 * @example
 * const r = await getRecovery(client, { member: me });
 * if (r.pending) console.log(`moves to ${r.pending.newWallet} at ${r.pending.readyAt}`);
 */
export async function getRecovery(
  client: HuzhuClientConfig,
  params: GetRecoveryParameters,
): Promise<GetRecoveryReturnType> {
  const member = checkAddress(params.member, "member");
  const v = await read(client, poolOf(client, params.pool), poolAbi, "recoveryOf", [member]);
  const orNull = (a: string) => (a === ZERO ? null : (a as Address));
  return {
    member,
    beneficiary: orNull(v.beneficiary),
    recoveryAddress: orNull(v.recoveryAddress),
    verifierRecoveryOff: v.verifierRecoveryOff,
    nonce: v.nonce,
    pending:
      v.readyAt === 0n ? null : { newWallet: v.newWallet as Address, readyAt: v.readyAt, byVerifier: v.byVerifier },
  };
}
