import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { checkAmount, checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { MissingAccountError } from "../errors/base";
import { poolAbi, poolOf, read, simulate, write } from "../internal/contract";
import { findEvent } from "../internal/events";
import { ensureAllowance } from "../internal/token";

export interface SubmitClaimParameters {
  /** Requested payout in base units, at most the pool's maximum claim. */
  amount: bigint;
  /** Hash of the off-chain evidence (never the evidence itself). */
  evidenceDigest: Hex;
  /** Optional location of the encrypted evidence. */
  uri?: string;
  pool?: Address;
  /** Approve the pool for the bond first when the allowance is short (default true). */
  approve?: boolean;
}
export interface SubmitClaimReturnType {
  claimId: bigint;
  receipt: TxReceipt;
}
/** `ClaimantNotActiveError`, `ClaimantUnderfundedError`, `ClaimAlreadyOpenError`, `ClaimAmountOutOfRangeError`, ... */
export type SubmitClaimErrorType = HuzhuError;

/**
 * Submits a claim and posts the pool's bond.
 * @example
 * const { claimId } = await submitClaim(client, { amount: parseAmount("5000", 6), evidenceDigest: keccak256(pdfBytes) });
 */
export async function submitClaim(
  client: HuzhuClientConfig,
  params: SubmitClaimParameters,
): Promise<SubmitClaimReturnType> {
  const pool = poolOf(client, params.pool);
  const amount = checkAmount(params.amount);
  const evidenceDigest = checkBytes32(params.evidenceDigest, "evidenceDigest");
  const member = await client.connector.getAddress();
  if (!member) throw new MissingAccountError();
  let allowance;
  if (params.approve !== false) {
    const { claimBond } = await read(client, pool, poolAbi, "rules", []);
    allowance = await ensureAllowance(client, pool, member, claimBond, () =>
      simulate(client, pool, poolAbi, "submitClaim", [amount, evidenceDigest, params.uri ?? ""]),
    );
  }
  const receipt = await write(client, pool, poolAbi, "submitClaim", [amount, evidenceDigest, params.uri ?? ""], {
    allowance,
  });
  const event = findEvent(receipt, poolAbi, "ClaimSubmitted");
  return { claimId: event!.args.claimId, receipt };
}
