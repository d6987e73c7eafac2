import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { MissingAccountError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";
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
  /** Keep it if you supplied your own: `revealVote` needs it. */
  salt: Hex;
  commitment: Hex;
}
/** `VoterNotEligibleError`, `VoterIsClaimantError`, `UnexpectedClaimStateError` (outside the commit window). */
export type CommitVoteErrorType = HuzhuError;

/**
 * Commits a sealed vote during the commit window (a later commit replaces it).
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
  const voter = await client.connector.getAddress();
  if (!voter) throw new MissingAccountError();
  const salt = params.salt
    ? checkBytes32(params.salt, "salt")
    : await deriveVoteSalt(client, { claimId: params.claimId, pool });
  const commitment = voteCommitment(params.claimId, voter, params.support, salt);
  const receipt = await write(client, pool, poolAbi, "commitVote", [params.claimId, commitment]);
  return { receipt, salt, commitment };
}
