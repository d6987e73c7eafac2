import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface LapseParameters {
  /** A flagged member whose grace is over and who is still below the minimum balance. */
  member: Address;
  pool?: Address;
}
export type LapseReturnType = TxReceipt;
/**
 * `MemberGraceNotOverError` (flagged, grace running; also for a member never flagged: `lapsableAt` 0),
 * `MemberFundedError` (topped up meanwhile), `UnexpectedMemberStatusError` (not Waiting or Active).
 */
export type LapseErrorType = HuzhuError;

/**
 * Lapses a flagged member after the grace: a forced exit notice (status `Lapsing`). They stay counted,
 * and paying, until every claim submitted before it is final and paid; then `completeExit` makes them
 * `Lapsed`. Anyone may call; `flag` first (or use `lapseBatch`, which flags and lapses).
 * @example
 * await flag(client, { member });
 * // ... lapseGrace later, if still below the minimum:
 * await lapse(client, { member });
 */
export async function lapse(client: HuzhuClientConfig, params: LapseParameters): Promise<LapseReturnType> {
  return write(client, poolOf(client, params.pool), poolAbi, "lapse", [checkAddress(params.member, "member")]);
}
