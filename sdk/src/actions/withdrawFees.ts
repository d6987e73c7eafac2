import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface WithdrawFeesParameters {
  pool?: Address;
}
export type WithdrawFeesReturnType = TxReceipt;
/** `ConfigUnauthorizedError` (not the operator), `EscrowNothingToWithdrawError`. */
export type WithdrawFeesErrorType = HuzhuError;

/**
 * Sends the accrued fee to the operator. Only the operator.
 * @example
 * await withdrawFees(operatorClient);
 */
export async function withdrawFees(
  client: HuzhuClientConfig,
  params: WithdrawFeesParameters = {},
): Promise<WithdrawFeesReturnType> {
  return write(client, poolOf(client, params.pool), poolAbi, "withdrawFees", []);
}
