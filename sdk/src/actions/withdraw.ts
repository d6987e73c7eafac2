import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAddress, checkAmount } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface WithdrawParameters {
  /** Amount in base units. A counted member keeps the minimum balance; an exited or lapsed one may take all. */
  amount: bigint;
  /** Send it to this address instead of the caller's wallet (`withdrawTo`); only the member chooses. */
  to?: Address;
  pool?: Address;
}
export type WithdrawReturnType = TxReceipt;
/** `MemberInsufficientBalanceError`, `MemberZeroAmountError`, `UnexpectedMemberStatusError`, `MemberInvalidRecipientError`. */
export type WithdrawErrorType = HuzhuError;

/**
 * Withdraws from the caller's balance, to the caller or to another address the caller names.
 * @example
 * const s = await getMemberStatement(client, { member: me });
 * await withdraw(client, { amount: s.balance }); // after exiting
 * await withdraw(client, { amount: parseAmount("50", 6), to: hospital }); // straight to a bill
 */
export async function withdraw(client: HuzhuClientConfig, params: WithdrawParameters): Promise<WithdrawReturnType> {
  const pool = poolOf(client, params.pool);
  const amount = checkAmount(params.amount);
  if (params.to !== undefined) {
    return write(client, pool, poolAbi, "withdrawTo", [amount, checkAddress(params.to, "to")]);
  }
  return write(client, pool, poolAbi, "withdraw", [amount]);
}
