import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { MissingAccountError } from "../errors/base";
import { poolAbi, poolOf, read, write } from "../internal/contract";
import { voteCommitment } from "../utils/commitments";
import { deriveVoteSalt } from "./deriveVoteSalt";

export interface CommitVoteParameters {
  claimId: bigint;
  /** true to approve the claim, false to reject it. */
  support: boolean;
  /** Your own salt; by default it is derived from a wallet signature (see `deriveVoteSalt`). */
  salt?: Hex;
  pool?: Address;
}
export interface CommitVoteReturnType {
  receipt: TxReceipt;
  /** The round voted in (a juror sits in one round of a claim): it is part of the commitment. */
  round: bigint;
  /** Keep it if you supplied your own: `revealVote` needs it. */
  salt: Hex;
  commitment: Hex;
}
/**
 * `JurorNotSeatedError` (not on the current round's jury), `VoteZeroCommitmentError`,
 * `UnexpectedClaimStateError` (the jury is not drawn yet, or the commit window is over).
 */
export type CommitVoteErrorType = HuzhuError;

/**
 * Commits a sealed vote as a seated juror during the round's commit window (a later commit replaces
 * it). The commitment binds the claim, the round, the juror, the vote and the salt.
 * @example
 * await commitVote(client, { claimId: 7n, support: true });
 * // ... after the commit window:
 * await revealVote(client, { claimId: 7n, support: true });
 */
export async function commitVote(
  client: HuzhuClientConfig,
  params: CommitVoteParameters,
): Promise<CommitVoteReturnType> {
  const pool = poolOf(client, params.pool);
  const juror = await client.connector.getAddress();
  if (!juror) throw new MissingAccountError();
  const salt = params.salt
    ? checkBytes32(params.salt, "salt")
    : await deriveVoteSalt(client, { claimId: params.claimId, pool });
  const { round } = await read(client, pool, poolAbi, "claim", [params.claimId]);
  const commitment = voteCommitment(params.claimId, round, juror, params.support, salt);
  const receipt = await write(client, pool, poolAbi, "commitDecision", [params.claimId, commitment]);
  return { receipt, round, salt, commitment };
}
