import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { MissingAccountError } from "../errors/base";
import { poolAbi, poolOf, read, simulate, write } from "../internal/contract";
import { findEvents } from "../internal/events";
import { ensureAllowance } from "../internal/token";

export interface AppealParameters {
  claimId: bigint;
  pool?: Address;
  /** Approve the pool for the appeal bond first when the allowance is short (default true). */
  approve?: boolean;
}
export interface AppealReturnType {
  receipt: TxReceipt;
  /** The appeal round opened, whose jury seats `2 x seats + 1`. */
  round: bigint;
  /** The appeal bond posted: refunded to your payout if the appeal round overturns the verdict. */
  bond: bigint;
}
/**
 * `AppealNotAllowedError` (not the claimant against a rejection, nor a jury-eligible member against
 * an approval), `UnexpectedClaimStateError` (no verdict to appeal, the appeal window is over, or no
 * round left).
 */
export type AppealErrorType = HuzhuError;

/**
 * Appeals a claim's standing verdict in its appeal window and posts the pool's appeal bond: the
 * claimant against a rejection, any member eligible for the jury against an approval.
 * @example
 * const { round, bond } = await appeal(client, { claimId: 7n });
 */
export async function appeal(client: HuzhuClientConfig, params: AppealParameters): Promise<AppealReturnType> {
  const pool = poolOf(client, params.pool);
  const appellant = await client.connector.getAddress();
  if (!appellant) throw new MissingAccountError();
  if (params.approve !== false) {
    const { appealBond } = await read(client, pool, poolAbi, "rules", []);
    await ensureAllowance(client, pool, appellant, appealBond, () =>
      simulate(client, pool, poolAbi, "appeal", [params.claimId]),
    );
  }
  const receipt = await write(client, pool, poolAbi, "appeal", [params.claimId]);
  const [filed] = findEvents(receipt, poolAbi, "AppealFiled");
  return { receipt, round: filed.args.round, bond: filed.args.bond };
}
