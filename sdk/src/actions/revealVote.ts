import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";
import { deriveVoteSalt } from "./deriveVoteSalt";

export interface RevealVoteParameters {
  claimId: bigint;
  /** The vote committed. */
  support: boolean;
  /** The salt committed with; derived again from the wallet when omitted. */
  salt?: Hex;
  pool?: Address;
}
export type RevealVoteReturnType = TxReceipt;
/**
 * `VoteRevealMismatchError` (another vote or salt), `VoteNotCommittedError`, `JurorNotSeatedError`,
 * `UnexpectedClaimStateError` (outside the reveal window).
 */
export type RevealVoteErrorType = HuzhuError;

/**
 * Reveals a seated juror's committed vote during the round's reveal window.
 * @example
 * await revealVote(client, { claimId: 7n, support: true });
 */
export async function revealVote(
  client: HuzhuClientConfig,
  params: RevealVoteParameters,
): Promise<RevealVoteReturnType> {
  const pool = poolOf(client, params.pool);
  const salt = params.salt
    ? checkBytes32(params.salt, "salt")
    : await deriveVoteSalt(client, { claimId: params.claimId, pool });
  return write(client, pool, poolAbi, "revealDecision", [params.claimId, params.support, salt]);
}
