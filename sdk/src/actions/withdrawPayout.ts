import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface WithdrawPayoutParameters {
  pool?: Address;
}
export type WithdrawPayoutReturnType = TxReceipt;
/** `EscrowNothingToWithdrawError` when nothing is due. */
export type WithdrawPayoutErrorType = HuzhuError;

/**
 * Takes every payout credited to the caller: approved claims and refunded bonds.
 * @example
 * await withdrawPayout(client);
 */
export async function withdrawPayout(
  client: HuzhuClientConfig,
  params: WithdrawPayoutParameters = {},
): Promise<WithdrawPayoutReturnType> {
  return write(client, poolOf(client, params.pool), poolAbi, "withdrawPayout", []);
}
