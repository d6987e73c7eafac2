import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface AttachReviewParameters {
  claimId: bigint;
  /** Hash of the assessor's off-chain review. */
  reviewDigest: Hex;
  pool?: Address;
}
export type AttachReviewReturnType = TxReceipt;
/** `ConfigUnauthorizedError` (not the assessor), `UnexpectedClaimStateError`, `ClaimAlreadyReviewedError`. */
export type AttachReviewErrorType = HuzhuError;

/**
 * Attaches the assessor's review digest during the commit window. It informs voters; it decides nothing.
 * @example
 * await attachReview(assessorClient, { claimId: 1n, reviewDigest: keccak256(reviewPdf) });
 */
export async function attachReview(
  client: HuzhuClientConfig,
  params: AttachReviewParameters,
): Promise<AttachReviewReturnType> {
  const digest = checkBytes32(params.reviewDigest, "reviewDigest");
  return write(client, poolOf(client, params.pool), poolAbi, "attachReview", [params.claimId, digest]);
}
