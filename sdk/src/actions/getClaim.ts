import type { HuzhuClientConfig } from "../clients/client";
import type { Address, ClaimInfo } from "../core/types";
import { ClaimState, Verdict, nameOf } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";

export interface GetClaimParameters {
  claimId: bigint;
  pool?: Address;
}
export type GetClaimReturnType = ClaimInfo;
export type GetClaimErrorType = HuzhuError;

/**
 * Reads a claim with its state, current round, standing verdict and the end of its timetable
 * (`state` is `None` for an unknown id). Each round's jury and tally: `getRound`.
 * @example
 * const c = await getClaim(client, { claimId: 7n });
 * console.log(c.stateName, `round ${c.round}`, c.verdictName, `final at ${c.resolvesAt}`);
 */
export async function getClaim(client: HuzhuClientConfig, params: GetClaimParameters): Promise<GetClaimReturnType> {
  const c = await read(client, poolOf(client, params.pool), poolAbi, "claim", [params.claimId]);
  const state = c.state as ClaimState;
  const verdict = c.verdict as Verdict;
  return {
    id: params.claimId,
    ...c,
    state,
    stateName: nameOf(ClaimState, state),
    verdict,
    verdictName: nameOf(Verdict, verdict),
  };
}
