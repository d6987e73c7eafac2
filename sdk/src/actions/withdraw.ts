import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAmount } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface WithdrawParameters {
  /** Amount in base units. A counted member keeps the minimum balance; an exited or lapsed one may take all. */
  amount: bigint;
  pool?: Address;
}
export type WithdrawReturnType = TxReceipt;
/** `MemberInsufficientBalanceError`, `MemberZeroAmountError`, `UnexpectedMemberStatusError`. */
export type WithdrawErrorType = HuzhuError;

/**
 * Withdraws from the caller's balance.
 * @example
 * const s = await getMemberStatement(client, { member: me });
 * await withdraw(client, { amount: s.balance }); // after exiting
 */
export async function withdraw(client: HuzhuClientConfig, params: WithdrawParameters): Promise<WithdrawReturnType> {
  return write(client, poolOf(client, params.pool), poolAbi, "withdraw", [checkAmount(params.amount)]);
}
