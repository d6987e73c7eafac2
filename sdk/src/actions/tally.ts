import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { Verdict, nameOf } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";
import { findEvents } from "../internal/events";

export interface TallyParameters {
  claimId: bigint;
  pool?: Address;
}
export interface TallyReturnType {
  receipt: TxReceipt;
  round: bigint;
  approvals: bigint;
  rejections: bigint;
  /** Revealed votes the round needed. */
  quorum: bigint;
  /** `None` when the round fell short of quorum. */
  verdict: Verdict;
  verdictName: keyof typeof Verdict;
  /** Seated jurors who did not reveal, and what each paid into the surplus. */
  penalized: Array<{ juror: Address; amount: bigint }>;
  /** The round a short-of-quorum tally opened for a fresh jury, if one was left. */
  nextRound?: bigint;
}
/** `UnexpectedClaimStateError` before the reveal window has ended, or when the round is tallied already. */
export type TallyErrorType = HuzhuError;

/**
 * Closes a claim's current round after its reveal window: penalizes the jurors who did not reveal
 * and records the verdict; short of quorum, a fresh jury's round opens if one is left. Anyone may call.
 * @example
 * const t = await tally(client, { claimId: 7n });
 * console.log(`${t.verdictName}: ${t.approvals} for, ${t.rejections} against (quorum ${t.quorum})`);
 */
export async function tally(client: HuzhuClientConfig, params: TallyParameters): Promise<TallyReturnType> {
  const pool = poolOf(client, params.pool);
  const receipt = await write(client, pool, poolAbi, "tally", [params.claimId]);
  const [tallied] = findEvents(receipt, poolAbi, "RoundTallied");
  const verdict = tallied.args.verdict as Verdict;
  const penalized = findEvents(receipt, poolAbi, "JurorPenalized").map((e) => ({
    juror: e.args.juror as Address,
    amount: e.args.amount,
  }));
  const opened = findEvents(receipt, poolAbi, "JuryRoundOpened")[0];
  return {
    receipt,
    round: tallied.args.round,
    approvals: tallied.args.approvals,
    rejections: tallied.args.rejections,
    quorum: tallied.args.quorum,
    verdict,
    verdictName: nameOf(Verdict, verdict),
    penalized,
    ...(opened ? { nextRound: opened.args.round } : {}),
  };
}
