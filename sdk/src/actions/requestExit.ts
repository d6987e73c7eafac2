import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface RequestExitParameters {
  pool?: Address;
}
export type RequestExitReturnType = TxReceipt;
/** `UnexpectedMemberStatusError` when the caller is not a counted member or already exiting. */
export type RequestExitErrorType = HuzhuError;

/**
 * Asks to leave the pool. The member stays counted, and pays, until every claim submitted before
 * now is settled or rejected; then `completeExit` takes them out and they withdraw their balance.
 * @example
 * await requestExit(client);
 */
export async function requestExit(
  client: HuzhuClientConfig,
  params: RequestExitParameters = {},
): Promise<RequestExitReturnType> {
  return write(client, poolOf(client, params.pool), poolAbi, "requestExit", []);
}
