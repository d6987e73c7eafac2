import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { checkAddress, checkAmount, checkBytes32 } from "../core/units";
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
  /**
   * Who is paid the approved payout (a hospital, a family member); only that address can withdraw
   * it, and it gains no other power. Omitted: the member's beneficiary if named, else the claimant.
   * The bond's refund always goes to the claimant.
   */
  payee?: Address;
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
 * await submitClaim(client, { amount, evidenceDigest, payee: hospital }); // the hospital is paid
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
  const payee = params.payee === undefined ? undefined : checkAddress(params.payee, "payee");
  const uri = params.uri ?? "";
  // The three-argument function when no payee is named, as before payees existed.
  const simulateClaim = () =>
    payee === undefined
      ? simulate(client, pool, poolAbi, "submitClaim", [amount, evidenceDigest, uri])
      : simulate(client, pool, poolAbi, "submitClaimTo", [amount, evidenceDigest, uri, payee]);
  let allowance;
  if (params.approve !== false) {
    const { claimBond } = await read(client, pool, poolAbi, "rules", []);
    allowance = await ensureAllowance(client, pool, member, claimBond, simulateClaim);
  }
  const receipt =
    payee === undefined
      ? await write(client, pool, poolAbi, "submitClaim", [amount, evidenceDigest, uri], { allowance })
      : await write(client, pool, poolAbi, "submitClaimTo", [amount, evidenceDigest, uri, payee], { allowance });
  const event = findEvent(receipt, poolAbi, "ClaimSubmitted");
  return { claimId: event!.args.claimId, receipt };
}
