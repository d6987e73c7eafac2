import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Hex } from "../core/types";
import { checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { confirm, toSdkError } from "../internal/contract";

export interface WaitForTransactionParameters {
  /** The transaction's hash, e.g. from a `TransactionTimeoutError`. */
  hash: Hex;
  /** How long to wait; default the client's `receiptTimeoutMs` (3 minutes). */
  timeoutMs?: number;
}
export type WaitForTransactionReturnType = TxReceipt;
/** `TransactionTimeoutError` (again), `TransactionRevertedError` (with the contract's error as `reason`), `TransactionReplacedError`, `TransactionDroppedError`, `RpcUnavailableError`. */
export type WaitForTransactionErrorType = HuzhuError;

/**
 * Waits for a transaction the SDK sent: resumes after a `TransactionTimeoutError`, whose message
 * gives the hash. Returns the receipt once it is mined and succeeded.
 * @example
 * try {
 *   await topUp(client, { amount });
 * } catch (error) {
 *   if (error instanceof TransactionTimeoutError) await waitForTransaction(client, { hash: error.hash, timeoutMs: 600_000 });
 *   else throw error;
 * }
 */
export async function waitForTransaction(
  client: HuzhuClientConfig,
  params: WaitForTransactionParameters,
): Promise<WaitForTransactionReturnType> {
  const hash = checkBytes32(params.hash, "hash");
  try {
    return await confirm(client, hash, params.timeoutMs);
  } catch (error) {
    throw toSdkError(error);
  }
}
