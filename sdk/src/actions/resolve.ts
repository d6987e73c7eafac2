import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface ResolveParameters {
  /** Resolve every pending claim up to and including this one (their reveal windows must have ended). */
  claimId: bigint;
  pool?: Address;
}
export type ResolveReturnType = TxReceipt;
/** `UnexpectedClaimStateError` when the claim is unknown, still under vote, or already resolved. */
export type ResolveErrorType = HuzhuError;

/**
 * Records the outcome of the pending claims up to `claimId`, in order. Anyone may call.
 * @example
 * await resolve(client, { claimId: 3n });
 */
export async function resolve(client: HuzhuClientConfig, params: ResolveParameters): Promise<ResolveReturnType> {
  return write(client, poolOf(client, params.pool), poolAbi, "resolve", [params.claimId]);
}
