import type { HuzhuClientConfig } from "../clients/client";
import type { Address, RoundInfo } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";

export interface GetRoundParameters {
  claimId: bigint;
  /** The round (0 is the first jury); defaults to the claim's current round. */
  round?: bigint;
  pool?: Address;
}
export type GetRoundReturnType = RoundInfo;
export type GetRoundErrorType = HuzhuError;

/**
 * Reads one jury round of a claim: its seed, seats, quorum, tally, windows and jurors.
 * @example
 * const r = await getRound(client, { claimId: 7n });
 * console.log(`round ${r.round}: ${r.seats}/${r.seatsTarget} seated, commit until ${r.commitEndsAt}`);
 */
export async function getRound(client: HuzhuClientConfig, params: GetRoundParameters): Promise<GetRoundReturnType> {
  const pool = poolOf(client, params.pool);
  const round = params.round ?? (await read(client, pool, poolAbi, "claim", [params.claimId])).round;
  const [r, jurors] = await Promise.all([
    read(client, pool, poolAbi, "round", [params.claimId, round]),
    read(client, pool, poolAbi, "jury", [params.claimId, round]),
  ]);
  return { claimId: params.claimId, round, ...r, jurors: [...jurors] as Address[] };
}
