import type { HuzhuClientConfig } from "../clients/client";
import type { Address, ClaimInfo } from "../core/types";
import { ClaimState, nameOf } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";

export interface GetClaimParameters {
  claimId: bigint;
  pool?: Address;
}
export type GetClaimReturnType = ClaimInfo;
export type GetClaimErrorType = HuzhuError;

/**
 * Reads a claim with its state, windows and tally (`state` is `None` for an unknown id).
 * @example
 * const c = await getClaim(client, { claimId: 7n });
 * console.log(c.stateName, c.approvals, c.rejections);
 */
export async function getClaim(client: HuzhuClientConfig, params: GetClaimParameters): Promise<GetClaimReturnType> {
  const c = await read(client, poolOf(client, params.pool), poolAbi, "claim", [params.claimId]);
  const state = c.state as ClaimState;
  return { id: params.claimId, ...c, state, stateName: nameOf(ClaimState, state) };
}
