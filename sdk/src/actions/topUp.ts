import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAmount } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { MissingAccountError } from "../errors/base";
import { poolAbi, poolOf, simulate, write } from "../internal/contract";
import { ensureAllowance } from "../internal/token";

export interface TopUpParameters {
  /** Amount to add, in base units. */
  amount: bigint;
  pool?: Address;
  /** Approve the pool first when the allowance is short (default true). */
  approve?: boolean;
}
export type TopUpReturnType = TxReceipt;
/** `MemberZeroAmountError`, `UnexpectedMemberStatusError` (not counted), token errors. */
export type TopUpErrorType = HuzhuError;

/**
 * Adds to the caller's balance, keeping them above the minimum balance. Calls the pool's
 * `addToMemberFunds` (named for its early selector; see IMemberRegistry).
 * @example
 * await topUp(client, { amount: parseAmount("10", 6) });
 */
export async function topUp(client: HuzhuClientConfig, params: TopUpParameters): Promise<TopUpReturnType> {
  const pool = poolOf(client, params.pool);
  const amount = checkAmount(params.amount);
  const member = await client.connector.getAddress();
  if (!member) throw new MissingAccountError();
  const allowance =
    params.approve === false
      ? undefined
      : await ensureAllowance(client, pool, member, amount, () =>
          simulate(client, pool, poolAbi, "addToMemberFunds", [amount]),
        );
  return write(client, pool, poolAbi, "addToMemberFunds", [amount], { allowance });
}
